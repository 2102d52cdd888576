"""Contract: agencies' replies and agency accounts, kept and read back alike by every adapter."""

from __future__ import annotations

import datetime as dt

import pytest

from recruiter_reports.replies import ReplyStatus, moderated, written
from recruiter_reports.stakeholders import Role, new_account
from recruiter_reports.stores import Store
from recruiter_reports.stores.replies_port import ReplyStore
from recruiter_reports.stores.stakeholder_port import stakeholder_store_for
from tests.integration.portal.conftest import FAST_HASHER

from .conftest import FakeClock
from .contract_data import AGENCY, OTHER_AGENCY


def _replies(store: Store) -> ReplyStore:
    found = stakeholder_store_for(store)
    assert isinstance(found, ReplyStore)
    return found


async def test_an_agency_account_keeps_the_entry_it_speaks_for(
    store: Store, clock: FakeClock
) -> None:
    account, _ = new_account("Agency staff", Role.AGENCY, [], clock(), FAST_HASHER, agency=AGENCY)
    accounts = stakeholder_store_for(store)
    await accounts.add_account(account)
    found = await accounts.account(account.id)
    assert found is not None and found.agency == AGENCY and found.countries == {AGENCY[:2]}
    with pytest.raises(ValueError, match="--agency"):
        new_account("No entry", Role.AGENCY, [], clock(), FAST_HASHER)


async def test_only_an_approved_reply_is_public_and_an_edit_waits_for_review(
    store: Store, clock: FakeClock
) -> None:
    replies = _replies(store)
    assert await replies.reply_record(AGENCY) is None
    assert await replies.public_replies() == {}
    first = written(None, AGENCY, "acct-1", "  We refund   every fee. ", clock())
    await replies.save_reply_record(first)
    assert await replies.public_reply(AGENCY) is None
    assert [r.recruiter_id for r in await replies.reply_records(ReplyStatus.PENDING)] == [AGENCY]
    approved = moderated(first, approve=True)
    assert approved is not None
    await replies.save_reply_record(approved)
    shown = await replies.public_reply(AGENCY)
    assert shown is not None and shown.text == "We refund every fee."
    assert shown.written_at == clock()
    clock.advance(days=2)
    edit = written(approved, AGENCY, "acct-1", "Call 0722 123 456 for a refund.", clock())
    await replies.save_reply_record(edit)
    assert "0722" not in edit.draft
    assert (await replies.public_reply(AGENCY)) == shown  # the approved text stays until reviewed
    rejected = moderated(edit, approve=False)
    assert rejected is not None and moderated(rejected, approve=True) is None
    await replies.save_reply_record(rejected)
    other = written(None, OTHER_AGENCY, "acct-2", "No comment.", clock())
    await replies.save_reply_record(other)
    assert await replies.reply_records(ReplyStatus.PENDING) == [other]
    assert list(await replies.public_replies()) == [AGENCY]


def test_a_reply_too_long_or_empty_is_refused() -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="at most 1000"):
        written(None, AGENCY, "a", "x" * 1001, at)
    with pytest.raises(ValueError, match="empty"):
        written(None, AGENCY, "a", "   ", at)
