"""The disk-full scenario, run by test_store_outages in a private mount namespace.

``python -m tests.reliability.disk_full DIR`` mounts a 4 MiB tmpfs on DIR/disk
(visible to this process only), serves the bot with its SQLite store there,
has one person rate, fills the disk, has a second person rate, frees the disk
and retries, then prints what the people saw as one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.web import make_app
from tests.e2e.telegram.conftest import BotServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.fakes.small_disk import fill, mount_small_disk
from tests.reliability.rating_chat import rate, rate_up_to_send, say, sos


async def scenario(base: Path) -> dict[str, object]:
    disk = base / "disk"
    store_path = disk / "bot.sqlite3"
    async with FakeTelegramAPI() as api, aiohttp.ClientSession() as session:
        settings = bot_settings(base, api, STORE_URL=f"sqlite:///{store_path}")
        app = await make_app(settings)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        server = BotServer(f"http://127.0.0.1:{runner.addresses[0][1]}", session, app, api)
        seen: dict[str, object] = {}
        try:
            seen["before"] = await rate(server, api, TelegramPerson(402_900_021))
            second = TelegramPerson(402_900_022)
            await rate_up_to_send(server, api, second)
            filler = fill(disk)
            seen["full"] = await say(server, api, second, "Send")
            seen["ready_while_full"] = (await server.get("/readyz"))[0]
            seen["sos_while_full"] = await sos(server, api, TelegramPerson(402_900_023))
            filler.unlink()
            seen["after"] = await say(server, api, second, "Send")
        finally:
            await runner.cleanup()
    seen["reports"] = count_reports(store_path)
    return seen


def count_reports(path: Path) -> int:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM reports").fetchone()[0])
    finally:
        db.close()


if __name__ == "__main__":
    mount_small_disk(Path(sys.argv[1]), 4)
    print(json.dumps(asyncio.run(scenario(Path(sys.argv[1])))))
