"""The moderation contract (held reports, comments): every adapter must pass all of it."""

from __future__ import annotations

from recruiter_reports.stores import Store
from recruiter_reports.stores.records import CommentStatus

from .conftest import FakeClock
from .contract_data import (
    AGENCY,
    ALICE,
    BOB,
    make_report,
    person_id,
)


async def test_held_reports_count_only_once_accepted(store: Store, clock: FakeClock) -> None:
    held = await store.save_report(ALICE, make_report(clock), held=True, reporter_since=clock())
    other = await store.save_report(BOB, make_report(clock), held=True, reporter_since=clock())
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


async def test_comments_wait_for_a_moderator_and_a_rejected_one_loses_its_text(
    store: Store, clock: FakeClock
) -> None:
    first = await store.save_report(ALICE, make_report(clock, comment="Fees too high"),
                                    reporter_since=clock())  # fmt: skip
    second = await store.save_report(BOB, make_report(clock, comment="Kept my passport"),
                                     reporter_since=clock())  # fmt: skip
    await store.save_report(person_id(1), make_report(clock), reporter_since=clock())
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
