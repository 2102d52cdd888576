"""The SQLite store keeps an origin's wide ranges of publications in the process
(``sqlite_publications``): they must never show what another process changed since, even
by hand, nor outlive the log they are refreshed from."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from recruiter_reports.stores import sqlite_publications
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.summaries import Summary

from .conftest import FakeClock
from .contract_data import person_id

WIDE = sqlite_publications.KEEP_FROM + 10


def _cells(kind: str, reporters: int, count: int = WIDE) -> dict[str, Summary]:
    return {
        f"{kind}:KE-EX-KE-{n:04d}|QA|2026Q2": Summary(recruiter_id=f"KE-EX-KE-{n:04d}",
                                                     reporters=reporters)
        for n in range(count)
    }  # fmt: skip


async def _opened(path: Path, clock: FakeClock) -> SQLiteStore:
    store = SQLiteStore(path, clock)
    await store.open()
    return store


async def test_a_kept_range_shows_rows_changed_or_deleted_by_hand(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await _opened(path, clock)
    try:
        groups = _cells("cell", 5)
        await store.publish(groups, clock())
        assert await store.published_under("cell:KE") == groups
        first, second, *_ = groups
        changed = Summary(recruiter_id="KE-EX-KE-0001", reporters=12)
        with sqlite3.connect(path) as repair:  # a repair by hand, in another connection
            repair.execute("DELETE FROM publications WHERE group_key = ?", (first,))
            repair.execute(
                "UPDATE publications SET summary = ? WHERE group_key = ?",
                (changed.model_dump_json(), second),
            )
        repair.close()
        expected = {key: s for key, s in groups.items() if key != first} | {second: changed}
        assert await store.published_under("cell:KE") == expected
        assert await store.published([first, second]) == {second: changed}
    finally:
        await store.close()


@pytest.mark.parametrize("limit", ["LOG_KEPT", "MOST_REREAD", "RANGES_KEPT"])
async def test_a_range_older_than_the_log_far_behind_or_put_aside_is_read_afresh(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    monkeypatch.setattr(sqlite_publications, limit, 1)
    path = tmp_path / "bot.sqlite3"
    portal, bot = await _opened(path, clock), await _opened(path, clock)
    try:
        await bot.publish(_cells("cell", 5) | _cells("checked", 5), clock())
        assert await portal.published_under("cell:KE") == _cells("cell", 5)
        assert await portal.published_under("checked:KE") == _cells("checked", 5)
        for reporters in (10, 15):
            clock.advance(minutes=2)
            await bot.publish(_cells("cell", reporters, 3), clock())
            # A conversation's save sweeps expired rows, and cuts the log.
            await bot.save_session(person_id(9), {}, clock() + dt.timedelta(hours=1))
        log = await bot.run(
            lambda db: db.execute("SELECT count(*) FROM publication_changes").fetchone()
        )
        if limit == "LOG_KEPT":
            assert log == (1,)  # the newest entry only
        expected = _cells("cell", 5) | _cells("cell", 15, 3)
        assert await portal.published_under("cell:KE") == expected
        assert await portal.published_under("checked:KE") == _cells("checked", 5)
        assert await portal.published_under("cell:KE") == expected
    finally:
        await portal.close()
        await bot.close()


async def test_a_range_kept_by_a_publishing_process_still_shows_what_another_wrote_before(
    tmp_path: Path, clock: FakeClock
) -> None:
    """A publication applied to the kept ranges in place must not hide another process's
    write that came between the range's last read and it."""
    path = tmp_path / "bot.sqlite3"
    portal, bot = await _opened(path, clock), await _opened(path, clock)
    try:
        assert await portal.published_under("cell:KE") == {}  # kept, empty
        groups = _cells("cell", 5)
        await portal.publish(groups, clock())
        assert await portal.published_under("cell:KE") == groups
        first, second, *_ = groups
        by_bot = {first: Summary(recruiter_id="KE-EX-KE-0000", reporters=10)}
        by_portal = {second: Summary(recruiter_id="KE-EX-KE-0001", reporters=10)}
        await bot.publish(by_bot, clock())
        await portal.publish(by_portal, clock())
        assert await portal.published_under("cell:KE") == groups | by_bot | by_portal
        await portal.publish({first: groups[first]}, clock())  # alone since: applied in place
        assert await portal.published_under("cell:KE") == groups | by_portal
        assert await bot.published_under("cell:KE") == groups | by_portal
    finally:
        await portal.close()
        await bot.close()
