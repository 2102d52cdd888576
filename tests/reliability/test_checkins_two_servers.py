"""Two real ``python -m bot serve`` processes on one SQLite file share the check-in queue:
each due check-in reaches Telegram (the fake Bot API) exactly once, while both are sending."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

import pytest

from casework import Sealer
from casework.models import ReplyAddress
from followups import Enrolment, Stage, address_context
from followups.schedule import checkin_jobs, month_of
from followups.stores.sqlite import SQLiteFollowups
from tests.casework_data import CONTACT_KEY
from tests.fakes import FakeTelegramAPI
from tests.reliability.served_bot import ServedBot

pytestmark = pytest.mark.reliability

PEOPLE = 40


class CheckinServer(ServedBot):
    """``serve`` with CONTACT_KEY, so its check-in loop runs."""

    def _env(self) -> dict[str, str]:
        return {**super()._env(), "CONTACT_KEY": CONTACT_KEY}


async def _seed(db: Path) -> None:
    agreed = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
    sealer = Sealer.from_setting(CONTACT_KEY)
    store = SQLiteFollowups(db)
    await store.open()
    for i in range(PEOPLE):
        person = f"p{i:03d}"
        address = sealer.seal(ReplyAddress("telegram", str(5000 + i)).to_bytes(),
                              context=address_context(person))
        await store.enrol(Enrolment(person, "followups-2026-12", agreed, address,
                                    Stage.ARRIVED, month_of(agreed), "KE-EX-KE-0001", "en"),
                          checkin_jobs(person, month_of(agreed), agreed))
    await store.close()


async def test_two_servers_send_each_check_in_once(tmp_path: Path) -> None:
    async with FakeTelegramAPI() as api:
        first, second = CheckinServer(tmp_path, api), CheckinServer(tmp_path, api)
        assert first.store == second.store
        await _seed(first.store)
        api.hold("sendMessage")  # each server stays mid-send with the check-ins it leased
        try:
            await first.start()
            await api.wait_holding(1, seconds=60)
            await second.start()
            await api.wait_holding(2, seconds=60)
            api.release()
            sent = await api.wait_for("sendMessage", PEOPLE, seconds=60)
            await asyncio.sleep(2)  # anything sent twice would arrive by now
            sent = api.calls_to("sendMessage")
        finally:
            await first.stop()
            await second.stop()
    chats = [call["chat_id"] for call in sent]
    assert len(chats) == PEOPLE, "each check-in once"
    assert sorted(chats) == list(range(5000, 5000 + PEOPLE))
    assert all("30 days after arriving" in call["text"] for call in sent)
    assert not re.search(r"\b50[0-3][0-9]\b", first.log()), "no chat id in the servers' logs"
