"""One contract for every stakeholder store (memory, SQLite, MongoDB); the audit log is append-only.

The stores come from the store contract suite's ``ADAPTERS``, so MongoDB runs
over the session's wire server (and a real MongoDB when ``MONGODB_TEST_URI``
is set), each test in a database of its own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.stakeholders import Role, new_account
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.stakeholder_port import (
    PortalSession,
    StakeholderStore,
    stakeholder_store_for,
)
from recruiter_reports.stores.stakeholders_memory import MemoryStakeholderStore
from recruiter_reports.stores.stakeholders_mongodb import MongoDBStakeholderStore
from recruiter_reports.stores.stakeholders_sqlite import SQLiteStakeholderStore
from tests.integration.portal.conftest import FAST_HASHER
from tests.integration.stores.conftest import ADAPTERS, Adapter, FakeClock

NOW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(params=ADAPTERS, ids=[adapter.name for adapter in ADAPTERS])
async def stakeholders(request: pytest.FixtureRequest, tmp_path: Path
                       ) -> AsyncIterator[StakeholderStore]:  # fmt: skip
    adapter: Adapter = request.param
    store = adapter.build(request, tmp_path, FakeClock(NOW))
    await store.open()
    try:
        yield stakeholder_store_for(store)
    finally:
        await store.close()


async def test_accounts_round_trip_and_revoke(stakeholders: StakeholderStore) -> None:
    account, _ = new_account("Ann", Role.OFFICIAL, ["KE", "QA"], NOW, FAST_HASHER)
    await stakeholders.add_account(account)
    assert await stakeholders.account(account.id) == account
    assert await stakeholders.account_by_key_id(account.key_id) == account
    with pytest.raises(ValueError, match="exists"):
        await stakeholders.add_account(account)
    session = PortalSession("h1", account.id, "csrf", NOW, NOW)
    await stakeholders.save_portal_session(session)
    assert await stakeholders.portal_session("h1") == session
    assert await stakeholders.revoke(account.id, NOW)
    assert not (await stakeholders.account(account.id)).active  # type: ignore[union-attr]
    assert await stakeholders.portal_session("h1") is None
    assert not await stakeholders.revoke("acct-unknown", NOW)
    assert [a.id for a in await stakeholders.accounts()] == [account.id]


async def test_sessions_touch_and_expire(stakeholders: StakeholderStore) -> None:
    await stakeholders.save_portal_session(PortalSession("h1", "a", "c", NOW, NOW))
    later = NOW + dt.timedelta(minutes=5)
    await stakeholders.touch_portal_session("h1", later)
    assert (await stakeholders.portal_session("h1")).last_seen == later  # type: ignore[union-attr]
    await stakeholders.delete_portal_sessions_before(later + dt.timedelta(seconds=1))
    assert await stakeholders.portal_session("h1") is None


async def test_audit_is_newest_first(stakeholders: StakeholderStore) -> None:
    for minute, action in enumerate([AuditAction.LOGIN, AuditAction.PAGE_VIEW,
                                     AuditAction.EXPORT]):  # fmt: skip
        await stakeholders.append_audit(
            AuditEntry(NOW + dt.timedelta(minutes=minute), "acct-1", action, "/x"))
    entries = await stakeholders.audit_entries(limit=2)
    assert [e.action for e in entries] == [AuditAction.EXPORT, AuditAction.PAGE_VIEW]
    assert entries[0].at == NOW + dt.timedelta(minutes=2)
    assert [e.action for e in await stakeholders.audit_entries(offset=2)] == [AuditAction.LOGIN]


async def test_key_ids_are_unique_and_accounts_list_oldest_first(
    stakeholders: StakeholderStore,
) -> None:
    first, _ = new_account("Ann", Role.OFFICIAL, ["KE"], NOW, FAST_HASHER)
    second, _ = new_account("Bo", Role.NGO, ["NP"], NOW + dt.timedelta(minutes=1), FAST_HASHER)
    await stakeholders.add_account(second)
    await stakeholders.add_account(first)
    same_key = dataclasses.replace(first, id="acct-other")
    with pytest.raises(ValueError, match="exists"):
        await stakeholders.add_account(same_key)
    assert await stakeholders.account("acct-other") is None
    assert await stakeholders.account_by_key_id("0" * 12) is None
    assert await stakeholders.revoke(first.id, NOW + dt.timedelta(hours=1))
    listed = await stakeholders.accounts()
    assert [(a.name, a.active) for a in listed] == [("Ann", False), ("Bo", True)]
    assert listed[1] == second


async def test_revoking_twice_keeps_the_first_time_and_ends_only_that_accounts_sessions(
    stakeholders: StakeholderStore,
) -> None:
    ann, _ = new_account("Ann", Role.OFFICIAL, ["KE"], NOW, FAST_HASHER)
    bo, _ = new_account("Bo", Role.NGO, ["KE"], NOW, FAST_HASHER)
    for account in (ann, bo):
        await stakeholders.add_account(account)
    for id_hash, owner in (("a1", ann), ("a2", ann), ("b1", bo)):
        await stakeholders.save_portal_session(PortalSession(id_hash, owner.id, "c", NOW, NOW))
    first, later = NOW + dt.timedelta(hours=1), NOW + dt.timedelta(hours=2)
    assert await stakeholders.revoke(ann.id, first)
    assert await stakeholders.revoke(ann.id, later)
    assert (await stakeholders.account(ann.id)).revoked_at == first  # type: ignore[union-attr]
    assert [await stakeholders.portal_session(h) is None for h in ("a1", "a2", "b1")] == [
        True, True, False,
    ]  # fmt: skip
    assert (await stakeholders.account(bo.id)).active  # type: ignore[union-attr]


async def test_ending_one_session_and_housekeeping_keep_the_others(
    stakeholders: StakeholderStore,
) -> None:
    for minute, id_hash in enumerate(("h0", "h1", "h2")):
        moment = NOW + dt.timedelta(minutes=minute)
        await stakeholders.save_portal_session(PortalSession(id_hash, "a", "c", moment, moment))
    await stakeholders.delete_portal_session("h2")
    await stakeholders.delete_portal_session("never-existed")
    await stakeholders.delete_portal_sessions_before(NOW + dt.timedelta(minutes=1))
    assert await stakeholders.portal_session("h0") is None
    assert await stakeholders.portal_session("h1") == PortalSession(
        "h1", "a", "c", NOW + dt.timedelta(minutes=1), NOW + dt.timedelta(minutes=1))
    assert await stakeholders.portal_session("h2") is None
    await stakeholders.touch_portal_session("gone", NOW)
    assert await stakeholders.portal_session("gone") is None


async def test_login_failures_are_counted_per_source_within_the_window(
    stakeholders: StakeholderStore,
) -> None:
    window = dt.timedelta(minutes=15)
    for minutes in (0, 5, 10):
        at = NOW + dt.timedelta(minutes=minutes)
        await stakeholders.add_login_failure("source-a", at, at + window)
    await stakeholders.add_login_failure("source-b", NOW, NOW + window)
    assert await stakeholders.login_failures("source-a", NOW) == 3
    assert await stakeholders.login_failures("source-a", NOW + dt.timedelta(minutes=1)) == 2
    assert await stakeholders.login_failures("source-b", NOW) == 1
    assert await stakeholders.login_failures("source-c", NOW) == 0


async def test_login_failures_from_many_workers_at_once_are_all_counted(
    stakeholders: StakeholderStore,
) -> None:
    later = NOW + dt.timedelta(minutes=15)
    await asyncio.gather(
        *(stakeholders.add_login_failure("guesser", NOW, later) for _ in range(20))
    )
    assert await stakeholders.login_failures("guesser", NOW) == 20


async def test_audit_keeps_anonymous_entries_and_every_concurrent_append(
    stakeholders: StakeholderStore,
) -> None:
    await stakeholders.append_audit(
        AuditEntry(NOW, None, AuditAction.LOGIN_FAILED, "ip 192.0.2.1 – ключ"))
    await asyncio.gather(*(
        stakeholders.append_audit(AuditEntry(NOW, "acct-1", AuditAction.API_CALL, f"/r/{n}"))
        for n in range(20)
    ))  # fmt: skip
    entries = await stakeholders.audit_entries(limit=100)
    assert len(entries) == 21
    assert entries[-1] == AuditEntry(NOW, None, AuditAction.LOGIN_FAILED, "ip 192.0.2.1 – ключ")
    assert {e.target for e in entries[:-1]} == {f"/r/{n}" for n in range(20)}
    assert await stakeholders.audit_entries(limit=0) == []


@pytest.mark.parametrize(
    "implementation", [MemoryStakeholderStore, SQLiteStakeholderStore, MongoDBStakeholderStore]
)
def test_no_store_offers_more_than_the_port(implementation: type) -> None:
    """So no adapter grows a way to edit or delete audit entries, even outside the port."""
    port = {n for n in dir(StakeholderStore) if not n.startswith("_")}
    assert {n for n in dir(implementation) if not n.startswith("_")} == port
    assert isinstance(implementation.__new__(implementation), StakeholderStore)


def test_the_port_offers_no_way_to_change_the_audit_log() -> None:
    names = {n for n in dir(StakeholderStore) if "audit" in n}
    assert names == {"append_audit", "audit_entries"}


async def test_sqlite_refuses_to_update_or_delete_audit_rows(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    await store.open()
    await stakeholder_store_for(store).append_audit(
        AuditEntry(NOW, "acct-1", AuditAction.LOGIN, "portal"))
    await store.close()
    db = sqlite3.connect(tmp_path / "s.db")
    for statement in ("UPDATE stakeholder_audit SET target = 'x'", "DELETE FROM stakeholder_audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(statement)
    assert db.execute("SELECT count(*) FROM stakeholder_audit").fetchone() == (1,)
    db.close()


async def test_a_caseworker_keeps_its_partner_organisation(
    stakeholders: StakeholderStore,
) -> None:
    account, _ = new_account("Amani", Role.CASEWORKER, [], NOW, FAST_HASHER,
                             partner="kituo-cha-sheria")
    await stakeholders.add_account(account)

    stored = await stakeholders.account(account.id)

    assert stored == account and stored is not None
    assert stored.partner == "kituo-cha-sheria"
    assert [a.partner for a in await stakeholders.accounts()] == ["kituo-cha-sheria"]
