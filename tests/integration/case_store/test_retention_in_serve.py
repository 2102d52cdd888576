"""The retention sweep runs inside ``serve``: a case closed long ago is gone once it starts.

Two app instances (two workers) share one SQLite file and both sweep; the old
closed case goes, the open one and the recently closed one stay.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from aiohttp import web

from bot.settings import load_settings
from bot.web import make_app
from casework import Case, CaseState, ClosedBy
from casework.sealing import generate_entry
from casework.stores.sqlite import SQLiteCaseStore

NOW = dt.datetime.now(dt.UTC)


def _case(case_id: str) -> Case:
    return Case(case_id, "pncc", "p" * 64, NOW - dt.timedelta(days=400), "case-1", NOW)


async def test_two_serve_workers_sweep_closed_cases_after_the_retention_days(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    seed = SQLiteCaseStore(path)
    await seed.open()
    for case_id in ("C-OLD", "C-RECENT", "C-OPEN"):
        await seed.open_case(_case(case_id))
    await seed.set_state("C-OLD", CaseState.CLOSED, NOW - dt.timedelta(days=31), by=ClosedBy.WORKER)
    await seed.set_state("C-RECENT", CaseState.CLOSED, NOW - dt.timedelta(days=29))
    await seed.close()

    settings = load_settings(
        STORE_URL=f"sqlite:///{path}",
        PSEUDONYM_KEY="retention-test-key-" + "x" * 32,
        CONTACT_KEY=generate_entry("ret"),
        CASE_RETENTION_DAYS=30,
    )
    runners = [web.AppRunner(await make_app(settings)) for _ in range(2)]
    for runner in runners:
        await runner.setup()
    check = SQLiteCaseStore(path)
    await check.open()
    try:
        for _ in range(100):
            if await check.get("C-OLD") is None:
                break
            await asyncio.sleep(0.05)
        assert await check.get("C-OLD") is None
        assert await check.get("C-RECENT") is not None
        assert await check.get("C-OPEN") is not None
    finally:
        await check.close()
        for runner in runners:
            await runner.cleanup()
