"""One check-in delivery worker in a process of its own, over a shared SQLite file.

``python -m tests.reliability.checkin_worker DB OWNER NOW URL [--die-on-push N]`` runs the
real ``CheckinDelivery`` until nothing is due at ``NOW`` (ISO time), pushing through a
sender that POSTs each push to ``URL`` (the test's recorder) the way a channel calls its
platform. With ``--die-on-push N`` the process kills itself (SIGKILL) right after the Nth
push reached the recorder, before the outcome is written: a crash mid-send. Nothing
outside the tests imports it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
from pathlib import Path

import aiohttp

from bot.channels.push import Push, Pushers, PushResult, PushStatus
from bot.i18n import Catalogs
from bot.settings import PROJECT_ROOT
from bot.web.followups.delivery import CheckinDelivery, CheckinWording
from casework import Sealer
from followups.stores.sqlite import SQLiteFollowups


class _Recording:
    name = "test"

    def __init__(self, session: aiohttp.ClientSession, url: str, owner: str,
                 die_on: int | None) -> None:
        self._session, self._url, self._owner, self._die_on = session, url, owner, die_on
        self._count = 0

    async def push(self, push: Push) -> PushResult:
        self._count += 1
        body = {"address": push.address, "owner": self._owner,
                "text": push.messages[0].text,
                "choices": [c.id for c in push.messages[0].choices]}
        async with self._session.post(self._url, json=body) as response:
            assert response.status == 200
        if self._die_on is not None and self._count >= self._die_on:
            os.kill(os.getpid(), signal.SIGKILL)
        await asyncio.sleep(0.01)  # let the other worker interleave
        return PushResult(PushStatus.SENT, len(push.messages))


async def _main(args: argparse.Namespace) -> int:
    store = SQLiteFollowups(Path(args.db))
    await store.open()
    now = dt.datetime.fromisoformat(args.now)
    try:
        async with aiohttp.ClientSession() as session:
            pushers = Pushers({"test": _Recording(session, args.url, args.owner, args.die_on)})
            delivery = CheckinDelivery(
                store, Sealer.from_setting(os.environ["CONTACT_KEY"]), pushers,
                CheckinWording(Catalogs.load(PROJECT_ROOT / "locales", "en"), lambda _: None),
                owner=args.owner, clock=lambda: now, batch=3)
            tried = await delivery.run_until_done()
    finally:
        await store.close()
    print(tried)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("owner")
    parser.add_argument("now")
    parser.add_argument("url")
    parser.add_argument("--die-on-push", dest="die_on", type=int)
    raise SystemExit(asyncio.run(_main(parser.parse_args())))
