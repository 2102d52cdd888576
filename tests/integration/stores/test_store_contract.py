"""The store contract: every adapter in ``conftest.ADAPTERS`` must pass all of it.

The engine and the channels rely only on what is checked here, so a worker on
any adapter serves the next message the same way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import random
from typing import Any

from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.reports import Report
from recruiter_reports.stores import Store
from recruiter_reports.stores.records import CommentStatus
from recruiter_reports.summaries import summarize

from .conftest import Adapter, FakeClock

KEY = b"contract-suite-key-0123456789-abcdefghijkl"
ALICE = hmac.new(KEY, b"telegram:1001", hashlib.sha256).hexdigest()
BOB = hmac.new(KEY, b"whatsapp:254700000001", hashlib.sha256).hexdigest()


def _state(greeting: str) -> dict[str, Any]:
    return {
        "flow": "rate_recruiter",
        "locale": "sw",
        "step": 3,
        "answers": {
            "fees_band": "50k-100k",
            "receipt": False,
            "recommend": 2,
            "comment": greeting,
            "ratio": 0.75,
            "skipped": None,
        },
        "history": [["menu", "rate"], {"choice": "destination:QA"}],
        "notes": {
            "sw": "Habari, nimefika salama Doha lakini pasipoti yangu imechukuliwa.",
            "ne": "म सुरक्षित छु, तर मेरो राहदानी कम्पनीले राखेको छ।",
            "ar": "أين جواز سفري؟ صاحب العمل أخذه.",
        },
    }


def _later(clock: FakeClock, **delta: float) -> dt.datetime:
    return clock() + dt.timedelta(**delta)


async def test_nothing_is_saved_for_a_new_person(store: Store) -> None:
    assert await store.load_session(ALICE) is None


async def test_nested_multilingual_state_comes_back_unchanged(
    store: Store, clock: FakeClock
) -> None:
    state = _state("Nimelipa ada kubwa sana")
    await store.save_session(ALICE, state, _later(clock, hours=1))
    assert await store.load_session(ALICE) == state


async def test_saving_again_replaces_the_whole_state(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, _state("first"), _later(clock, hours=1))
    await store.save_session(ALICE, {"flow": "menu"}, _later(clock, hours=1))
    assert await store.load_session(ALICE) == {"flow": "menu"}


async def test_changing_a_state_after_saving_it_does_not_change_what_is_stored(
    store: Store, clock: FakeClock
) -> None:
    state = _state("original")
    await store.save_session(ALICE, state, _later(clock, hours=1))
    state["answers"]["comment"] = "changed in memory only"
    loaded = await store.load_session(ALICE)
    assert loaded is not None
    assert loaded["answers"]["comment"] == "original"


async def test_state_is_dropped_when_it_expires(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"flow": "menu"}, _later(clock, minutes=30))
    clock.advance(minutes=29, seconds=59)
    assert await store.load_session(ALICE) == {"flow": "menu"}
    clock.advance(seconds=1)
    assert await store.load_session(ALICE) is None


async def test_saving_again_extends_the_expiry(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"step": 1}, _later(clock, minutes=30))
    clock.advance(minutes=20)
    await store.save_session(ALICE, {"step": 2}, _later(clock, minutes=30))
    clock.advance(minutes=20)
    assert await store.load_session(ALICE) == {"step": 2}


async def test_a_new_state_can_be_saved_after_the_old_one_expired(
    store: Store, clock: FakeClock
) -> None:
    await store.save_session(ALICE, {"step": 1}, _later(clock, minutes=1))
    clock.advance(hours=2)
    assert await store.load_session(ALICE) is None
    await store.save_session(ALICE, {"step": 9}, _later(clock, minutes=1))
    assert await store.load_session(ALICE) == {"step": 9}


async def test_expiry_in_another_time_zone_means_the_same_instant(
    store: Store, clock: FakeClock
) -> None:
    doha = dt.timezone(dt.timedelta(hours=3))
    await store.save_session(ALICE, {"step": 1}, _later(clock, minutes=10).astimezone(doha))
    clock.advance(minutes=9)
    assert await store.load_session(ALICE) == {"step": 1}
    clock.advance(minutes=1)
    assert await store.load_session(ALICE) is None


async def _claim(store: Store, clock: FakeClock, key: str, *, lease_minutes: float = 1) -> bool:
    return await store.claim_delivery(
        key, lease_until=_later(clock, minutes=lease_minutes), expires_at=_later(clock, days=1)
    )


async def test_a_delivery_is_claimed_once_while_its_lease_runs(
    store: Store, clock: FakeClock
) -> None:
    assert await _claim(store, clock, "telegram:5001") is True
    assert await _claim(store, clock, "telegram:5001") is False
    clock.advance(seconds=59)
    assert await _claim(store, clock, "telegram:5001") is False
    assert await _claim(store, clock, "telegram:5002") is True
    assert await _claim(store, clock, "whatsapp:5001") is True


async def test_a_claim_whose_worker_died_is_claimed_again_after_its_lease(
    store: Store, clock: FakeClock
) -> None:
    assert await _claim(store, clock, "telegram:5003") is True
    clock.advance(minutes=1)
    assert await _claim(store, clock, "telegram:5003") is True
    # The new claim has its own lease.
    assert await _claim(store, clock, "telegram:5003") is False


async def test_a_completed_delivery_is_never_claimed_again_before_it_expires(
    store: Store, clock: FakeClock
) -> None:
    assert await _claim(store, clock, "telegram:5004") is True
    await store.complete_delivery("telegram:5004")
    assert await _claim(store, clock, "telegram:5004") is False
    clock.advance(hours=23)
    assert await _claim(store, clock, "telegram:5004") is False
    # Releasing a handled delivery does not let it in twice.
    await store.release_delivery("telegram:5004")
    assert await _claim(store, clock, "telegram:5004") is False


async def test_a_released_claim_lets_the_retry_through_at_once(
    store: Store, clock: FakeClock
) -> None:
    assert await _claim(store, clock, "telegram:5005") is True
    await store.release_delivery("telegram:5005")
    assert await _claim(store, clock, "telegram:5005") is True
    assert await _claim(store, clock, "telegram:5005") is False


async def test_completing_or_releasing_an_unknown_delivery_is_harmless(
    store: Store, clock: FakeClock
) -> None:
    await store.complete_delivery("telegram:5006")
    await store.release_delivery("telegram:5007")
    assert await _claim(store, clock, "telegram:5007") is True


async def test_a_delivery_reads_completed_only_once_it_was_completed(
    store: Store, clock: FakeClock
) -> None:
    assert await store.delivery_completed("telegram:5010") is False
    assert await _claim(store, clock, "telegram:5010") is True
    assert await store.delivery_completed("telegram:5010") is False  # claimed, not done
    await store.complete_delivery("telegram:5010")
    assert await store.delivery_completed("telegram:5010") is True
    clock.advance(days=2)
    assert await store.delivery_completed("telegram:5010") is False  # expired


async def test_a_restarted_worker_releases_only_its_own_unfinished_claims(
    store: Store, clock: FakeClock
) -> None:
    until, expires = _later(clock, minutes=2), _later(clock, days=1)
    for key, owner in (("t:1", "host:8080"), ("t:2", "host:8080"), ("t:3", "host:8081")):
        assert await store.claim_delivery(key, lease_until=until, expires_at=expires, owner=owner)
    await store.complete_delivery("t:2")
    assert await store.release_deliveries_of("host:8080") == 1
    assert await _claim(store, clock, "t:1") is True  # the dead worker's claim: free at once
    assert await _claim(store, clock, "t:2") is False  # handled: still a repeat
    assert await _claim(store, clock, "t:3") is False  # another live worker's claim: kept
    assert await store.release_deliveries_of("host:9999") == 0


async def test_of_claims_racing_for_one_delivery_exactly_one_wins(
    store: Store, clock: FakeClock
) -> None:
    assert await _claim(store, clock, "telegram:5008") is True
    clock.advance(minutes=2)
    verdicts = await asyncio.gather(*(_claim(store, clock, "telegram:5008") for _ in range(8)))
    assert sorted(verdicts) == [False] * 7 + [True]


async def test_a_delivery_key_is_new_again_after_it_expired(store: Store, clock: FakeClock) -> None:
    key = "whatsapp:wamid.A"
    claimed = await store.claim_delivery(
        key, lease_until=_later(clock, minutes=1), expires_at=_later(clock, hours=1)
    )
    assert claimed is True
    await store.complete_delivery(key)
    clock.advance(hours=1)
    assert await _claim(store, clock, key) is True
    assert await _claim(store, clock, key) is False


async def test_people_do_not_see_each_others_state(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"who": "alice"}, _later(clock, hours=1))
    await store.save_session(BOB, {"who": "bob"}, _later(clock, hours=1))
    assert await store.load_session(ALICE) == {"who": "alice"}
    assert await store.load_session(BOB) == {"who": "bob"}


async def test_forget_erases_only_that_person(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, _state("alice"), _later(clock, hours=1))
    await store.save_session(BOB, _state("bob"), _later(clock, hours=1))
    await store.forget(ALICE)
    assert await store.load_session(ALICE) is None
    assert await store.load_session(BOB) == _state("bob")


async def test_forgetting_someone_unknown_is_harmless(store: Store, clock: FakeClock) -> None:
    await store.save_session(BOB, {"who": "bob"}, _later(clock, hours=1))
    await store.forget(ALICE)
    assert await store.load_session(BOB) == {"who": "bob"}


async def test_ping_answers_when_open(store: Store) -> None:
    assert await store.ping() is True


async def test_opening_twice_is_harmless(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"step": 1}, _later(clock, hours=1))
    await store.open()
    assert await store.ping() is True
    assert await store.load_session(ALICE) == {"step": 1}


async def test_state_survives_closing_and_reopening(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, _state("before restart"), _later(clock, hours=1))
    assert await _claim(store, clock, "telegram:77") is True
    await store.complete_delivery("telegram:77")
    assert await _claim(store, clock, "telegram:78") is True
    await store.close()
    await store.open()
    assert await store.load_session(ALICE) == _state("before restart")
    assert await _claim(store, clock, "telegram:77") is False
    # An unfinished claim survives too: its lease still runs after the restart.
    assert await _claim(store, clock, "telegram:78") is False


async def test_fifty_people_at_once_each_get_their_own_state(
    store: Store, clock: FakeClock
) -> None:
    people = [
        hmac.new(KEY, f"telegram:{n}".encode(), hashlib.sha256).hexdigest() for n in range(50)
    ]
    until = _later(clock, hours=1)

    async def converse(number: int, pseudonym: str) -> dict[str, Any] | None:
        await store.save_session(pseudonym, {"n": number, "text": f"ujumbe {number}"}, until)
        return await store.load_session(pseudonym)

    results = await asyncio.gather(*(converse(n, p) for n, p in enumerate(people)))
    assert results == [{"n": n, "text": f"ujumbe {n}"} for n in range(50)]
    reloaded = await asyncio.gather(*(store.load_session(p) for p in people))
    assert [state["n"] if state else None for state in reloaded] == list(range(50))


async def test_a_raw_user_id_never_reaches_storage(
    store: Store, adapter: Adapter, clock: FakeClock
) -> None:
    pseudonymize = Pseudonymizer(KEY)
    pseudonym = pseudonymize("telegram", "123456789")
    await store.save_session(pseudonym, {"flow": "menu", "locale": "ne"}, _later(clock, hours=1))

    written = adapter.persisted_bytes(store)
    # The pseudonym is there (so we are reading the right place), the raw id is not.
    assert pseudonym.encode() in written
    assert b"123456789" not in written


# -- ratings: consent, reports, summaries, limits, moderation ---------------------------

AGENCY = "KE-EX-KE-0001"
OTHER_AGENCY = "KE-EX-KE-0002"


def _person(n: int) -> str:
    return hmac.new(KEY, f"telegram:{5000 + n}".encode(), hashlib.sha256).hexdigest()


def _report(clock: FakeClock, recruiter_id: str = AGENCY, **answers: Any) -> Report:
    fields: dict[str, Any] = {
        "origin": recruiter_id[:2],
        "destination": "QA",
        "fee_band": "b2",
        "receipt_full_amount": False,
        "job_as_promised": True,
        "contract_substituted": False,
        "passport_kept": True,
        "orientation": None,
        "recommend": 2,
    }
    fields.update(answers)
    return Report(recruiter_id=recruiter_id, created_at=clock(), **fields)


async def _counted_equals_reference(store: Store, expected: dict[str, dict[str, Report]]) -> None:
    """Every stored summary (and breakdown) equals ``summarize`` over the reports that count."""
    for recruiter_id, by_person in expected.items():
        reports = list(by_person.values())
        assert await store.summary(recruiter_id) == summarize(reports, recruiter_id)
        for by in ("destination", "year"):
            cells = await store.breakdown(recruiter_id, by)  # type: ignore[arg-type]
            assert sum(cell.reporters for cell in cells.values()) == len(reports)
            for key, cell in cells.items():
                members = [
                    r for r in reports
                    if (r.destination or "" if by == "destination" else str(r.created_at.year))
                    == key
                ]
                assert cell == summarize(members, recruiter_id)


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
    saved = await store.save_report(ALICE, _report(clock), reporter_since=clock())
    assert (saved.replaced, saved.held) == (False, False)
    summary = await store.summary(AGENCY)
    assert summary == summarize([_report(clock)], AGENCY)
    assert summary.indicators["passport_kept"].yes == 1
    assert (await store.summary(OTHER_AGENCY)).reporters == 0


async def test_a_second_report_about_the_same_recruiter_replaces_the_first(
    store: Store, clock: FakeClock
) -> None:
    await store.save_report(ALICE, _report(clock, passport_kept=True), reporter_since=clock())
    clock.advance(hours=2)
    newer = _report(clock, passport_kept=False, recommend=5)
    saved = await store.save_report(ALICE, newer, reporter_since=clock())
    assert saved.replaced
    assert await store.summary(AGENCY) == summarize([newer], AGENCY)
    assert [stored.report for stored in await store.reports_of(ALICE)] == [newer]


async def test_forget_removes_the_persons_reports_and_consent_from_the_numbers(
    store: Store, clock: FakeClock
) -> None:
    await store.save_consent(ALICE, "1", clock())
    await store.save_report(ALICE, _report(clock, recommend=1), reporter_since=clock())
    await store.save_report(ALICE, _report(clock, OTHER_AGENCY), reporter_since=clock())
    kept = _report(clock, recommend=4)
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
    await store.save_report(ALICE, _report(clock), reporter_since=clock())
    await store.withdraw_consent(ALICE)
    assert await store.consent(ALICE) is None
    assert await store.reports_of(ALICE) == []
    assert (await store.summary(AGENCY)).reporters == 0


async def test_held_reports_count_only_once_accepted(store: Store, clock: FakeClock) -> None:
    held = await store.save_report(ALICE, _report(clock), held=True, reporter_since=clock())
    other = await store.save_report(BOB, _report(clock), held=True, reporter_since=clock())
    assert held.held
    assert (await store.summary(AGENCY)).reporters == 0
    assert [r.id for r in await store.held_reports()] == [held.id, other.id]
    assert await store.accept_held(held.id)
    assert (await store.summary(AGENCY)).reporters == 1
    assert await store.discard_held(other.id)
    assert not await store.accept_held(other.id)
    assert not await store.discard_held(held.id)  # accepted: no longer held
    assert await store.held_reports() == []
    assert (await store.summary(AGENCY)).reporters == 1
    assert await store.reports_of(BOB) == []


async def test_sector_overview_filters_by_origin_and_destination(
    store: Store, clock: FakeClock
) -> None:
    np_agency = "NP-EX-NP-0001"
    await store.save_report(ALICE, _report(clock, destination="QA"), reporter_since=clock())
    await store.save_report(BOB, _report(clock, destination="AE"), reporter_since=clock())
    await store.save_report(ALICE, _report(clock, np_agency), reporter_since=clock())
    everything = await store.summaries()
    assert {rid: s.reporters for rid, s in everything.items()} == {AGENCY: 2, np_agency: 1}
    kenya = await store.summaries(origin="KE")
    assert set(kenya) == {AGENCY}
    qatar = await store.summaries(origin="KE", destination="QA")
    assert {rid: s.reporters for rid, s in qatar.items()} == {AGENCY: 1}


async def test_breakdown_cells_add_up_to_the_summary(store: Store, clock: FakeClock) -> None:
    await store.save_report(ALICE, _report(clock, destination="QA"), reporter_since=clock())
    await store.save_report(BOB, _report(clock, destination=None), reporter_since=clock())
    clock.advance(days=366)
    await store.save_report(_person(1), _report(clock), reporter_since=clock())
    by_destination = await store.breakdown(AGENCY, "destination")
    assert {key: s.reporters for key, s in by_destination.items()} == {"QA": 2, "": 1}
    by_year = await store.breakdown(AGENCY, "year")
    assert {key: s.reporters for key, s in by_year.items()} == {"2026": 2, "2027": 1}


async def test_new_ratings_are_counted_for_the_daily_limit_but_replacements_are_not(
    store: Store, clock: FakeClock
) -> None:
    start = clock()
    await store.save_report(ALICE, _report(clock), reporter_since=start)
    clock.advance(hours=1)
    await store.save_report(ALICE, _report(clock, OTHER_AGENCY), reporter_since=start)
    clock.advance(hours=1)
    await store.save_report(ALICE, _report(clock, recommend=5), reporter_since=start)
    assert await store.new_reports_since(ALICE, start) == 2
    assert await store.new_reports_since(ALICE, start + dt.timedelta(minutes=30)) == 1
    assert await store.new_reports_since(BOB, start) == 0


async def test_burst_count_includes_only_recent_reports_of_new_reporters(
    store: Store, clock: FakeClock
) -> None:
    veteran_since = clock()
    clock.advance(days=10)
    await store.save_report(ALICE, _report(clock), reporter_since=veteran_since)
    for n in range(3):
        await store.save_report(_person(n), _report(clock), held=n == 2, reporter_since=clock())
    window = clock() - dt.timedelta(hours=1)
    newcomers = clock() - dt.timedelta(days=1)
    assert await store.recent_reports_from_new_reporters(AGENCY, window, newcomers) == 3
    clock.advance(hours=2)
    window = clock() - dt.timedelta(hours=1)
    assert await store.recent_reports_from_new_reporters(AGENCY, window, newcomers) == 0


async def test_comments_wait_for_a_moderator_and_a_rejected_one_loses_its_text(
    store: Store, clock: FakeClock
) -> None:
    first = await store.save_report(ALICE, _report(clock, comment="Fees too high"),
                                    reporter_since=clock())  # fmt: skip
    second = await store.save_report(BOB, _report(clock, comment="Kept my passport"),
                                     reporter_since=clock())  # fmt: skip
    await store.save_report(_person(1), _report(clock), reporter_since=clock())
    pending = await store.pending_comments()
    assert [(p.id, p.report.comment) for p in pending] == [
        (first.id, "Fees too high"), (second.id, "Kept my passport"),
    ]  # fmt: skip
    assert all(p.comment_status is CommentStatus.PENDING for p in pending)
    assert await store.moderate_comments([first.id], approve=True) == 1
    assert await store.moderate_comments([second.id, "999999"], approve=False) == 1
    assert await store.pending_comments() == []
    (bob,) = await store.reports_of(BOB)
    assert (bob.report.comment, bob.comment_status) == (None, CommentStatus.REJECTED)
    (alice,) = await store.reports_of(ALICE)
    assert alice.comment_status is CommentStatus.APPROVED


async def test_summaries_always_equal_summarize_of_the_counted_reports(
    store: Store, clock: FakeClock
) -> None:
    """Random saves, replacements, held reports, accepts and forgets never make them drift."""
    rng = random.Random(20261123)
    agencies = [AGENCY, OTHER_AGENCY, "NP-EX-NP-0003"]
    people = [_person(n) for n in range(12)]
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
        report = _report(
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
    await _counted_equals_reference(store, counted)
    await store.recompute_summaries()
    await _counted_equals_reference(store, counted)
    overview = await store.summaries()
    assert overview == {rid: summarize(r.values(), rid) for rid, r in counted.items() if r}


async def test_reports_hold_no_raw_user_id(
    store: Store, adapter: Adapter, clock: FakeClock
) -> None:
    pseudonym = Pseudonymizer(KEY)("telegram", "123456789")
    await store.save_consent(pseudonym, "1", clock())
    await store.save_report(pseudonym, _report(clock, comment="fees"), reporter_since=clock())
    written = adapter.persisted_bytes(store)
    assert pseudonym.encode() in written
    assert b"123456789" not in written
