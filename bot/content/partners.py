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
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

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

__all__ = ["DirectContact", "Partner", "PartnerStatus", "Partners"]


class PartnerStatus(StrEnum):
    EXAMPLE = "example"
    """Listed from public sources; it has not agreed to read cases from this service."""
    ONBOARDED = "onboarded"
    """It agreed, and its caseworkers have accounts: cases go to them."""


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
