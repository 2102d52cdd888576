"""The report-back part of the follow-up store contract, over every adapter: listing who is
enrolled, approving a round once, queueing its jobs beside the check-ins, ``last_round``."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

from followups import CONSENT_VERSION, Enrolment, FollowupStore, JobKind, Stage
from followups.models import Round, RoundMessage
from followups.reportback import digest, message_key, reportback_jobs
from followups.schedule import checkin_jobs

T0 = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
MESSAGES = {
    message_key("KE", "QA", "sw"): RoundMessage(
        "Kati ya wafanyakazi 120 kutoka Kenya nchini Qatar, 41% walilipa ada.",
        (("qa-recruitment-fees", "📖 Ada"),)),
    message_key("KE", "QA", "en"): RoundMessage("Of 120 workers from Kenya in Qatar, 41% paid."),
}


def person(name: str, *, locale: str = "sw", destination: str | None = "QA") -> Enrolment:
    return Enrolment(name, CONSENT_VERSION, T0 - dt.timedelta(days=40),
                     b"\x01sealed-" + name.encode(), Stage.BEFORE, "2027-01", "KE-1", locale,
                     origin="KE", destination=destination)


def approved(round_id: str = "2026Q4") -> Round:
    return Round(round_id, T0, "acct-admin", MESSAGES, digest(round_id, MESSAGES))


async def enrol(store: FollowupStore, *people: Enrolment) -> None:
    for found in people:
        await store.enrol(found, checkin_jobs(found.pseudonym, found.month, found.consented_at))


async def test_enrolments_lists_everyone_with_corridor_and_language(
    followups: FollowupStore,
) -> None:
    await enrol(followups, person("p2", locale="en"), person("p1"))
    listed = await followups.enrolments()
    assert listed == [person("p1"), person("p2", locale="en")]
    assert (listed[0].destination, listed[0].last_round) == ("QA", None)

    await followups.stop("p2")
    assert [e.pseudonym for e in await followups.enrolments()] == ["p1"]
    await followups.forget("p1")
    assert await followups.enrolments() == []


async def test_a_round_is_approved_once_and_its_jobs_join_the_queue(
    followups: FollowupStore,
) -> None:
    people = [person("p1"), person("p2", locale="en"), person("p3", destination=None)]
    await enrol(followups, *people)
    jobs = reportback_jobs(people, "2026Q4", MESSAGES, T0)
    assert [j.person for j in jobs] == ["p1", "p2"], "no corridor, no message"

    assert await followups.round("2026Q4") is None
    assert await followups.approve_round(approved(), jobs) is True
    kept = await followups.round("2026Q4")
    assert kept == approved()
    assert kept is not None and kept.messages[message_key("KE", "QA", "sw")].guides == (
        ("qa-recruitment-fees", "📖 Ada"),)

    assert await followups.approve_round(dataclasses.replace(approved(), approved_by="other"),
                                         jobs) is False, "approving twice queues nothing"
    assert (await followups.round("2026Q4")).approved_by == "acct-admin"  # type: ignore[union-attr]
    for name in ("p1", "p2"):
        kinds = [(j.kind, j.ref) for j in await followups.jobs_of(name)]
        assert kinds.count((JobKind.REPORTBACK, "2026Q4")) == 1
        assert (JobKind.CHECKIN, "30") in kinds, "the check-ins stay queued"
    assert [j.kind for j in await followups.jobs_of("p3")] == [JobKind.CHECKIN] * 2


async def test_a_round_job_is_claimed_once_and_a_sent_one_is_not_queued_again(
    followups: FollowupStore,
) -> None:
    await enrol(followups, person("p1"))
    await followups.approve_round(approved(), reportback_jobs([person("p1")], "2026Q4",
                                                              MESSAGES, T0))
    claimed = await followups.claim(T0, lease_until=T0 + MINUTE, owner="w1")
    assert [(j.kind, j.ref) for j in claimed] == [(JobKind.REPORTBACK, "2026Q4")]
    assert await followups.claim(T0, lease_until=T0 + MINUTE, owner="w2") == []

    await followups.mark_reported("p1", "2026Q4")
    assert await followups.done(claimed[0].id, "w1") is True
    kept = await followups.enrolment("p1")
    assert kept is not None and kept.last_round == "2026Q4"
    assert kept.destination == "QA" and kept.address == person("p1").address
    assert reportback_jobs([kept], "2026Q4", MESSAGES, T0) == [], "received: not queued again"
    assert await followups.approve_round(approved(), [claimed[0]]) is False
    assert await followups.claim(T0 + MINUTE, lease_until=T0 + 2 * MINUTE, owner="w1") == []


async def test_marking_someone_not_enrolled_changes_nothing(followups: FollowupStore) -> None:
    await followups.mark_reported("nobody", "2026Q4")
    assert await followups.enrolment("nobody") is None
    assert await followups.enrolments() == []


async def test_forget_drops_a_queued_round_job(followups: FollowupStore) -> None:
    await enrol(followups, person("p1"), person("p2"))
    await followups.approve_round(
        approved(), reportback_jobs([person("p1"), person("p2")], "2026Q4", MESSAGES, T0))
    await followups.forget("p1")
    await followups.stop("p2")
    assert await followups.claim(T0, lease_until=T0 + MINUTE, owner="w1") == []
    assert await followups.round("2026Q4") is not None, "the round itself names no one"


async def test_two_approvals_at_once_queue_the_round_once(followups: FollowupStore) -> None:
    people = [person("p1"), person("p2", locale="en")]
    await enrol(followups, *people)
    jobs = reportback_jobs(people, "2026Q4", MESSAGES, T0)
    outcomes = await asyncio.gather(
        followups.approve_round(approved(), jobs),
        followups.approve_round(dataclasses.replace(approved(), approved_by="other"), jobs))
    assert sorted(outcomes) == [False, True], "one approval wins, the other queues nothing"
    claimed = await followups.claim(T0, lease_until=T0 + MINUTE, owner="w1")
    assert sorted(j.person for j in claimed) == ["p1", "p2"]


async def test_agreeing_again_keeps_a_queued_round_and_what_was_received(
    followups: FollowupStore,
) -> None:
    await enrol(followups, person("p1"))
    await followups.approve_round(approved(), reportback_jobs([person("p1")], "2026Q4",
                                                              MESSAGES, T0))
    await followups.mark_reported("p1", "2025Q3")  # an earlier round reached them
    await enrol(followups, dataclasses.replace(person("p1"), recruiter_id="KE-2"))
    kinds = [(j.kind, j.ref) for j in await followups.jobs_of("p1")]
    assert kinds.count((JobKind.REPORTBACK, "2026Q4")) == 1, "the queued round stays"
    assert kinds.count((JobKind.CHECKIN, "30")) == 1, "the check-ins are planned afresh"
    kept = await followups.enrolment("p1")
    assert kept is not None and (kept.recruiter_id, kept.last_round) == ("KE-2", "2025Q3")
