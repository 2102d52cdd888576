"""``python -m bot followups run`` sends what is due through Telegram (the fake Bot API),
once, and leaves what is not due yet; without CONTACT_KEY it refuses and says why."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

from casework import Sealer
from casework.models import ReplyAddress
from followups import Enrolment, Stage, address_context
from followups.schedule import checkin_jobs, month_of
from followups.stores.sqlite import SQLiteFollowups
from tests.casework_data import CONTACT_KEY
from tests.fakes import TOKEN, FakeTelegramAPI

ROOT = Path(__file__).resolve().parents[3]


async def _seed(db: Path) -> None:
    agreed = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
    store = SQLiteFollowups(db)
    await store.open()
    address = Sealer.from_setting(CONTACT_KEY).seal(
        ReplyAddress("telegram", "4242").to_bytes(), context=address_context("p-run"))
    await store.enrol(Enrolment("p-run", "followups-2026-12", agreed, address, Stage.ARRIVED,
                                month_of(agreed), "KE-EX-KE-0001", "en"),
                      checkin_jobs("p-run", month_of(agreed), agreed))
    await store.close()


async def _run(env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "followups", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_followups_run_sends_the_due_check_in_once(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    await _seed(db)
    async with FakeTelegramAPI() as telegram:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TELEGRAM_", "WHATSAPP_", "CONTACT_KEY"))}
        env.update(STORE_URL=f"sqlite:///{db}", PSEUDONYM_KEY="run-pseudonym-key-" + "x" * 32,
                   CONTACT_KEY=CONTACT_KEY, TELEGRAM_BOT_TOKEN=TOKEN,
                   TELEGRAM_WEBHOOK_SECRET="run-webhook-secret_0123456789abcdef",
                   TELEGRAM_API_BASE_URL=telegram.base_url)
        code, out, err = await _run(env)
        assert code == 0, err
        assert "check-ins tried: 1" in out
        [sent] = telegram.calls_to("sendMessage")
        assert sent["chat_id"] == 4242
        assert "30 days after arriving" in sent["text"]
        assert "4242" not in err, "the address is never logged"

        code, out, _ = await _run(env)
        assert code == 0 and "check-ins tried: 0" in out
        assert len(telegram.calls_to("sendMessage")) == 1, "sent once"

    store = SQLiteFollowups(db)
    await store.open()
    try:
        assert [j.ref for j in await store.jobs_of("p-run")] == ["90"]
    finally:
        await store.close()


async def test_without_contact_key_it_refuses(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WHATSAPP_", "CONTACT_KEY"))}
    env.update(STORE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
               PSEUDONYM_KEY="run-pseudonym-key-" + "x" * 32)
    code, _, err = await _run(env)
    assert code == 2
    assert "Check-ins are off: CONTACT_KEY is not set." in err
