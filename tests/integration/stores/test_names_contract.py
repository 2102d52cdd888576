"""The names contract (unlisted agencies, brokers, merges): every adapter must pass all of it."""

from __future__ import annotations

import pytest

from recruiter_reports.names import NameKind, NameStatus, broker_key
from recruiter_reports.registry import pending_recruiter_id
from recruiter_reports.reports import Report
from recruiter_reports.stores import Store

from .conftest import Adapter, FakeClock
from .contract_data import AGENCY, ALICE, BOB, counted_equals_reference, make_report, person_id
from .test_unit_of_work_contract import TRANSACTIONAL

BLUE = pending_recruiter_id("KE", "Blue Sky Manpower")
BLUESKY = pending_recruiter_id("KE", "bluesky manpower ltd")


def unlisted(clock: FakeClock, name: str, **answers: object) -> Report:
    return make_report(clock, pending_recruiter_id("KE", name), agency_name=name, **answers)


async def test_a_typed_agency_name_waits_for_a_moderator(store: Store, clock: FakeClock) -> None:
    await store.save_report(ALICE, unlisted(clock, "Blue Sky Manpower"), reporter_since=clock())
    await store.save_report(BOB, unlisted(clock, "Blue Sky Manpower"), reporter_since=clock())
    (record,) = await store.name_records(NameKind.AGENCY)
    assert (record.key, record.origin, record.text, record.status) == (
        BLUE, "KE", "Blue Sky Manpower", NameStatus.PENDING)  # fmt: skip
    assert await store.name_records(NameKind.AGENCY, status=NameStatus.APPROVED) == []
    assert await store.moderate_name(NameKind.AGENCY, BLUE, True, "Blue Sky Manpower Ltd")
    approved = await store.name_record(NameKind.AGENCY, BLUE)
    assert approved is not None and approved.text == "Blue Sky Manpower Ltd"
    assert [r.key for r in await store.name_records(
        NameKind.AGENCY, origin="KE", status=NameStatus.APPROVED)] == [BLUE]  # fmt: skip
    assert await store.name_records(NameKind.AGENCY, origin="NP") == []
    assert not await store.moderate_name(NameKind.AGENCY, "KE-pending-000000000000", True)


async def test_a_rejected_name_loses_its_text(store: Store, clock: FakeClock) -> None:
    await store.save_report(ALICE, unlisted(clock, "Grace Wanjiru"), reporter_since=clock())
    key = pending_recruiter_id("KE", "Grace Wanjiru")
    assert await store.moderate_name(NameKind.AGENCY, key, False)
    record = await store.name_record(NameKind.AGENCY, key)
    assert record is not None and (record.text, record.status) == (None, NameStatus.REJECTED)
    # Saving again does not bring the rejected text back.
    await store.save_report(BOB, unlisted(clock, "Grace Wanjiru"), reporter_since=clock())
    record = await store.name_record(NameKind.AGENCY, key)
    assert record is not None and record.text is None


async def test_merging_spellings_moves_reports_and_recomputes_both_summaries(
    store: Store, clock: FakeClock
) -> None:
    people = [person_id(n) for n in range(4)]
    expected: dict[str, dict[str, Report]] = {BLUE: {}, BLUESKY: {}}
    for n, person in enumerate(people):
        name = "Blue Sky Manpower" if n < 2 else "bluesky manpower ltd"
        report = unlisted(clock, name, passport_kept=n % 2 == 0)
        await store.save_report(person, report, reporter_since=clock())
        expected[report.recruiter_id][person] = report
    # One person rated both spellings: the newer rating is the one kept.
    clock.advance(hours=1)
    newer = unlisted(clock, "bluesky manpower ltd", recommend=5)
    await store.save_report(people[0], newer, reporter_since=clock())
    assert (await store.summary(BLUESKY)).reporters == 3
    moved = await store.merge_agency(BLUESKY, BLUE)
    assert moved == 3
    assert (await store.summary(BLUESKY)).reporters == 0
    summary = await store.summary(BLUE)
    assert summary.reporters == 4
    mine = await store.reports_of(people[0])
    assert [(s.report.recruiter_id, s.report.recommend) for s in mine] == [(BLUE, 5)]
    reports = {p: s.report for p in people for s in await store.reports_of(p)}
    await counted_equals_reference(store, {BLUE: reports})
    record = await store.name_record(NameKind.AGENCY, BLUESKY)
    assert record is not None and (record.status, record.target) == (NameStatus.MERGED, BLUE)
    assert not await store.moderate_name(NameKind.AGENCY, BLUESKY, True)


async def test_linking_to_a_registry_entry_moves_reports_to_it(
    store: Store, clock: FakeClock
) -> None:
    listed = make_report(clock)
    await store.save_report(ALICE, listed, reporter_since=clock())
    await store.save_report(BOB, unlisted(clock, "Blue Sky Manpower"), reporter_since=clock())
    assert await store.merge_agency(BLUE, AGENCY) == 1
    (bob,) = await store.reports_of(BOB)
    assert (bob.report.recruiter_id, bob.report.agency_name) == (AGENCY, None)
    await counted_equals_reference(store, {AGENCY: {ALICE: listed, BOB: bob.report}})
    with pytest.raises(ValueError):
        await store.merge_agency(AGENCY, BLUE)
    # A second run moves nothing more (a retried request is harmless).
    assert await store.merge_agency(BLUE, AGENCY) == 0
    assert (await store.summary(AGENCY)).reporters == 2


async def test_broker_counts_are_distinct_counted_reporters(
    store: Store, clock: FakeClock
) -> None:
    for n in range(3):
        await store.save_report(person_id(n), make_report(clock, broker="Mr. Otieno Office"),
                                reporter_since=clock())  # fmt: skip
    await store.save_report(person_id(3), make_report(clock, broker="mr otieno office"),
                            reporter_since=clock())  # fmt: skip
    await store.save_report(person_id(4), make_report(clock, broker="Zawadi"), held=True,
                            reporter_since=clock())  # fmt: skip
    # Replacing a rating does not count the broker twice.
    await store.save_report(person_id(0), make_report(clock, broker="Mr. Otieno Office"),
                            reporter_since=clock())  # fmt: skip
    key = broker_key("Mr. Otieno Office")
    assert await store.broker_counts(AGENCY) == {key: 4}
    records = await store.name_records(NameKind.BROKER)
    assert [(r.key, r.text, r.status) for r in records] == [
        (key, "Mr. Otieno Office", NameStatus.PENDING),
        (broker_key("Zawadi"), "Zawadi", NameStatus.PENDING),
    ]  # fmt: skip


async def test_forgetting_drops_pending_names_no_report_holds(
    store: Store, clock: FakeClock
) -> None:
    await store.save_report(ALICE, unlisted(clock, "Blue Sky Manpower", broker="Zawadi"),
                            reporter_since=clock())  # fmt: skip
    await store.save_report(BOB, unlisted(clock, "Sunrise Kazi"), reporter_since=clock())
    assert await store.moderate_name(NameKind.AGENCY, pending_recruiter_id("KE", "Sunrise Kazi"),
                                     True)  # fmt: skip
    await store.forget(ALICE)
    assert await store.name_records(NameKind.AGENCY, status=NameStatus.PENDING) == []
    assert await store.name_records(NameKind.BROKER) == []
    await store.forget(BOB)  # an approved name stays (a moderator decided about it)
    assert [r.status for r in await store.name_records(NameKind.AGENCY)] == [NameStatus.APPROVED]


async def test_a_failed_turn_keeps_no_name(
    store: Store, clock: FakeClock, adapter: Adapter
) -> None:
    """Where a turn is one transaction, its names go with it; elsewhere a retry is harmless."""
    with pytest.raises(RuntimeError):
        async with store.unit_of_work():
            await store.save_report(ALICE, unlisted(clock, "Blue Sky Manpower"),
                                    reporter_since=clock())  # fmt: skip
            raise RuntimeError("the turn failed")
    if adapter.name in TRANSACTIONAL:
        assert await store.name_records(NameKind.AGENCY) == []
    await store.save_report(ALICE, unlisted(clock, "Blue Sky Manpower"), reporter_since=clock())
    assert len(await store.name_records(NameKind.AGENCY)) == 1
