"""The store's thread: one at a time, in order, off the event loop, answers in batches."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from recruiter_reports.stores.store_thread import StoreThread


async def test_work_runs_in_order_on_its_own_thread_and_errors_reach_their_caller() -> None:
    thread = StoreThread("store-test")
    ran: list[tuple[int, str]] = []

    def step(n: int) -> int:
        ran.append((n, threading.current_thread().name))
        if n == 3:
            raise ValueError("step 3 fails")
        return n * 10

    try:
        futures = [thread.submit(lambda n=n: step(n)) for n in range(6)]
        results = await asyncio.gather(*futures, return_exceptions=True)
    finally:
        thread.shutdown()
    assert [n for n, _ in ran] == list(range(6))
    assert {name for _, name in ran} == {"store-test"}
    assert results[:3] == [0, 10, 20] and results[4:] == [40, 50]
    assert isinstance(results[3], ValueError)


async def test_what_was_queued_meanwhile_is_answered_with_one_wake_up_of_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop = asyncio.get_running_loop()
    wake_ups = 0
    real = loop.call_soon_threadsafe

    def counted(*args: Any, **kwargs: Any) -> asyncio.Handle:
        nonlocal wake_ups
        wake_ups += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(loop, "call_soon_threadsafe", counted)
    thread = StoreThread("store-test")
    gate = threading.Event()
    try:
        first = thread.submit(lambda: gate.wait(5))  # the thread is busy while 20 more arrive
        rest = [thread.submit(lambda n=n: n) for n in range(20)]
        gate.set()
        assert await first is True
        assert await asyncio.gather(*rest) == list(range(20))
    finally:
        thread.shutdown()
    assert wake_ups <= 2  # one for the first, one for everything queued behind it


async def test_after_shutdown_queued_work_still_runs_and_new_work_is_refused() -> None:
    thread = StoreThread("store-test")
    queued = thread.submit(lambda: "done")
    thread.shutdown()
    assert await queued == "done"
    with pytest.raises(RuntimeError):
        thread.submit(lambda: None)


async def test_a_cancelled_caller_does_not_stop_the_others() -> None:
    thread = StoreThread("store-test")
    gate = threading.Event()
    try:
        blocked = thread.submit(lambda: gate.wait(5))
        dropped = thread.submit(lambda: "nobody reads this")
        kept = thread.submit(lambda: "kept")
        dropped.cancel()
        gate.set()
        assert await blocked is True
        assert await kept == "kept"
    finally:
        thread.shutdown()
