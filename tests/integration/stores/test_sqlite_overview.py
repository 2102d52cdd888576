"""The SQLite store keeps the sector overview in the process (``sqlite_overview``): it must
never show what another process changed since, nor what a rolled-back turn wrote."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recruiter_reports.registry import pending_recruiter_id
from recruiter_reports.stores import sqlite_overview
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.summaries import summarize

from .conftest import FakeClock
from .contract_data import AGENCY, ALICE, BOB, OTHER_AGENCY, make_report, person_id


async def _opened(path: Path, clock: FakeClock) -> SQLiteStore:
    store = SQLiteStore(path, clock)
    await store.open()
    return store


async def test_a_kept_overview_shows_what_another_process_wrote_since(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    portal, bot = await _opened(path, clock), await _opened(path, clock)
    try:
        first = make_report(clock, destination="QA")
        await bot.save_report(ALICE, first, reporter_since=clock())
        assert await portal.summaries() == {AGENCY: summarize([first], AGENCY)}
        assert set(await portal.summaries(destination="QA")) == {AGENCY}

        other = make_report(clock, OTHER_AGENCY, destination="AE", recommend=5)
        replaced = make_report(clock, destination="AE", passport_kept=False)
        await bot.save_report(BOB, other, reporter_since=clock())
        await bot.save_report(ALICE, replaced, reporter_since=clock())  # QA cell empties
        assert await portal.summaries() == {
            AGENCY: summarize([replaced], AGENCY),
            OTHER_AGENCY: summarize([other], OTHER_AGENCY),
        }
        assert await portal.summaries(destination="QA") == {}
        assert set(await portal.summaries(destination="AE")) == {AGENCY, OTHER_AGENCY}

        await bot.forget(BOB)
        assert await portal.summaries() == {AGENCY: summarize([replaced], AGENCY)}
        await bot.recompute_summaries()  # a repair rewrites every row
        assert await portal.summaries() == {AGENCY: summarize([replaced], AGENCY)}
        again = make_report(clock, OTHER_AGENCY)
        await bot.save_report(BOB, again, reporter_since=clock())
        assert set(await portal.summaries()) == {AGENCY, OTHER_AGENCY}
        assert await portal.summaries(origin="KE") == await bot.summaries(origin="KE")
    finally:
        await portal.close()
        await bot.close()


async def test_a_merge_deleting_a_recruiters_rows_leaves_no_trace_in_a_kept_overview(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await _opened(path, clock)
    try:
        pending = pending_recruiter_id("KE", "Otieno Jobs Ltd")
        unlisted = make_report(clock, pending, agency_name="Otieno Jobs Ltd")
        await store.save_report(ALICE, unlisted, reporter_since=clock())
        assert set(await store.summaries()) == {pending}
        assert await store.merge_agency(pending, AGENCY) == 1
        assert set(await store.summaries()) == {AGENCY}
        assert (await store.summaries())[AGENCY].reporters == 1
    finally:
        await store.close()


async def test_an_overview_read_inside_a_rolled_back_turn_is_not_kept(
    tmp_path: Path, clock: FakeClock
) -> None:
    store = await _opened(tmp_path / "bot.sqlite3", clock)
    try:
        kept = make_report(clock)
        await store.save_report(ALICE, kept, reporter_since=clock())
        assert set(await store.summaries()) == {AGENCY}
        with pytest.raises(RuntimeError):
            async with store.unit_of_work():
                await store.save_report(person_id(1), make_report(clock, OTHER_AGENCY),
                                        reporter_since=clock())  # fmt: skip
                assert set(await store.summaries()) == {AGENCY, OTHER_AGENCY}
                raise RuntimeError("the turn fails after reading")
        assert await store.summaries() == {AGENCY: summarize([kept], AGENCY)}
        later = make_report(clock, OTHER_AGENCY, recommend=5)
        await store.save_report(BOB, later, reporter_since=clock())  # reuses the rolled-back tick
        assert await store.summaries() == {
            AGENCY: summarize([kept], AGENCY),
            OTHER_AGENCY: summarize([later], OTHER_AGENCY),
        }
    finally:
        await store.close()


@pytest.mark.parametrize("limit", ["LOG_KEPT", "MOST_REREAD"])
async def test_a_kept_overview_older_than_the_log_or_far_behind_is_built_afresh(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    monkeypatch.setattr(sqlite_overview, limit, 1)
    path = tmp_path / "bot.sqlite3"
    portal, bot = await _opened(path, clock), await _opened(path, clock)
    try:
        await bot.save_report(ALICE, make_report(clock), reporter_since=clock())
        assert set(await portal.summaries()) == {AGENCY}
        reports = {}
        for n, rid in enumerate((OTHER_AGENCY, "NP-EX-NP-0001", AGENCY)):
            clock.advance(minutes=2)
            reports[rid] = make_report(clock, rid, recommend=n + 1)
            await bot.save_report(BOB, reports[rid], reporter_since=clock())
            # A conversation's save sweeps expired rows, and cuts the log.
            await bot.save_session(person_id(9), {}, clock() + dt.timedelta(hours=1))
        log = await bot.run(
            lambda db: db.execute("SELECT count(*) FROM summary_changes").fetchone()
        )
        if limit == "LOG_KEPT":
            assert log == (1,)  # the newest entry only
        assert await portal.summaries() == {
            rid: summarize([report], rid) for rid, report in reports.items()
        } | {AGENCY: summarize([make_report(clock), reports[AGENCY]], AGENCY)}
    finally:
        await portal.close()
        await bot.close()
