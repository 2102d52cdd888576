"""``content/partners.yaml``: the organisations whose caseworkers read the cases of ``/talk``.

A partner is named to the person before they write (who will read it, in
which languages, when, how fast), so every entry carries its sources like any
contact. ``status`` says whether the organisation has agreed to take cases
from this service: ``example`` (listed from public sources, not onboarded:
the bot says so and gives its direct contacts) or ``onboarded`` (an operator
made caseworker accounts for it after it agreed). Nothing is ever inferred:
hours and answer times that no source gives stay empty and the bot says
"not stated".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from enum import StrEnum
from typing import Self

from pydantic import Field, field_validator, model_validator

from bot.content.models import (
    Confidence,
    CountryCode,
    LocaleCode,
    Localized,
    Phone,
    Slug,
    SourceRef,
    WebAddress,
    _Strict,
    require_url_and_date,
)

__all__ = ["DirectContact", "OpeningHours", "Partner", "PartnerStatus", "Partners", "Weekday"]


class PartnerStatus(StrEnum):
    EXAMPLE = "example"
    """Listed from public sources; it has not agreed to read cases from this service."""
    ONBOARDED = "onboarded"
    """It agreed, and its caseworkers have accounts: cases go to them."""


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


_WEEK = list(Weekday)


class OpeningHours(_Strict):
    """When the caseworkers read messages, as a machine can check it (``hours`` says it
    in words). Outside these hours the person is told who will read it when, and the
    emergency numbers, before they write. Given only when a source states the hours."""

    timezone: str
    """An IANA zone name, e.g. ``Asia/Qatar``: where the office keeps its hours."""
    days: list[Weekday] = Field(min_length=1)
    opens: dt.time
    closes: dt.time

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from error
        return value

    @model_validator(mode="after")
    def _opens_before_closing(self) -> Self:
        if self.opens >= self.closes:
            raise ValueError("opens must be before closes (hours past midnight: not supported)")
        return self

    def is_open(self, at: dt.datetime) -> bool:
        """True when ``at`` (an aware time) falls inside the opening hours."""
        local = at.astimezone(zoneinfo.ZoneInfo(self.timezone))
        return (_WEEK[local.weekday()] in self.days
                and self.opens <= local.time().replace(tzinfo=None) < self.closes)


class DirectContact(_Strict):
    """How to reach the organisation without this service (shown when cases are off)."""

    phones: list[Phone] = Field(default_factory=list)
    whatsapp: Phone | None = None
    email: str | None = None
    website: WebAddress | None = None

    @model_validator(mode="after")
    def _some_way(self) -> Self:
        if not (self.phones or self.whatsapp or self.email or self.website):
            raise ValueError("give at least one of phones, whatsapp, email, website")
        return self


class Partner(_Strict):
    """One organisation that takes (or could take) cases."""

    id: Slug
    name: Localized
    status: PartnerStatus
    countries: list[CountryCode] = Field(min_length=1)
    """Where the people it helps are, or come from: a case goes to a partner of the
    person's destination (or else of their home country)."""
    languages: list[LocaleCode] = Field(min_length=1)
    """Languages its caseworkers read and answer in."""
    hours: Localized = Field(default_factory=dict)
    """When it answers, in plain words; empty when no source says."""
    opening: OpeningHours | None = None
    """The same hours for the bot to check (``hours`` is required with it)."""
    answers_within: Localized = Field(default_factory=dict)
    """How fast it usually answers ("within 2 working days"); empty when no source says."""
    direct: DirectContact
    about: Localized = Field(default_factory=dict)
    """One sentence on what it does, shown before the person writes."""
    sources: list[SourceRef] = Field(min_length=1)
    confidence: Confidence
    last_verified: dt.date | None = None
    """Only when a person checked the entry with the organisation; never for a copied fact."""

    @model_validator(mode="after")
    def _hours_in_words(self) -> Self:
        if self.opening is not None and not self.hours:
            raise ValueError("opening needs hours: the same hours in words, shown to people")
        return self

    @model_validator(mode="after")
    def _sourced(self) -> Self:
        for position, source in enumerate(self.sources):
            require_url_and_date(
                source.url, source.date, self.confidence, where=f"sources[{position}]"
            )
        return self

    @property
    def onboarded(self) -> bool:
        return self.status is PartnerStatus.ONBOARDED


class Partners(_Strict):
    """The whole file: ``partners: [...]`` (ids unique, countries known: ``crosscheck``)."""

    partners: list[Partner] = Field(default_factory=list)
