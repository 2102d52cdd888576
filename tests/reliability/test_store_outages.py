"""Store outages under a running webhook: what a person sees; nothing acknowledged is lost.

Three ways the SQLite store fails under a running server: its folder is
deleted, its files turn read-only (immutable, for root), the disk fills up. In
each, a person who rates is told to retry (never that it was saved), SOS still
answers, /readyz says not ready; and every rating the bot said it saved is in
the database afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.telegram.conftest import BotServer, StartServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.reliability.rating_chat import RETRY, SAVED, rate, rate_up_to_send, say, sos

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]


def reports_in(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM reports").fetchone()[0])
    finally:
        db.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


@pytest.fixture
async def server(
    tmp_path: Path, store_path: Path, telegram_api: FakeTelegramAPI, start_server: StartServer
) -> BotServer:
    settings = bot_settings(tmp_path, telegram_api, STORE_URL=f"sqlite:///{store_path}")
    return await start_server(settings)


async def sos_still_answers(server: BotServer, api: FakeTelegramAPI) -> None:
    reply = await sos(server, api, TelegramPerson(402_900_999, language_code="en"))
    assert "999" in reply


async def test_the_folder_deleted_under_the_server(
    server: BotServer, telegram_api: FakeTelegramAPI, store_path: Path
) -> None:
    first = TelegramPerson(402_900_001, language_code="en")
    assert SAVED in await rate(server, telegram_api, first)
    second = TelegramPerson(402_900_002, language_code="en")
    await rate_up_to_send(server, telegram_api, second)
    shutil.rmtree(store_path.parent)

    answer = await say(server, telegram_api, second, "Send")
    assert RETRY in answer and SAVED not in answer  # never acknowledged into a deleted file
    status, body = await server.get("/readyz")
    assert status == 503 and '"store": false' in body
    await sos_still_answers(server, telegram_api)


@pytest.fixture
def writable_again(store_path: Path) -> Iterator[list[Path]]:
    """Files made read-only by a test, made writable again at the end whatever happens."""
    locked: list[Path] = []
    yield locked
    make_writable(locked)


def make_writable(locked: list[Path]) -> None:
    for path in locked:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o600)
    locked.clear()


def make_read_only(paths: list[Path], locked: list[Path]) -> None:
    for path in paths:
        if os.geteuid() == 0:  # root writes through permissions; only immutability stops it
            subprocess.run(["chattr", "+i", str(path)], check=True)
        else:
            path.chmod(0o400)
        locked.append(path)


async def test_the_files_made_read_only_under_the_server(
    server: BotServer, telegram_api: FakeTelegramAPI, store_path: Path,
    writable_again: list[Path],
) -> None:  # fmt: skip
    first = TelegramPerson(402_900_011, language_code="en")
    assert SAVED in await rate(server, telegram_api, first)
    second = TelegramPerson(402_900_012, language_code="en")
    await rate_up_to_send(server, telegram_api, second)

    files = [p for p in store_path.parent.iterdir() if p.name.startswith(store_path.name)]
    make_read_only(files, writable_again)
    answer = await say(server, telegram_api, second, "Send")
    assert RETRY in answer and SAVED not in answer
    status, body = await server.get("/readyz")
    assert status == 503 and '"store": false' in body
    await sos_still_answers(server, telegram_api)

    make_writable(writable_again)  # the operator fixes the permissions
    assert SAVED in await say(server, telegram_api, second, "Send")
    assert (await server.get("/readyz"))[0] == 200
    assert reports_in(store_path) == 2


def test_the_disk_fills_up_under_the_server(tmp_path: Path) -> None:
    """Run in its own mount namespace, on a tmpfs small enough to fill."""
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    done = subprocess.run(
        [*unshare, sys.executable, "-m", "tests.reliability.disk_full", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert SAVED in seen["before"]
    assert RETRY in seen["full"] and SAVED not in seen["full"]
    assert seen["ready_while_full"] == 503
    assert "999" in seen["sos_while_full"]
    assert SAVED in seen["after"]
    assert seen["reports"] == 2
