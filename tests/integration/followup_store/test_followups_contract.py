"""One contract for every follow-up store: enrolment, the leased queue, stop, forget, answers."""

from __future__ import annotations

import datetime as dt

from followups import CheckinAnswers, Enrolment, FollowupStore, JobStatus, Stage
from followups.promise import promise_reality
from followups.schedule import checkin_jobs

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def enrolment(person: str = "p1", *, month: str = "2026-12", agency: str = "KE-1") -> Enrolment:
    return Enrolment(person, "followups-2026-12", T0, b"\x01sealed-" + person.encode(),
                     Stage.ARRIVED, month, agency, "sw", origin="KE")


async def enrol(store: FollowupStore, person: str = "p1", **kwargs: str) -> None:
    made = enrolment(person, **kwargs)
    await store.enrol(made, checkin_jobs(person, made.month, made.consented_at))


async def test_an_enrolment_keeps_the_sealed_address_and_queues_two_check_ins(
    followups: FollowupStore,
) -> None:
    await enrol(followups)

    kept = await followups.enrolment("p1")
    assert kept == enrolment()
    jobs = await followups.jobs_of("p1")
    assert [job.ref for job in jobs] == ["30", "90"]
    assert jobs[0].due_at == dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    assert jobs[1].due_at == dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC)


async def test_enrolling_again_replaces_the_queue_without_doubling_it(
    followups: FollowupStore,
) -> None:
    await enrol(followups)
    await enrol(followups)
    await enrol(followups, month="2027-02")

    jobs = await followups.jobs_of("p1")
    assert len(jobs) == 2
    assert jobs[0].due_at.date() == dt.date(2027, 3, 3)
    assert (await followups.enrolment("p1")).month == "2027-02"  # type: ignore[union-attr]


async def test_nothing_is_claimed_before_it_is_due(followups: FollowupStore) -> None:
    await enrol(followups)
    assert await followups.claim(T0 + dt.timedelta(days=29), lease_until=T0, owner="w1") == []


async def test_a_lease_keeps_other_workers_out_until_it_runs_out(
    followups: FollowupStore,
) -> None:
    await enrol(followups)
    due = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    [job] = await followups.claim(due, lease_until=due + 2 * MINUTE, owner="w1")
    assert job.owner == "w1" and job.ref == "30"

    assert await followups.claim(due + MINUTE, lease_until=due + 3 * MINUTE, owner="w2") == []
    later = due + 3 * MINUTE
    [again] = await followups.claim(later, lease_until=later + 2 * MINUTE, owner="w2")
    assert again.id == job.id, "the first worker died: the job is not lost"
    assert await followups.done(job.id, "w1") is False, "an expired lease cannot finish it"
    assert await followups.done(job.id, "w2") is True
    assert [j.ref for j in await followups.jobs_of("p1")] == ["90"]


async def test_a_retry_counts_the_attempt_and_waits(followups: FollowupStore) -> None:
    await enrol(followups)
    due = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    [job] = await followups.claim(due, lease_until=due + MINUTE, owner="w1")

    assert await followups.retry(job.id, "w1", due_at=due + 10 * MINUTE,
                                 status=JobStatus.PENDING, detail="rate limited") is True
    assert await followups.claim(due + 5 * MINUTE, lease_until=due, owner="w1") == []
    [again] = await followups.claim(due + 10 * MINUTE, lease_until=due + 11 * MINUTE, owner="w2")
    assert (again.attempts, again.detail) == (1, "rate limited")
    assert await followups.retry(job.id, "w1", due_at=due, status=JobStatus.PENDING,
                                 detail="") is False, "only the lease holder records a try"


async def test_a_waiting_job_goes_out_only_once_the_person_writes(
    followups: FollowupStore,
) -> None:
    await enrol(followups)
    due = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    [job] = await followups.claim(due, lease_until=due + MINUTE, owner="w1")
    await followups.retry(job.id, "w1", due_at=due + dt.timedelta(days=365),
                          status=JobStatus.WAITING, detail="template sent")
    late = due + dt.timedelta(days=400)
    claimed = await followups.claim(late, lease_until=late + MINUTE, owner="w1")
    assert [j.ref for j in claimed] == ["90"], "a waiting job is never claimed by time"

    wrote = due + dt.timedelta(hours=5)
    assert await followups.wake("p1", wrote) == 1
    assert await followups.wake("p2", wrote) == 0
    [woken] = await followups.claim(wrote, lease_until=wrote + MINUTE, owner="w1")
    assert (woken.id, woken.seen_at, woken.status) == (job.id, wrote, JobStatus.PENDING)


async def test_claim_takes_the_soonest_first_and_keeps_to_the_limit(
    followups: FollowupStore,
) -> None:
    await enrol(followups, "p1", month="2026-12")
    await enrol(followups, "p2", month="2027-01")
    late = T0 + dt.timedelta(days=200)
    first = await followups.claim(late, lease_until=late + MINUTE, owner="w1", limit=3)
    assert [(j.person, j.ref) for j in first] == [("p1", "30"), ("p2", "30"), ("p1", "90")]
    rest = await followups.claim(late, lease_until=late + MINUTE, owner="w2", limit=3)
    assert [(j.person, j.ref) for j in rest] == [("p2", "90")]


async def test_stop_ends_every_follow_up_and_drops_the_address(followups: FollowupStore) -> None:
    await enrol(followups)
    await enrol(followups, "p2")
    await followups.save_answers(CheckinAnswers("p1", "KE-1", "30", T0, {"x": True}, True))

    assert await followups.stop("p1") == 2
    assert await followups.enrolment("p1") is None
    assert await followups.jobs_of("p1") == []
    assert len(await followups.answers_for("KE-1")) == 1, "answers given stay after /stop"
    assert len(await followups.jobs_of("p2")) == 2, "other people are untouched"
    assert await followups.stop("p1") == 0


async def test_forget_erases_the_answers_too(followups: FollowupStore) -> None:
    await enrol(followups)
    await followups.save_answers(CheckinAnswers("p1", "KE-1", "30", T0, {"x": True}, True))
    await followups.save_answers(CheckinAnswers("p2", "KE-1", "30", T0, {"x": False}, True))

    await followups.forget("p1")

    assert await followups.enrolment("p1") is None
    assert await followups.jobs_of("p1") == []
    assert await followups.answers_of("p1") == []
    assert [a.pseudonym for a in await followups.answers_for("KE-1")] == ["p2"]


async def test_answers_are_one_per_person_agency_and_round(followups: FollowupStore) -> None:
    first = CheckinAnswers("p1", "KE-1", "30", T0,
                           {"job_now_as_promised": True, "recommend_now": 4}, True, True)
    await followups.save_answers(first)
    changed = CheckinAnswers("p1", "KE-1", "30", T0 + MINUTE,
                             {"job_now_as_promised": False, "recommend_now": None}, True, True)
    await followups.save_answers(changed)
    await followups.save_answers(CheckinAnswers("p1", "KE-1", "90", T0 + 2 * MINUTE,
                                                {"wage_paid_in_full": False}, True, None))

    assert sorted(await followups.answers_of("p1"), key=lambda a: a.round) == [
        changed, CheckinAnswers("p1", "KE-1", "90", T0 + 2 * MINUTE,
                                {"wage_paid_in_full": False}, True, None)]
    figure = promise_reality(await followups.answers_for("KE-1"))
    assert (figure.reporters, figure.different) == (1, 1)


async def test_a_publication_is_replaced_only_by_one_with_more_reporters(
    followups: FollowupStore,
) -> None:
    assert await followups.published("KE-1") is None
    await followups.publish("KE-1", 5, 2)
    await followups.publish("KE-1", 5, 3)
    assert await followups.published("KE-1") == (5, 2)
    await followups.publish("KE-1", 4, 0)
    assert await followups.published("KE-1") == (5, 2)
    await followups.publish("KE-1", 10, 7)
    assert await followups.published("KE-1") == (10, 7)
    assert await followups.published("KE-2") is None
