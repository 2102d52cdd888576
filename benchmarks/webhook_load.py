"""The webhook benchmark's load: real update JSON, posted with a fixed number in flight.

Updates are built and serialised before the clock starts, so the load
generator spends its time on HTTP only. Update ``i`` comes from user
``i % users`` and is that user's next step, so one person's steps are
``users`` requests apart and never overlap, as in a real chat.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.fakes.telegram_updates import TelegramPerson

FIRST_USER_ID = 610_000_001

Step = Callable[[TelegramPerson], dict[str, Any]]

CONVERSATION: tuple[Step, ...] = (
    lambda person: person.message("/start"),
    lambda person: person.press("lang:en"),
    lambda person: person.press("guides"),
    lambda person: person.press("guide:QA"),
    lambda person: person.press("article:qa-passport:0"),
    lambda person: person.message("passport"),
    lambda person: person.press("rights"),
    lambda person: person.message("/sos"),
    lambda person: person.press("menu"),
    lambda person: person.message("my salary was not paid"),
)
"""One person's visit, cycled: /start, language, menu taps, a guide, searches, SOS."""

ECHO_TEXTS = ("/start", "passport", "/sos", "my salary was not paid", "hello")
"""The echo bot gets text messages only: every one of them is answered once."""


class Users:
    """``count`` private-chat users whose next update is built on demand."""

    def __init__(self, count: int) -> None:
        self._people = [TelegramPerson(FIRST_USER_ID + i) for i in range(count)]
        self._steps = [0] * count
        self._turn = 0

    def conversation(self, total: int) -> list[bytes]:
        """The next ``total`` updates of the users' visits, serialised."""
        return [json.dumps(self._next(CONVERSATION)).encode() for _ in range(total)]

    def echo_texts(self, total: int) -> list[bytes]:
        """The next ``total`` text messages, for the echo bot."""
        texts = tuple(_text_step(text) for text in ECHO_TEXTS)
        return [json.dumps(self._next(texts)).encode() for _ in range(total)]

    def _next(self, steps: Sequence[Step]) -> dict[str, Any]:
        index = self._turn % len(self._people)
        self._turn += 1
        step = self._steps[index]
        self._steps[index] = step + 1
        return steps[step % len(steps)](self._people[index])


def _text_step(text: str) -> Step:
    return lambda person: person.message(text)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Client-side view of one run: seconds per request, wall time, failed requests."""

    latencies: list[float]
    seconds: float
    failures: int


async def post_all(url: str, bodies: Sequence[bytes], secret: str, in_flight: int) -> LoadResult:
    """POST every body to ``url`` with ``in_flight`` requests outstanding at all times."""
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    latencies: list[float] = []
    failures = 0
    next_index = 0
    connector = aiohttp.TCPConnector(limit=in_flight)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal next_index, failures
            while next_index < len(bodies):
                body = bodies[next_index]
                next_index += 1
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        failures += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        seconds = time.perf_counter() - started
    return LoadResult(latencies, seconds, failures)
