"""A real ``python -m bot serve`` process on 127.0.0.1, to kill with SIGKILL and start again.

Telegram is played by the fake Bot API (in the test's process) and by the
test itself, which posts updates as Telegram does and redelivers one that was
not acknowledged, the way Telegram retries.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import TOKEN, FakeTelegramAPI

SECRET = "reliability-secret_0123456789abcdefABCDEF"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServedBot:
    """``serve`` on its own port and SQLite file; ``kill`` is SIGKILL, ``start`` starts anew."""

    def __init__(self, tmp_path: Path, api: FakeTelegramAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.store = tmp_path / "bot.sqlite3"
        self._log = tmp_path / "serve.log"
        self._api = api
        self._process: subprocess.Popen[bytes] | None = None
        self.session = aiohttp.ClientSession()

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TELEGRAM_", "WHATSAPP_", "METRICS_"))}
        env.update({
            "STORE_URL": f"sqlite:///{self.store}",
            "PSEUDONYM_KEY": "reliability-pseudonym-key-" + "x" * 32,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": self._api.base_url,
            "PYTHONIOENCODING": "utf-8",
        })
        return env

    async def start(self, *, crash_before_answer: bool = False) -> None:
        """``crash_before_answer``: the process kills itself (SIGKILL) when it is about
        to write a webhook answer that carries a Bot API call (``crashing_serve``)."""
        module = "tests.reliability.crashing_serve" if crash_before_answer else "bot"
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: ASYNC220 - started once, then polled
                [sys.executable, "-m", module, "serve", "--host", "127.0.0.1",
                 "--port", str(self.port)],
                env=self._env(), stdout=log, stderr=subprocess.STDOUT,
            )
        async with asyncio.timeout(START_SECONDS):
            while not await self._healthy():
                if self._process.poll() is not None:
                    raise AssertionError(f"serve exited: {self.log()}")
                await asyncio.sleep(0.1)

    async def _healthy(self) -> bool:
        try:
            async with self.session.get(f"{self.url}/healthz") as response:
                return response.status == 200
        except aiohttp.ClientError:
            return False

    def kill(self) -> None:
        """kill -9: no shutdown hook runs, nothing is released or completed."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=10)
        self._process = None

    def wait_dead(self) -> int:
        """The exit status of a process that killed itself (``crash_before_answer``)."""
        assert self._process is not None
        status = self._process.wait(timeout=10)
        self._process = None
        return status

    async def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        await self.session.close()

    def log(self) -> str:
        return self._log.read_text(encoding="utf-8", errors="replace")

    async def post(self, update: dict[str, Any]) -> tuple[int, dict[str, str]]:
        """POST an update as Telegram does: the status and headers of the answer."""
        async with self.session.post(
            f"{self.url}/webhooks/telegram", json=update, headers={SECRET_HEADER: SECRET},
            timeout=aiohttp.ClientTimeout(total=60),
        ) as response:
            body = await response.read()
            await self._api.perform_webhook_answer(response.status, response.content_type, body)
            return response.status, dict(response.headers)

    async def redeliver(self, update: dict[str, Any], *, attempts: int = 20) -> int:
        """Post until Telegram would stop retrying (a 2xx); the final status."""
        for _ in range(attempts):
            status, headers = await self.post(update)
            if status < 300:
                return status
            await asyncio.sleep(min(float(headers.get("Retry-After", "1")), 0.5))
        return status

    async def metrics(self) -> str:
        async with self.session.get(f"{self.url}/metrics") as response:
            return await response.text()
