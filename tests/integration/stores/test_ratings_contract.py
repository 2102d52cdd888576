"""The ratings contract (consent, reports, summaries, limits): every adapter must pass all of it."""

from __future__ import annotations

import datetime as dt
import random

from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.quarters import Quarter
from recruiter_reports.reports import Report
from recruiter_reports.stores import Store
from recruiter_reports.summaries import summarize

from .conftest import Adapter, FakeClock
from .contract_data import (
    AGENCY,
    ALICE,
    BOB,
    KEY,
    OTHER_AGENCY,
    counted_equals_reference,
    make_report,
    person_id,
)


async def test_consent_is_recorded_with_its_version_and_time(
    store: Store, clock: FakeClock
) -> None:
    assert await store.consent(ALICE) is None
    first = clock()
    await store.save_consent(ALICE, "1", first)
    clock.advance(days=3)
    await store.save_consent(ALICE, "2", clock())
    consent = await store.consent(ALICE)
    assert consent is not None
    assert (consent.version, consent.given_at, consent.first_given_at) == ("2", clock(), first)
    assert await store.consent(BOB) is None


async def test_a_report_counts_in_its_recruiters_summary(store: Store, clock: FakeClock) -> None:
    assert (await store.summary(AGENCY)).reporters == 0
    saved = await store.save_report(ALICE, make_report(clock), reporter_since=clock())
    assert (saved.replaced, saved.held) == (False, False)
    summary = await store.summary(AGENCY)
    assert summary == summarize([make_report(clock)], AGENCY)
    assert summary.indicators["passport_kept"].yes == 1
    assert (await store.summary(OTHER_AGENCY)).reporters == 0


async def test_a_second_report_about_the_same_recruiter_replaces_the_first(
    store: Store, clock: FakeClock
) -> None:
    await store.save_report(ALICE, make_report(clock, passport_kept=True), reporter_since=clock())
    clock.advance(hours=2)
    newer = make_report(clock, passport_kept=False, recommend=5)
    saved = await store.save_report(ALICE, newer, reporter_since=clock())
    assert saved.replaced
    assert await store.summary(AGENCY) == summarize([newer], AGENCY)
    assert [stored.report for stored in await store.reports_of(ALICE)] == [newer]


async def test_forget_removes_the_persons_reports_and_consent_from_the_numbers(
    store: Store, clock: FakeClock
) -> None:
    await store.save_consent(ALICE, "1", clock())
    await store.save_report(ALICE, make_report(clock, recommend=1), reporter_since=clock())
    await store.save_report(ALICE, make_report(clock, OTHER_AGENCY), reporter_since=clock())
    kept = make_report(clock, recommend=4)
    await store.save_report(BOB, kept, reporter_since=clock())
    await store.forget(ALICE)
    assert await store.consent(ALICE) is None
    assert await store.reports_of(ALICE) == []
    assert await store.summary(AGENCY) == summarize([kept], AGENCY)
    assert (await store.summary(OTHER_AGENCY)).reporters == 0
    assert await store.summaries() == {AGENCY: summarize([kept], AGENCY)}


async def test_withdrawing_consent_drops_the_reports_given_under_it(
    store: Store, clock: FakeClock
) -> None:
    await store.save_consent(ALICE, "1", clock())
    await store.save_report(ALICE, make_report(clock), reporter_since=clock())
    await store.withdraw_consent(ALICE)
    assert await store.consent(ALICE) is None
    assert await store.reports_of(ALICE) == []
    assert (await store.summary(AGENCY)).reporters == 0


async def test_sector_overview_filters_by_origin_and_destination(
    store: Store, clock: FakeClock
) -> None:
    np_agency = "NP-EX-NP-0001"
    await store.save_report(ALICE, make_report(clock, destination="QA"), reporter_since=clock())
    await store.save_report(BOB, make_report(clock, destination="AE"), reporter_since=clock())
    await store.save_report(ALICE, make_report(clock, np_agency), reporter_since=clock())
    everything = await store.summaries()
    assert {rid: s.reporters for rid, s in everything.items()} == {AGENCY: 2, np_agency: 1}
    kenya = await store.summaries(origin="KE")
    assert set(kenya) == {AGENCY}
    qatar = await store.summaries(origin="KE", destination="QA")
    assert {rid: s.reporters for rid, s in qatar.items()} == {AGENCY: 1}


async def test_breakdown_cells_add_up_to_the_summary(store: Store, clock: FakeClock) -> None:
    await store.save_report(ALICE, make_report(clock, destination="QA"), reporter_since=clock())
    await store.save_report(BOB, make_report(clock, destination=None), reporter_since=clock())
    clock.advance(days=366)
    await store.save_report(person_id(1), make_report(clock), reporter_since=clock())
    by_destination = await store.breakdown(AGENCY, "destination")
    assert {key: s.reporters for key, s in by_destination.items()} == {"QA": 2, "": 1}
    by_year = await store.breakdown(AGENCY, "year")
    assert {key: s.reporters for key, s in by_year.items()} == {"2026": 2, "2027": 1}


async def test_cells_by_destination_and_quarter_are_the_reports_of_each_quarter(
    store: Store, clock: FakeClock
) -> None:
    first = make_report(clock, destination="QA")
    await store.save_report(ALICE, first, reporter_since=clock())
    await store.save_report(BOB, make_report(clock, destination=None, passport_kept=False),
                            reporter_since=clock())  # fmt: skip
    clock.advance(days=95)
    later = make_report(clock, destination="QA", fee_band="b3")
    await store.save_report(person_id(1), later, reporter_since=clock())
    cells = await store.breakdown(AGENCY, "destination_quarter")
    before, after = Quarter.of(first.created_at), Quarter.of(later.created_at)
    assert before != after
    assert set(cells) == {f"QA|{before}", f"|{before}", f"QA|{after}"}
    assert cells[f"QA|{after}"] == summarize([later])
    assert cells[f"QA|{before}"] == summarize([first])
    assert sum(cell.reporters for cell in cells.values()) == (await store.summary(AGENCY)).reporters


async def test_new_ratings_are_counted_for_the_daily_limit_but_replacements_are_not(
    store: Store, clock: FakeClock
) -> None:
    start = clock()
    await store.save_report(ALICE, make_report(clock), reporter_since=start)
    clock.advance(hours=1)
    await store.save_report(ALICE, make_report(clock, OTHER_AGENCY), reporter_since=start)
    clock.advance(hours=1)
    await store.save_report(ALICE, make_report(clock, recommend=5), reporter_since=start)
    assert await store.new_reports_since(ALICE, start) == 2
    assert await store.new_reports_since(ALICE, start + dt.timedelta(minutes=30)) == 1
    assert await store.new_reports_since(BOB, start) == 0


async def test_burst_count_includes_only_recent_reports_of_new_reporters(
    store: Store, clock: FakeClock
) -> None:
    veteran_since = clock()
    clock.advance(days=10)
    await store.save_report(ALICE, make_report(clock), reporter_since=veteran_since)
    for n in range(3):
        await store.save_report(
            person_id(n), make_report(clock), held=n == 2, reporter_since=clock()
        )
    window = clock() - dt.timedelta(hours=1)
    newcomers = clock() - dt.timedelta(days=1)
    assert await store.recent_reports_from_new_reporters(AGENCY, window, newcomers) == 3
    clock.advance(hours=2)
    window = clock() - dt.timedelta(hours=1)
    assert await store.recent_reports_from_new_reporters(AGENCY, window, newcomers) == 0


async def test_summaries_always_equal_summarize_of_the_counted_reports(
    store: Store, clock: FakeClock
) -> None:
    """Random saves, replacements, held reports, accepts and forgets never make them drift."""
    rng = random.Random(20261123)
    agencies = [AGENCY, OTHER_AGENCY, "NP-EX-NP-0003"]
    people = [person_id(n) for n in range(12)]
    counted: dict[str, dict[str, Report]] = {rid: {} for rid in agencies}
    held: dict[str, tuple[str, str, Report]] = {}
    for _ in range(160):
        clock.advance(days=rng.choice([0, 1, 40]))
        action = rng.random()
        person = rng.choice(people)
        if action < 0.08:
            await store.forget(person)
            for reports in counted.values():
                reports.pop(person, None)
            held = {i: h for i, h in held.items() if h[0] != person}
            continue
        if action < 0.14 and held:
            report_id = rng.choice(sorted(held))
            owner, rid, report = held.pop(report_id)
            assert await store.accept_held(report_id)
            counted[rid][owner] = report
            continue
        rid = rng.choice(agencies)
        report = make_report(
            clock, rid,
            destination=rng.choice(["QA", "AE", None]),
            fee_band=rng.choice(["none", "b1", "b2", "b5", None]),
            receipt_full_amount=rng.choice([True, False, None]),
            passport_kept=rng.choice([True, False, None]),
            recommend=rng.choice([1, 2, 3, 4, 5, None]),
        )  # fmt: skip
        is_held = rng.random() < 0.2
        saved = await store.save_report(person, report, held=is_held, reporter_since=clock())
        counted[rid].pop(person, None)
        held = {i: h for i, h in held.items() if (h[0], h[1]) != (person, rid)}
        if is_held:
            held[saved.id] = (person, rid, report)
        else:
            counted[rid][person] = report
    await counted_equals_reference(store, counted)
    await store.recompute_summaries()
    await counted_equals_reference(store, counted)
    overview = await store.summaries()
    assert overview == {rid: summarize(r.values(), rid) for rid, r in counted.items() if r}


async def test_reports_hold_no_raw_user_id(
    store: Store, adapter: Adapter, clock: FakeClock
) -> None:
    pseudonym = Pseudonymizer(KEY)("telegram", "123456789")
    await store.save_consent(pseudonym, "1", clock())
    await store.save_report(pseudonym, make_report(clock, comment="fees"), reporter_since=clock())
    written = adapter.persisted_bytes(store)
    assert pseudonym.encode() in written
    assert b"123456789" not in written


async def test_the_sector_overview_follows_every_write_when_read_between_them(
    store: Store, clock: FakeClock
) -> None:
    rng = random.Random(11)
    agencies = (AGENCY, OTHER_AGENCY, "NP-EX-NP-0001")
    counted: dict[str, dict[str, Report]] = {rid: {} for rid in agencies}

    def expected(destination: str | None = None) -> dict[str, object]:
        cells = {
            rid: [r for r in by.values() if destination is None or r.destination == destination]
            for rid, by in counted.items()
        }
        return {rid: summarize(reports, rid) for rid, reports in cells.items() if reports}

    for step in range(60):
        person = person_id(rng.randrange(8))
        if rng.random() < 0.15:
            await store.forget(person)
            for by_person in counted.values():
                by_person.pop(person, None)
        else:
            rid = rng.choice(agencies)
            report = make_report(
                clock, rid, destination=rng.choice(["QA", "AE", None]),
                recommend=rng.choice([1, 5, None]), passport_kept=rng.choice([True, False, None]),
            )  # fmt: skip
            await store.save_report(person, report, reporter_since=clock())
            counted[rid][person] = report
        if step % 25 == 24:
            await store.recompute_summaries()
        overview = expected()
        assert await store.summaries() == overview
        assert await store.summaries(origin="NP") == {
            rid: s for rid, s in overview.items() if rid.startswith("NP")
        }
        assert await store.summaries(destination="QA") == expected("QA")
