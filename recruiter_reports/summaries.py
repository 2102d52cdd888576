"""Per-recruiter summaries, derived from the reports and never edited by hand.

``summarize`` is the reference definition: a store may keep a summary up to
date with ``Summary.add`` / ``Summary.remove`` or compute it in SQL, and the
contract tests check that it agrees with ``summarize`` over the same reports.
A summary holds counts only; what may be *shown* of it is decided by
``recruiter_reports.disclosure``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

from recruiter_reports import questionnaire
from recruiter_reports.reports import Report


class YesNo(BaseModel):
    """Answers to one yes/no question; those who preferred not to say are not counted."""

    model_config = ConfigDict(frozen=True)

    yes: NonNegativeInt = 0
    no: NonNegativeInt = 0

    @property
    def answered(self) -> int:
        return self.yes + self.no


class Summary(BaseModel):
    """Counts over the reports about one recruiter (one report per reporter)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recruiter_id: str
    reporters: NonNegativeInt = 0
    indicators: dict[str, YesNo] = Field(default_factory=dict)
    """One entry per indicator of the questionnaire in use, always all of them (a summary
    stored before a question was added reads it as no answers)."""
    fee_bands: dict[str, Annotated[int, Field(gt=0)]] = Field(default_factory=dict)
    """Band id (``"none"`` included) -> reporters who chose it; bands nobody chose are absent."""
    recommend_sum: NonNegativeInt = 0
    recommend_count: NonNegativeInt = 0

    @model_validator(mode="after")
    def _consistent(self) -> Summary:
        names = questionnaire.current().indicators
        missing = [name for name in names if name not in self.indicators]
        for name in missing:
            self.indicators[name] = YesNo()
        unknown = set(self.indicators) - set(names)
        if unknown:
            raise ValueError(f"unknown indicator(s): {', '.join(sorted(unknown))}")
        counts = [v.answered for v in self.indicators.values()]
        counts += [self.fee_answered, self.recommend_count]
        if any(count > self.reporters for count in counts):
            raise ValueError("more answers than reporters")
        if not self.recommend_count <= self.recommend_sum <= 5 * self.recommend_count:
            raise ValueError("recommend_sum out of range for recommend_count")
        return self

    @classmethod
    def trusted(
        cls,
        recruiter_id: str,
        reporters: int,
        indicators: dict[str, YesNo],
        fee_bands: dict[str, int],
        recommend_sum: int,
        recommend_count: int,
    ) -> Summary:
        """A summary the store wrote and keeps consistent itself, built without validation.

        What ``model_construct`` ends with, without its per-field search for
        aliases and defaults (every field is given here): a sector overview
        builds ten thousand summaries, and that search was most of its time.
        The caller vouches for the values (one entry per indicator in use).
        """
        summary = cls.__new__(cls)
        _set = object.__setattr__
        _set(summary, "__dict__", {
            "recruiter_id": recruiter_id, "reporters": reporters, "indicators": indicators,
            "fee_bands": fee_bands, "recommend_sum": recommend_sum,
            "recommend_count": recommend_count,
        })  # fmt: skip
        _set(summary, "__pydantic_fields_set__", set(_SUMMARY_FIELDS))
        _set(summary, "__pydantic_extra__", None)
        _set(summary, "__pydantic_private__", None)
        return summary

    @property
    def fee_answered(self) -> int:
        """Reporters who said what they paid (the ones who preferred not to say excluded)."""
        return sum(self.fee_bands.values())

    def add(self, report: Report) -> Summary:
        """The summary with one more report (a new, immutable object)."""
        return self._apply(report, +1)

    def remove(self, report: Report) -> Summary:
        """The summary without ``report`` (for a replaced rating or ``/forget``).

        Raises ValueError when the report cannot have been counted in it.
        """
        return self._apply(report, -1)

    def _apply(self, report: Report, sign: int) -> Summary:
        if report.recruiter_id != self.recruiter_id:
            raise ValueError(f"report about {report.recruiter_id}, summary of {self.recruiter_id}")
        indicators: dict[str, dict[str, int]] = {
            name: {"yes": value.yes, "no": value.no} for name, value in self.indicators.items()
        }
        for name, answer in report.answers().items():
            if answer is not None:
                indicators.setdefault(name, {"yes": 0, "no": 0})["yes" if answer else "no"] += sign
        fee_bands = dict(self.fee_bands)
        if report.fee_band is not None:
            fee_bands[report.fee_band] = fee_bands.get(report.fee_band, 0) + sign
        recommend = report.recommend
        try:
            return Summary(
                recruiter_id=self.recruiter_id,
                reporters=self.reporters + sign,
                indicators={name: YesNo(**counts) for name, counts in indicators.items()},
                fee_bands={band: count for band, count in fee_bands.items() if count},
                recommend_sum=self.recommend_sum + sign * (recommend or 0),
                recommend_count=self.recommend_count + sign * (recommend is not None),
            )
        except ValueError as exc:
            raise ValueError(f"report cannot be removed from this summary: {exc}") from None


_SUMMARY_FIELDS = frozenset(Summary.model_fields)


def sum_of(parts: Iterable[Summary], recruiter_id: str) -> Summary:
    """Counts of disjoint groups together (published cells of an agency, agencies of a
    corridor), labelled ``recruiter_id``."""
    names = questionnaire.current().indicators
    yes = dict.fromkeys(names, 0)
    no = dict.fromkeys(names, 0)
    fee_bands: dict[str, int] = {}
    reporters = recommend_sum = recommend_count = 0
    for part in parts:
        reporters += part.reporters
        for name in names:
            counts = part.indicators.get(name)
            if counts is not None:
                yes[name] += counts.yes
                no[name] += counts.no
        for band, count in part.fee_bands.items():
            fee_bands[band] = fee_bands.get(band, 0) + count
        recommend_sum += part.recommend_sum
        recommend_count += part.recommend_count
    return Summary(
        recruiter_id=recruiter_id,
        reporters=reporters,
        indicators={name: YesNo(yes=yes[name], no=no[name]) for name in names},
        fee_bands=fee_bands,
        recommend_sum=recommend_sum,
        recommend_count=recommend_count,
    )


def summarize(reports: Iterable[Report], recruiter_id: str | None = None) -> Summary:
    """The summary of ``reports``, all about one recruiter: the reference definition.

    ``recruiter_id`` names the recruiter when there may be no reports at all.
    """
    items = list(reports)
    ids = {report.recruiter_id for report in items} | ({recruiter_id} if recruiter_id else set())
    if len(ids) != 1:
        raise ValueError(f"expected reports about one recruiter, got {sorted(ids) or 'none'}")
    names = questionnaire.current().indicators
    yes = dict.fromkeys(names, 0)
    no = dict.fromkeys(names, 0)
    fee_bands: dict[str, int] = {}
    recommend: list[int] = []
    for report in items:
        for name, answer in report.answers().items():
            if answer is True:
                yes[name] += 1
            elif answer is False:
                no[name] += 1
        if report.fee_band is not None:
            fee_bands[report.fee_band] = fee_bands.get(report.fee_band, 0) + 1
        if report.recommend is not None:
            recommend.append(report.recommend)
    return Summary(
        recruiter_id=ids.pop(),
        reporters=len(items),
        indicators={name: YesNo(yes=yes[name], no=no[name]) for name in names},
        fee_bands=fee_bands,
        recommend_sum=sum(recommend),
        recommend_count=len(recommend),
    )
