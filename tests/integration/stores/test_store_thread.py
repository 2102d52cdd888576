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


class _Recorder:
    """A ``Together`` that writes down what the thread asks of it."""

    def __init__(self, *, commits: bool = True) -> None:
        self.log: list[str] = []
        self._commits = commits

    def begin(self) -> bool:
        self.log.append("begin")
        return True

    def each(self, work: Any) -> Any:
        self.log.append("piece")
        return work()

    def commit(self) -> None:
        self.log.append("commit")
        if not self._commits:
            raise OSError("the disk is full")


async def _queued_behind_a_gate(thread: StoreThread, pieces: list[tuple[Any, bool]]) -> list[Any]:
    """Submit ``pieces`` while the thread is busy, so they arrive as one batch."""
    gate = threading.Event()
    first = thread.submit(lambda: gate.wait(5))
    futures = [thread.submit(work, together=together) for work, together in pieces]
    gate.set()
    await first
    return await asyncio.gather(*futures, return_exceptions=True)


async def test_work_queued_together_shares_one_unit_and_one_commit() -> None:
    together = _Recorder()
    thread = StoreThread("store-test", together)

    def fails() -> int:
        raise ValueError("this piece fails")

    try:
        results = await _queued_behind_a_gate(thread, [
            (lambda: 1, True), (fails, True), (lambda: 3, True),  # one unit
            (lambda: 4, False),  # alone: it may open its own transaction
            (lambda: 5, True),  # alone: nothing beside it to share with
        ])  # fmt: skip
    finally:
        thread.shutdown()
    assert results[0] == 1 and results[2:] == [3, 4, 5]
    assert isinstance(results[1], ValueError)  # only that piece failed
    assert together.log == ["begin", "piece", "piece", "piece", "commit"]


async def test_when_the_commit_fails_no_piece_of_the_unit_is_reported_done() -> None:
    thread = StoreThread("store-test", _Recorder(commits=False))
    try:
        results = await _queued_behind_a_gate(thread, [(lambda: 1, True), (lambda: 2, True)])
    finally:
        thread.shutdown()
    assert all(isinstance(result, OSError) for result in results)
