"""Pydantic models for every file of the content tree (see content/README.md).

These models are the schema editors write against: a field added here is a
field ``content check`` asks for. Translated text is a ``Localized`` mapping
from locale code to text; a missing locale falls back to the site default.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
LocaleCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
Localized = dict[str, str]
"""Text per locale code, e.g. ``{"en": "Qatar", "sw": "Katar"}``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Confidence(StrEnum):
    """How sure we are of a fact (the marks of the facts sheet)."""

    OFFICIAL = "official"
    PRESS = "press"
    WEAK = "weak"
    CONFLICT = "conflict"


def _date_text(value: object) -> object:
    """YAML reads ``2020-03-31`` as a date and ``2020`` as a number: both become text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _real_date(value: str) -> str:
    """``2021-02-30`` matches the pattern but is no day; ``2021-13`` no month."""
    parts = [int(part) for part in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return value


SourceDate = Annotated[
    str,
    BeforeValidator(_date_text),
    StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
    AfterValidator(_real_date),
]
"""The source's own date, as precise as it is known: ``2024-02-03``, ``2024-02`` or ``2024``.

Kept as ISO text, so partial dates sort with full ones (``"2015" < "2015-02" < "2015-02-01"``).
"""


def source_date_end(value: str) -> dt.date:
    """The last day a partial date can mean (``2023`` -> 2023-12-31), to judge its age
    without calling a source old before it surely is."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return dt.date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def require_url_and_date(
    url: str | None, date: str | None, confidence: Confidence, where: str = "source"
) -> None:
    """The sourcing rule: a source without its page or its date is only a lead,
    which the reader must be told (``confidence: weak``)."""
    missing = [name for name, value in (("url", url), ("date", date)) if not value]
    if missing and confidence != Confidence.WEAK:
        raise ValueError(
            f"{where} has no {' and no '.join(missing)}: add it from the source, "
            f"or set confidence: weak"
        )


WebAddress = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]


class SourceRef(_Strict):
    """Where a contact or a number comes from (``source:`` of a resource or an
    emergency number); its confidence sits beside it on the entry."""

    title: Annotated[str, StringConstraints(min_length=1)]
    """Publisher or document name, as a person would cite it."""
    url: WebAddress | None = None
    date: SourceDate | None = None
    """The source's own date, not the day someone copied it."""


class TopicGroup(StrEnum):
    RIGHTS = "rights"
    GUIDE = "guide"


class Topic(_Strict):
    """A heading of the guides; ``group: rights`` topics also appear under "My rights"."""

    id: Slug
    group: TopicGroup
    title: Localized
    short: Localized = Field(default_factory=dict)
    """Label of at most 20 characters for channels with small buttons; title when absent."""


class Need(_Strict):
    """A category of the help directory ("Find help"): resources list the needs they serve."""

    id: Slug
    title: Localized
    short: Localized = Field(default_factory=dict)


class Site(_Strict):
    """``content/site.yaml``: the locales offered, the default one and the topic tree."""

    locales: list[LocaleCode] = Field(min_length=1)
    default_locale: LocaleCode
    topics: list[Topic] = Field(min_length=1)
    needs: list[Need] = Field(min_length=1)


class DangerCategory(_Strict):
    """A kind of danger the phrasebooks recognise (``content/phrases/<locale>.yaml``).

    ``says`` is the first line of its SOS card; ``needs`` are help-directory
    needs whose contacts in the destination join the card (a crisis line for
    self-harm), shown only where such a contact exists in the content.
    """

    id: Slug
    says: Localized
    needs: list[Slug] = Field(default_factory=list)
    review_needed: bool = False
    """True while a drafted translation of ``says`` waits for a native speaker."""


class Emergency(_Strict):
    """``content/emergency.yaml``: phrases that open the SOS card, per locale, and
    the danger categories, most urgent first (the first that matches chooses the card).

    Matching is case-insensitive on whole words, so "help" does not fire on "helpful".
    """

    triggers: dict[LocaleCode, list[str]]
    categories: list[DangerCategory] = Field(default_factory=list)


class CountryRole(StrEnum):
    ORIGIN = "origin"
    DESTINATION = "destination"


class EmergencyNumber(_Strict):
    """One emergency number of a destination, shown first on the SOS card."""

    service: Localized
    number: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ]{1,19}$")]
    source: SourceRef
    confidence: Confidence
    last_verified: dt.date | None = None
    """Only when a person called or visited to check it; never for a copied fact."""

    @model_validator(mode="after")
    def _sourced(self) -> Self:
        require_url_and_date(self.source.url, self.source.date, self.confidence)
        return self


class FeeBand(_Strict):
    """A band of recruitment fees in the origin currency, for the rating questionnaire.

    ``max`` is the upper bound (exclusive); the last band has none.
    """

    id: Slug
    max: int | None = None


class FeeRuleKind(StrEnum):
    NONE = "none"
    """No recruitment fee may be charged to the worker."""
    CAP = "cap"
    """At most ``cap``, in the country's currency; exactly the cap is legal."""
    UNKNOWN = "unknown"
    """No sourced rule: say how to find out, never a number."""


class FeeRule(_Strict):
    """What the law of a country lets an agency charge a worker."""

    kind: FeeRuleKind
    cap: Annotated[int, Field(gt=0)] | None = None
    text: Localized
    """One plain sentence of the rule, per locale."""
    source: SourceRef
    confidence: Confidence

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.kind == FeeRuleKind.CAP) != (self.cap is not None):
            raise ValueError("give cap with kind: cap, and only then")
        require_url_and_date(self.source.url, self.source.date, self.confidence)
        return self


class Country(_Strict):
    """``content/countries/<cc>/country.yaml``."""

    code: CountryCode
    roles: list[CountryRole] = Field(min_length=1)
    names: Localized
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    emergency: list[EmergencyNumber] = Field(default_factory=list)
    fee_bands: list[FeeBand] = Field(default_factory=list)
    """Origins only: the bands offered when a worker says how much they paid."""
    fee_rule: FeeRule | None = None
    destinations: list[CountryCode] = Field(default_factory=list)
    """Origins only: the destinations of its corridors, e.g. ``[QA, SA, AE]``."""
    locales: list[LocaleCode] = Field(default_factory=list)
    """Origins only: the languages its people read, e.g. ``[en, sw]`` (for corridor stats)."""


class ResourceKind(StrEnum):
    EMERGENCY = "emergency"
    EMBASSY = "embassy"
    GOVERNMENT = "government"
    HOTLINE = "hotline"
    NGO = "ngo"
    LEGAL = "legal"


Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{1,24}$")]


class Resource(_Strict):
    """An embassy, hotline, ministry service or NGO someone can contact."""

    id: Slug
    kind: ResourceKind
    name: Localized
    needs: list[Slug] = Field(min_length=1)
    for_origin: CountryCode | None = None
    """For embassies and services for one nationality: whose nationals it serves."""
    phones: list[Phone] = Field(default_factory=list)
    whatsapp: Phone | None = None
    sms: Localized = Field(default_factory=dict)
    email: str | None = None
    website: str | None = None
    address: str | None = None
    hours: Localized = Field(default_factory=dict)
    languages: list[str] = Field(default_factory=list)
    notes: Localized = Field(default_factory=dict)
    source: SourceRef
    confidence: Confidence
    last_verified: dt.date | None = None
    """Only when a person called or visited to check it; never for a copied fact."""

    @model_validator(mode="after")
    def _sourced(self) -> Self:
        require_url_and_date(self.source.url, self.source.date, self.confidence)
        return self


class Resources(_Strict):
    """``content/countries/<cc>/resources.yaml``."""

    resources: list[Resource]


class Source(_Strict):
    """One source of an article (front matter ``sources:``)."""

    title: Annotated[str, StringConstraints(min_length=1)]
    url: WebAddress | None = None
    date: SourceDate | None = None
    """The source's own date: ``2024-02-03``, ``2024-02`` or ``2024``."""
    confidence: Confidence

    @model_validator(mode="after")
    def _sourced(self) -> Self:
        require_url_and_date(self.url, self.date, self.confidence)
        return self


class AudioKind(StrEnum):
    """Who made a narration: a person recorded it, or a speech engine drafted it."""

    RECORDED = "recorded"
    DRAFT = "draft"
    """Generated by ``python -m bot content audio``, for a person to re-record."""


class ArticleMeta(_Strict):
    """The front matter of ``content/countries/<cc>/<locale>/<topic>/<slug>.md``.

    ``id`` is shared by the translations of one article, and unique per locale.
    Links to other articles are written ``[text](article:<id>)``.
    """

    id: Slug
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    keywords: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    last_reviewed: dt.date
    review_needed: bool = False
    """True for a translation not yet checked by a native speaker, or a weak fact."""
    audio: AudioKind | None = None
    """Set when ``<slug>.ogg`` narrates this article (see ``bot.content.audio``)."""


class Article(BaseModel):
    """An article as loaded: its front matter plus where it sits in the tree."""

    model_config = ConfigDict(frozen=True)

    meta: ArticleMeta
    country: str
    locale: str
    topic: str
    slug: str
    body: str
    path: str
