"""Tried as a new person would: ``python -m bot serve`` carries a whole conversation over
real HTTP, and afterwards no raw Telegram id, name or username is in the store or the logs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.telegram.conftest import PSEUDONYM_KEY, SECRET, WEBHOOK_URL, BotServer
from tests.fakes import TOKEN, FakeTelegramAPI, TelegramPerson

ROOT = Path(__file__).resolve().parents[3]


def _person() -> TelegramPerson:
    return TelegramPerson(
        731_905_448, "Faraji", last_name="Otieno", username="faraji_otieno", language_code="sw"
    )


def _traces(person: TelegramPerson) -> list[str]:
    return [str(person.id), "Faraji", "Otieno", "faraji_otieno"]


async def _converse(server: BotServer, api: FakeTelegramAPI, person: TelegramPerson) -> None:
    """Start, Kiswahili, a Qatar guide, a typed question, then SOS."""
    assert await server.post_update(person.message("/start")) == 200
    for label in ("Kiswahili", "📖", "Qatar", "Pasipoti", "🆘"):
        assert await server.post_update(person.press(api.button(label))) == 200
    assert await server.post_update(person.message("mshahara")) == 200


def _store_bytes(folder: Path) -> bytes:
    """The SQLite file and any journal or WAL beside it, as stored on disk."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob("bot.sqlite3*")))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _until_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if process.returncode is not None:
                raise AssertionError("serve exited before it was healthy")
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve never became healthy")


async def test_serve_carries_a_whole_conversation_and_keeps_no_raw_id(
    tmp_path: Path, telegram_api: FakeTelegramAPI
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "STORE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "PSEUDONYM_KEY": PSEUDONYM_KEY,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "HOST": "127.0.0.1",
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", "--port", str(port),
            cwd=ROOT, env=env, stdout=log_file, stderr=asyncio.subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            await _until_healthy(url, process)
            async with aiohttp.ClientSession() as session:
                person = _person()
                await _converse(BotServer(url, session, api=telegram_api), telegram_api, person)
        finally:
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.wait(), 20)

    texts = "\n".join(telegram_api.sent_texts())
    assert "999" in texts and "Polisi" in texts
    assert telegram_api.webhook["secret_token"] == SECRET

    logs = log_path.read_text()
    assert "channels on: telegram (webhook)" in logs
    stored = _store_bytes(tmp_path)
    assert stored, "the conversation left no store file"
    for trace in _traces(person):
        assert trace not in logs
        assert trace.encode() not in stored


async def test_no_raw_id_reaches_any_log_record_even_at_debug(
    caplog: pytest.LogCaptureFixture, server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    caplog.set_level(logging.DEBUG)
    person = _person()
    await _converse(server, telegram_api, person)
    telegram_api.fail_next("sendMessage", 403)
    await server.post_update(person.message("/sos"))
    await server.post_update(b'{"update_id": 1, "message": {"chat": 731905448}}')
    assert caplog.records, "nothing was logged at all"
    logged = caplog.text
    for trace in _traces(person):
        assert trace not in logged
