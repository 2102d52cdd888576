"""Disclosure control: nothing below k, and no withheld cell recoverable by subtraction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ratings_strategies import BANDS, RECRUITER, report, reports

from recruiter_reports.disclosure import (
    FEE,
    MEASURES,
    RECOMMEND,
    Disclosed,
    Withheld,
    disclose,
    disclose_breakdown,
    median_band,
)
from recruiter_reports.reports import INDICATORS, Report
from recruiter_reports.summaries import Summary, summarize


def _summary(items: list[Report]) -> Summary:
    return summarize(items, RECRUITER)


def test_below_k_only_the_number_of_reports_still_needed_is_said() -> None:
    shown = disclose(_summary([report(passport_kept=True)] * 3), k=5)
    assert shown == Disclosed(
        recruiter_id=RECRUITER, k=5, shown=False,
        withheld=Withheld.TOO_FEW_REPORTERS,
    )  # fmt: skip


def test_at_k_shares_are_shown_and_thin_questions_withheld() -> None:
    items = [
        report(passport_kept=True, recommend=2, fee_band="50k-150k"),
        report(passport_kept=True, recommend=1, fee_band="over-150k"),
        report(passport_kept=False, recommend=5, fee_band="none"),
        report(passport_kept=None, orientation=True, recommend=4, fee_band="50k-150k"),
        report(passport_kept=True, orientation=False, recommend=4, fee_band="under-50k"),
        report(passport_kept=True),
    ]
    shown = disclose(_summary(items), k=5, fee_bands=BANDS[1:])
    assert shown.shown and shown.reporters == 6
    passport = shown.indicators["passport_kept"]
    assert (passport.share, passport.answered, passport.withheld) == (0.8, 5, None)
    orientation = shown.indicators["orientation"]
    assert (orientation.share, orientation.answered) == (None, None)
    assert orientation.withheld is Withheld.TOO_FEW_ANSWERS
    assert shown.recommend is not None
    assert (shown.recommend.average, shown.recommend.answered) == (3.2, 5)
    assert shown.fee is not None
    assert (shown.fee.band, shown.fee.answered) == ("50k-150k", 5)
    assert shown.fee.paid == 0.8  # four of the five who said paid something


def test_the_share_who_paid_is_withheld_with_the_fee_band() -> None:
    items = [report(fee_band="none")] * 2 + [report(fee_band=None)] * 4
    fee = disclose(_summary(items), k=5).fee
    assert fee is not None
    assert (fee.paid, fee.band, fee.withheld) == (None, None, Withheld.TOO_FEW_ANSWERS)


def test_shares_round_half_up_to_whole_percent() -> None:
    items = [report(job_as_promised=i < 1) for i in range(8)]  # 1/8 = 12.5 %
    assert disclose(_summary(items), k=5).indicators["job_as_promised"].share == 0.13


def test_median_band_follows_the_band_order() -> None:
    order = ("under-50k", "50k-150k", "over-150k")
    assert median_band({"over-150k": 2, "none": 1}, order) == "over-150k"
    assert median_band({"over-150k": 2, "none": 2}, order) == "none"
    assert median_band({"under-50k": 1, "50k-150k": 1, "over-150k": 1}, order) == "50k-150k"
    assert median_band({}, order) is None


def test_k_below_three_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        disclose(_summary([]), k=2)
    with pytest.raises(ValueError, match="at least 3"):
        disclose_breakdown({}, _summary([]), k=1)


def test_a_single_small_cell_takes_the_next_smallest_with_it() -> None:
    qatar = [report(destination="QA", passport_kept=True)] * 9
    saudi = [report(destination="SA", passport_kept=False)] * 6
    uae = [report(destination="AE", passport_kept=True)] * 2
    cells = {"QA": _summary(qatar), "SA": _summary(saudi), "AE": _summary(uae)}
    result = disclose_breakdown(cells, _summary(qatar + saudi + uae), k=5)
    assert result["QA"].shown and result["QA"].reporters == 9
    assert result["AE"].withheld is Withheld.TOO_FEW_REPORTERS
    assert result["SA"].withheld is Withheld.COMPLEMENTARY
    assert result["SA"].reporters is None


def test_a_question_thin_in_one_cell_is_withheld_in_another_too() -> None:
    qatar = [report(destination="QA", passport_kept=True)] * 6
    qatar += [report(destination="QA", passport_kept=None)] * 2
    saudi = [report(destination="SA", passport_kept=False)] * 7
    nepal_route = [report(destination="AE", passport_kept=True)] * 2
    nepal_route += [report(destination="AE", passport_kept=None)] * 5
    cells = {"QA": _summary(qatar), "SA": _summary(saudi), "AE": _summary(nepal_route)}
    result = disclose_breakdown(cells, _summary(qatar + saudi + nepal_route), k=5)
    assert all(cell.shown for cell in result.values())
    assert result["AE"].indicators["passport_kept"].withheld is Withheld.TOO_FEW_ANSWERS
    assert result["QA"].indicators["passport_kept"].withheld is Withheld.COMPLEMENTARY
    assert result["SA"].indicators["passport_kept"].share == 0.0


def _cells(draw: st.DrawFn) -> dict[str, list[Report]]:
    names = draw(st.lists(st.sampled_from(["QA", "SA", "AE", "KW", "OM"]), unique=True,
                          min_size=1, max_size=5))  # fmt: skip
    return {name: draw(st.lists(reports(destination=name), max_size=14)) for name in names}


def _figure(disclosed: Disclosed, measure: str) -> tuple[int, int] | None:
    """(threshold count, additive value) a reader can see for a measure, or None if hidden."""
    if not disclosed.shown:
        return None
    if measure == "reporters":
        assert disclosed.reporters is not None
        return disclosed.reporters, disclosed.reporters
    if measure == RECOMMEND:
        figure = disclosed.recommend
        if figure is None or figure.average is None or figure.answered is None:
            return None
        return figure.answered, round(figure.average * figure.answered)
    if measure == FEE:
        fee = disclosed.fee
        return None if fee is None or fee.answered is None else (fee.answered, fee.answered)
    share = disclosed.indicators[measure]
    if share.share is None or share.answered is None:
        return None
    return share.answered, round(share.share * share.answered)


@settings(max_examples=300, deadline=None)
@given(st.data(), st.integers(3, 8))
def test_no_withheld_cell_can_be_recovered_by_subtraction(data: st.DataObject, k: int) -> None:
    groups = _cells(data.draw)
    everything = [item for items in groups.values() for item in items]
    cells = {name: _summary(items) for name, items in groups.items()}
    total = _summary(everything)
    result = disclose_breakdown(cells, total, k)
    total_shown = disclose(total, k)
    for name, disclosed in result.items():
        if cells[name].reporters < k:  # (a) nothing at all for a small cell
            assert not disclosed.shown and disclosed.reporters is None
            assert disclosed.indicators == {}
    for measure in ("reporters", *MEASURES):
        if _figure(total_shown, measure) is None:
            continue
        hidden = [name for name in cells if _figure(result[name], measure) is None]
        if not hidden:
            continue
        # total minus the shown cells = the withheld cells together: never one cell, never < k.
        assert len(hidden) >= 2, (measure, hidden)
        counts = {
            "reporters": lambda s: s.reporters,
            RECOMMEND: lambda s: s.recommend_count,
            FEE: lambda s: s.fee_answered,
        }.get(measure, lambda s, m=measure: s.indicators[m].answered)
        assert sum(counts(cells[name]) for name in hidden) >= k, (measure, hidden)


@settings(max_examples=200, deadline=None)
@given(st.lists(reports(), max_size=20), st.integers(3, 8))
def test_shown_figures_match_the_reports(items: list[Report], k: int) -> None:
    disclosed = disclose(_summary(items), k)
    if len(items) < k:
        assert not disclosed.shown
        assert disclosed.reporters is None  # not even how many it lacks
        assert disclosed.indicators == {} and disclosed.recommend is None and disclosed.fee is None
        return
    assert disclosed.reporters == len(items)
    for name in INDICATORS:
        answers = [item.answer(name) for item in items if item.answer(name) is not None]
        figure = disclosed.indicators[name]
        if len(answers) < k:
            assert figure.share is None and figure.answered is None
        else:
            assert figure.answered == len(answers)
            assert figure.share is not None
            assert abs(figure.share - answers.count(True) / len(answers)) <= 0.005 + 1e-9
    scores = [item.recommend for item in items if item.recommend is not None]
    assert disclosed.recommend is not None
    if len(scores) >= k:
        assert disclosed.recommend.average is not None
        assert abs(disclosed.recommend.average - sum(scores) / len(scores)) <= 0.05 + 1e-9
    else:
        assert disclosed.recommend.average is None
    paid = [item.fee_band for item in items if item.fee_band is not None]
    assert disclosed.fee is not None
    assert (disclosed.fee.band is not None) == (len(paid) >= k)
