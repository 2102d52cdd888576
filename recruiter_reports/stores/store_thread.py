"""One thread for a store's statements, whose answers go back to the event loop in batches.

``loop.run_in_executor`` on a one-thread ``ThreadPoolExecutor`` wakes the event
loop once per call (a byte on its self-pipe, an ``epoll`` return, a
``concurrent.futures.Future`` chained to an asyncio one), which for a small
statement costs more CPU than the statement. Here the thread runs everything
queued, then wakes the loop once for all of it: with a few webhook updates in
flight a trip costs a fraction of what it did (``python -m benchmarks webhook``).
Statements still run one at a time, in the order they were submitted, never
on the event loop.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["StoreThread"]

_Item = tuple["asyncio.Future[Any]", Callable[[], Any]]
_Done = tuple["asyncio.Future[Any]", Any, BaseException | None]


class StoreThread:
    """Started at construction; ``shutdown`` lets it finish what is queued and end."""

    def __init__(self, name: str) -> None:
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._stopped = False
        # A daemon, as nothing joins it: ``close`` of its store waits for the work queued.
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit[T](self, work: Callable[[], T]) -> asyncio.Future[T]:
        """Run ``work()`` on the thread; raises ``RuntimeError`` once shut down."""
        if self._stopped:
            raise RuntimeError("the store's thread was shut down")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put((future, work))
        return future

    def shutdown(self) -> None:
        """Stop taking work; what was submitted still runs. Does not wait."""
        if not self._stopped:
            self._stopped = True
            self._queue.put(None)

    def _serve(self) -> None:
        waiting = self._queue
        while True:
            item = waiting.get()
            done: list[_Done] = []
            while item is not None:
                future, work = item
                try:
                    done.append((future, work(), None))
                except BaseException as error:  # handed to whoever awaits it
                    done.append((future, None, error))
                try:
                    item = waiting.get_nowait()
                except queue.Empty:
                    break
            _hand_back(done)
            if item is None:
                return


def _hand_back(done: list[_Done]) -> None:
    """Wake each waiting loop once, for all of its answers."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Done]] = {}
    for entry in done:
        by_loop.setdefault(entry[0].get_loop(), []).append(entry)
    for loop, answers in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, answers)
        except RuntimeError:  # that loop is closed: nobody waits for these any more
            pass


def _settle(answers: list[_Done]) -> None:
    for future, result, error in answers:
        if future.done():  # cancelled while waiting
            continue
        if error is None:
            future.set_result(result)
        elif isinstance(error, StopIteration):  # a future cannot hold one
            future.set_exception(RuntimeError("StopIteration raised in the store's thread"))
        else:
            future.set_exception(error)
