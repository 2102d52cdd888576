"""The API's responses as pydantic models: the OpenAPI schema is generated from them.

They describe exactly what ``portal.present`` writes (the tests validate real
responses against the generated schema). The indicators, and what each means,
come from ``recruiter_reports.questionnaire``, so ``models()`` builds them for
the questionnaire in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, create_model

from recruiter_reports import questionnaire
from recruiter_reports.disclosure import Withheld
from recruiter_reports.registry import LicenceStatus

__all__ = ["ApiModels", "models"]

_REASON = ("Why the value is null: too few reporters, too few answers, or complementary "
           "suppression (it would reveal a smaller group).")  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Figure(_Strict):
    """Share of "yes" among those who answered one yes/no question."""

    share: float | None = Field(description="0-1, a whole percent; null when withheld")
    answered: int | None
    withheld: Withheld | None = Field(description=_REASON)


class Recommend(_Strict):
    """Average "would recommend", 1 (never) to 5 (yes, surely)."""

    average: float | None
    answered: int | None
    withheld: Withheld | None = Field(description=_REASON)


class TypicalFeeBand(_Strict):
    """The median fee band, and the share who paid anything, among those who said."""

    band: str | None
    currency: str | None = Field(description="the origin's currency of the band's amounts")
    min: int | None = Field(description="the least amount in the band")
    max: int | None = Field(description="the most amount in the band; null for the top band")
    paid_share: float | None = Field(description="share of those who answered who paid any fee")
    answered: int | None
    withheld: Withheld | None = Field(description=_REASON)


class FeeLaw(_Strict):
    """Of those who said what they paid: where their band lies against the legal limit.

    The limit of a report is the strictest sourced rule of its origin and its
    destination (a destination forbidding every fee makes it zero). A band that
    holds the limit is counted as straddling it, never guessed to one side.
    """

    above_limit_share: float | None = Field(description="whole band above the legal limit")
    straddles_limit_share: float | None = Field(description="band holds the legal limit")
    unknown_limit_share: float | None = Field(description="no sourced limit for the report")
    answered: int | None
    withheld: Withheld | None = Field(description=_REASON)


class Source(_Strict):
    title: str
    url: str | None
    date: str | None


class LegalRule(_Strict):
    """What one country's law lets an agency charge a worker, and its source."""

    country: str
    kind: str = Field(description="none (no fee may be charged), cap, or unknown")
    cap: int | None
    currency: str | None
    text: str
    confidence: str
    source: Source


class Agency(_Strict):
    id: str
    name: str
    origin: str
    licence_no: str
    licence_status: LicenceStatus
    not_in_official_list: bool = Field(
        description="an agency workers named that is not in the registry; its name was "
        "approved by a moderator")
    example: bool = Field(description="fictional example agency")


class BrokerLink(_Strict):
    """A sub-agent or broker workers named for this agency (moderated); only brokers named by
    at least min_reporters different workers are listed."""

    name: str
    reporters: int = Field(description="different workers who named this broker, >= min_reporters")


class AgencyReply(_Strict):
    """The agency's own public reply to its figures (moderated); null when it has none."""

    text: str
    written_at: str = Field(description="the day the agency wrote it (YYYY-MM-DD)")


class PromiseAgainstReality(_Strict):
    """Of the workers who rated this agency and then answered a check-in 30 or 90 days after
    arrival (each once, with their latest), the share who found the job or the wage different
    from what was promised. Every check-in counts, whatever since/until say; only check-ins
    of people who went to the account's destinations when it is scoped to destinations.
    Below min_reporters people both numbers are null, and what is shown is the last
    publication, refreshed only once min_reporters more have answered."""

    shown: bool
    reporters: int | None = Field(description="people counted, >= min_reporters; null below")
    different_share: float | None = Field(
        description="0-1, a whole percent: found the job or the wage different")
    withheld: Withheld | None = Field(description="too_few_reporters below min_reporters")
    unavailable: bool = Field(description="the check-ins could not be read just now")


class Error(BaseModel):
    error: str
    status: int


@dataclass(frozen=True)
class ApiModels:
    """The response models for one questionnaire."""

    indicators: type[BaseModel]
    disclosed: type[BaseModel]
    recruiter_row: type[BaseModel]
    recruiter_list: type[BaseModel]
    recruiter_detail: type[BaseModel]
    overview: type[BaseModel]


def models() -> ApiModels:
    """The response models for the questionnaire in use."""
    table = questionnaire.current()
    fields = {
        name: (Figure, Field(description=table.by_field(name).api)) for name in table.indicators
    }
    indicators = create_model("Indicators", __base__=_Strict, **fields)  # type: ignore[call-overload]
    disclosed = create_model(
        "Disclosed",
        __base__=_Strict,
        __doc__="What may be shown about one group of reports; null means withheld.",
        shown=(bool, ...),
        withheld=(Withheld | None, Field(description=_REASON)),
        reporters=(int | None, ...),
        indicators=(indicators, ...),
        recommend=(Recommend | None, ...),
        typical_fee_band=(TypicalFeeBand | None, ...),
        fee_law=(FeeLaw | None, ...),
    )
    row = create_model(
        "RecruiterRow",
        __base__=(Agency, disclosed),
        destination=(str | None, ...),
        legal_rules=(list[LegalRule], ...),
        reply=(AgencyReply | None, Field(description="the agency's reply, beside its figures")),
    )
    listing = create_model(
        "RecruiterList", __base__=_Strict, min_reporters=(int, ...), origin=(str | None, ...),
        destination=(str | None, ...), q=(str | None, ...),
        filters=(dict[str, str], Field(description="every filter as understood; empty if not set")),
        recruiters=(list[row], ...),  # type: ignore[valid-type]
    )  # fmt: skip
    detail = create_model(
        "RecruiterDetail", __base__=Agency, min_reporters=(int, ...),
        legal_rules=(list[LegalRule], ...),
        total=(disclosed | None, ...),  # type: ignore[operator]
        brokers=(list[BrokerLink], Field(description="The broker chain behind the agency")),
        reply=(AgencyReply | None, Field(description="the agency's reply, beside its figures")),
        promise_against_reality=(PromiseAgainstReality | None, Field(
            description="promise against reality from check-ins; null when check-ins are off")),
        by_destination=(dict[str, disclosed], Field(default_factory=dict)),  # type: ignore[valid-type]
        by_year=(dict[str, disclosed], Field(default_factory=dict)),  # type: ignore[valid-type]
        by_quarter=(dict[str, disclosed], Field(  # type: ignore[valid-type]
            default_factory=dict, description="the trend: one cell per quarter, e.g. 2026Q3")),
        since=(str | None, Field(description="first quarter counted; null: from the start")),
        until=(str | None, Field(description="last quarter counted; null: up to now")),
    )  # fmt: skip
    overview = create_model(
        "Overview", __base__=disclosed, min_reporters=(int, ...), origins=(list[str], ...),
        destination=(str | None, ...), since=(str | None, ...), until=(str | None, ...),
    )  # fmt: skip
    return ApiModels(indicators, disclosed, row, listing, detail, overview)
