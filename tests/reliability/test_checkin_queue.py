"""The check-in queue under two worker processes on one SQLite file, and a kill -9 mid-send.

Each worker is a real process running ``CheckinDelivery`` (``checkin_worker``); what they
push reaches a recorder in this process. Two at once send every check-in exactly once; a
worker killed after the platform took a check-in but before it recorded the outcome loses
nothing: once its lease runs out another worker sends what it held (the one in flight may
arrive twice, which beats never).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from casework import Sealer
from casework.models import ReplyAddress
from followups import Enrolment, Stage, address_context
from followups.schedule import checkin_jobs
from followups.stores.sqlite import SQLiteFollowups
from tests.casework_data import CONTACT_KEY

pytestmark = pytest.mark.reliability

AGREED = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)
PEOPLE = 30
LATER = AGREED + dt.timedelta(days=30, hours=1)  # everyone's 30-day check-in is due
ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    def __init__(self) -> None:
        self.pushes: list[dict[str, Any]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.pushes.append(await request.json())
        return web.json_response({"ok": True})

    def sent(self) -> Counter[tuple[str, str]]:
        return Counter((p["address"], next(c for c in p["choices"] if c.startswith("ci:s:")))
                       for p in self.pushes)


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[Recorder, str]]:
    found = Recorder()
    app = web.Application()
    app.router.add_post("/push", found.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield found, f"http://127.0.0.1:{port}/push"
    finally:
        await runner.cleanup()


async def seed(db: Path) -> None:
    store = SQLiteFollowups(db)
    await store.open()
    sealer = Sealer.from_setting(CONTACT_KEY)
    for i in range(PEOPLE):
        person = f"p{i:03d}"
        address = sealer.seal(ReplyAddress("test", f"chat-{i}").to_bytes(),
                              context=address_context(person))
        await store.enrol(Enrolment(person, "followups-2026-12", AGREED, address,
                                    Stage.ARRIVED, "2026-12", "KE-EX-KE-0001", "en"),
                          checkin_jobs(person, "2026-12", AGREED))
    await store.close()


async def worker(db: Path, owner: str, now: dt.datetime, url: str,
                 die_on: int | None = None) -> int:
    arguments = [sys.executable, "-m", "tests.reliability.checkin_worker", str(db), owner,
                 now.isoformat(), url]
    if die_on is not None:
        arguments += ["--die-on-push", str(die_on)]
    process = await asyncio.create_subprocess_exec(
        *arguments, cwd=ROOT, env={**os.environ, "CONTACT_KEY": CONTACT_KEY},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _out, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode is not None
    if die_on is None:
        assert process.returncode == 0, err.decode()
    return process.returncode


async def remaining(db: Path) -> int:
    store = SQLiteFollowups(db)
    await store.open()
    try:
        return sum([len(await store.jobs_of(f"p{i:03d}")) for i in range(PEOPLE)])
    finally:
        await store.close()


async def test_two_workers_on_one_file_send_each_check_in_once(
    tmp_path: Path, recorder: tuple[Recorder, str],
) -> None:
    found, url = recorder
    db = tmp_path / "bot.sqlite3"
    await seed(db)

    await asyncio.gather(worker(db, "w1", LATER, url), worker(db, "w2", LATER, url))

    sent = found.sent()
    assert len(sent) == PEOPLE, "every due check-in went out"
    assert set(sent.values()) == {1}, "none twice"
    assert {p["owner"] for p in found.pushes} == {"w1", "w2"}, "both workers took part"
    assert await remaining(db) == PEOPLE, "the 90-day check-ins wait for their day"


async def test_a_worker_killed_mid_send_loses_nothing(
    tmp_path: Path, recorder: tuple[Recorder, str],
) -> None:
    found, url = recorder
    db = tmp_path / "bot.sqlite3"
    await seed(db)

    code = await worker(db, "w1", LATER, url, die_on=5)
    assert code == -signal.SIGKILL
    assert len(found.pushes) == 5
    assert await remaining(db) == PEOPLE * 2 - 4, "the fifth was taken but not recorded"

    # Another worker, before the dead one's lease ran out: it leaves the leased jobs alone.
    await worker(db, "w2", LATER + dt.timedelta(seconds=30), url)
    assert await remaining(db) > 0, "the dead worker's leased check-ins wait for the lease"
    # After the lease: everything goes out.
    await worker(db, "w2", LATER + dt.timedelta(minutes=3), url)

    sent = found.sent()
    assert len(sent) == PEOPLE, "nothing lost"
    assert sorted(sent.values(), reverse=True)[0] == 2, "the one in flight went twice"
    assert sum(sent.values()) == PEOPLE + 1
    assert await remaining(db) == PEOPLE
