"""Disclosure control: the one place that decides which numbers may be shown.

The chat, the portal and the API all read summaries through this module, so a
rule changed here holds everywhere. The rules:

- A group (a recruiter, or one cell of a breakdown) with fewer than ``k``
  distinct reporters shows nothing, not even how many reports it lacks (that
  would give its size away).
- A figure answered by fewer than ``k`` people is withheld
  (``too_few_answers``), even when the group itself is large enough.
- In a breakdown (by destination, by year) a withheld cell could be recovered
  as total minus the shown cells. So, for the reporter count and separately
  for each figure, as long as the withheld cells are a single cell or add up
  to fewer than ``k`` people, the next-smallest shown cell is withheld too
  (``complementary``). What total minus shown cells then reveals is an
  aggregate of at least two cells and ``k`` people, which the first rule
  would allow anyway.

A figure derived from reports is shown as a share (whole percent) or an
average with the number who answered; the fee figure is the median band only.
``k`` comes from the ``MIN_REPORTERS`` setting; below 3 it is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from recruiter_reports import questionnaire
from recruiter_reports.reports import INDICATORS, NO_FEE
from recruiter_reports.summaries import Summary, YesNo

MIN_K = 3
RECOMMEND = "recommend"
FEE = "fee"
MEASURES: tuple[str, ...] = (*INDICATORS, RECOMMEND, FEE)
"""Every figure a disclosure of the default questionnaire may contain (see ``measures``)."""


def measures() -> tuple[str, ...]:
    """Every figure a disclosure may contain, each protected on its own."""
    return (*questionnaire.current().indicators, RECOMMEND, FEE)


class Withheld(StrEnum):
    """Why a number is not shown (so readers can say so plainly)."""

    TOO_FEW_REPORTERS = "too_few_reporters"
    TOO_FEW_ANSWERS = "too_few_answers"
    COMPLEMENTARY = "complementary"
    """Shown, it would let a withheld cell be worked out by subtraction."""


class _Figure(BaseModel):
    model_config = ConfigDict(frozen=True)

    answered: int | None = None
    """How many answered; None when withheld."""
    withheld: Withheld | None = None


class Share(_Figure):
    """Share of "yes" among those who answered one yes/no question (0-1, whole percent)."""

    share: float | None = None


class Average(_Figure):
    """Average "would recommend" (1-5, one decimal)."""

    average: float | None = None


class TypicalFee(_Figure):
    """The median fee band, and the share who paid anything, among those who said."""

    band: str | None = None
    paid: float | None = None
    """Share (0-1, whole percent) of those who answered who paid any fee at all."""


class Disclosed(BaseModel):
    """What may be shown about one group of reports; None means "do not show"."""

    model_config = ConfigDict(frozen=True)

    recruiter_id: str
    k: int
    shown: bool
    withheld: Withheld | None = None
    reporters: int | None = None
    indicators: dict[str, Share] = {}
    recommend: Average | None = None
    fee: TypicalFee | None = None


def check_k(k: int) -> int:
    """``k`` itself, or ValueError: fewer than 3 reporters can never be safe to show."""
    if k < MIN_K:
        raise ValueError(f"MIN_REPORTERS must be at least {MIN_K} (got {k})")
    return k


def disclose(summary: Summary, k: int, fee_bands: Sequence[str] = ()) -> Disclosed:
    """What may be shown of one recruiter's summary.

    ``fee_bands`` is the origin's band ids from lowest to highest (``"none"`` is
    always lowest); it orders the bands for the median.
    """
    check_k(k)
    if summary.reporters < k:
        return Disclosed(
            recruiter_id=summary.recruiter_id, k=k, shown=False,
            withheld=Withheld.TOO_FEW_REPORTERS,
        )  # fmt: skip
    withheld = {m: Withheld.TOO_FEW_ANSWERS for m in measures() if _answered(summary, m) < k}
    return _shown(summary, k, withheld, fee_bands)


def disclose_breakdown(
    cells: Mapping[str, Summary], total: Summary, k: int, fee_bands: Sequence[str] = ()
) -> dict[str, Disclosed]:
    """What may be shown of each cell of a breakdown of ``total`` (by destination, by year...).

    Cells are assumed to be disjoint parts of ``total``. A withheld cell never
    says how far below ``k`` it is, since that too would give its count away.
    """
    check_k(k)
    if total.reporters < k:
        return {name: _hidden(cell, k, Withheld.TOO_FEW_REPORTERS) for name, cell in cells.items()}
    hidden = {name: Withheld.TOO_FEW_REPORTERS for name, c in cells.items() if c.reporters < k}
    hidden = _protect({name: cell.reporters for name, cell in cells.items()}, hidden, k)
    measure_hidden: dict[str, dict[str, Withheld]] = {name: {} for name in cells}
    for measure in measures():
        if _answered(total, measure) < k:
            for name in cells:
                measure_hidden[name][measure] = Withheld.TOO_FEW_ANSWERS
            continue
        primary = {
            name: Withheld.TOO_FEW_ANSWERS
            for name, cell in cells.items()
            if name in hidden or _answered(cell, measure) < k
        }
        counts = {name: _answered(cell, measure) for name, cell in cells.items()}
        for name, reason in _protect(counts, primary, k).items():
            measure_hidden[name][measure] = reason
    return {
        name: (
            _hidden(cell, k, hidden[name])
            if name in hidden
            else _shown(cell, k, measure_hidden[name], fee_bands)
        )
        for name, cell in cells.items()
    }


def _protect(counts: Mapping[str, int], hidden: dict[str, Withheld], k: int) -> dict[str, Withheld]:
    """Withhold the smallest shown cells until the withheld ones are >= 2 and cover >= k people."""
    hidden = dict(hidden)
    while hidden and (len(hidden) == 1 or sum(counts[name] for name in hidden) < k):
        shown = [name for name in counts if name not in hidden]
        if not shown:
            break
        smallest = min(shown, key=lambda name: (counts[name], name))
        hidden[smallest] = Withheld.COMPLEMENTARY
    return hidden


def _answered(summary: Summary, measure: str) -> int:
    if measure == RECOMMEND:
        return summary.recommend_count
    if measure == FEE:
        return summary.fee_answered
    counts = summary.indicators.get(measure)
    return 0 if counts is None else counts.answered


def _hidden(summary: Summary, k: int, reason: Withheld) -> Disclosed:
    return Disclosed(recruiter_id=summary.recruiter_id, k=k, shown=False, withheld=reason)


def _shown(
    summary: Summary, k: int, withheld: Mapping[str, Withheld], fee_bands: Sequence[str]
) -> Disclosed:
    indicators: dict[str, Share] = {}
    for name in questionnaire.current().indicators:
        counts = summary.indicators.get(name) or YesNo()
        if name in withheld:
            indicators[name] = Share(withheld=withheld[name])
        else:
            share = _round_half_up(counts.yes, counts.answered, 100)
            indicators[name] = Share(share=share, answered=counts.answered)
    if RECOMMEND in withheld:
        recommend = Average(withheld=withheld[RECOMMEND])
    else:
        average = _round_half_up(summary.recommend_sum, summary.recommend_count, 10)
        recommend = Average(average=average, answered=summary.recommend_count)
    if FEE in withheld:
        fee = TypicalFee(withheld=withheld[FEE])
    else:
        paid = summary.fee_answered - summary.fee_bands.get(NO_FEE, 0)
        fee = TypicalFee(
            band=median_band(summary.fee_bands, fee_bands),
            paid=_round_half_up(paid, summary.fee_answered, 100),
            answered=summary.fee_answered,
        )
    return Disclosed(
        recruiter_id=summary.recruiter_id, k=k, shown=True, reporters=summary.reporters,
        indicators=indicators, recommend=recommend, fee=fee,
    )  # fmt: skip


def median_band(counts: Mapping[str, int], order: Sequence[str] = ()) -> str | None:
    """The band of the middle answer (the lower one for an even count), lowest band first.

    ``"none"`` (nothing paid) is the lowest; bands missing from ``order`` sort
    after it by id, so a typo never crashes a reader.
    """
    ranked = [NO_FEE, *(band for band in order if band != NO_FEE)]
    ranked += sorted(band for band in counts if band not in ranked)
    total = sum(counts.values())
    if total == 0:
        return None
    position = (total - 1) // 2
    for band in ranked:
        position -= counts.get(band, 0)
        if position < 0:
            return band
    return None  # unreachable: every band with a count is ranked


def rounded_share(numerator: int, denominator: int) -> float:
    """``numerator / denominator`` as a whole percent (0-1), the way every share is shown."""
    return _round_half_up(numerator, denominator, 100)


def _round_half_up(numerator: int, denominator: int, scale: int) -> float:
    """``numerator / denominator`` rounded half up to ``1 / scale``, exactly (no float error)."""
    return (2 * scale * numerator + denominator) // (2 * denominator) / scale
