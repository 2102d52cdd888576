"""One thread for a store's statements, whose answers go back to the event loop in batches.

``loop.run_in_executor`` on a one-thread ``ThreadPoolExecutor`` wakes the event
loop once per call (a byte on its self-pipe, an ``epoll`` return, a
``concurrent.futures.Future`` chained to an asyncio one), which for a small
statement costs more CPU than the statement. Here the thread runs everything
queued, then wakes the loop once for all of it: with a few webhook updates in
flight a trip costs a fraction of what it did (``python -m benchmarks webhook``).
Statements still run one at a time, in the order they were submitted, never
on the event loop.

Work submitted ``together`` (a delivery claim, a session read or save: small,
frequent, each its own transaction) that is queued back to back runs inside
one transaction the store opens for them (``Together``), each in a savepoint
of its own, so a failing one undoes only itself, and one commit makes them all
durable. Nobody hears of the outcome before that commit: when it fails, every
one of them gets the error. A write transaction costs a store more than the
rows it writes (locks, a commit record, the pages it shares with the next
one): measured by ``python -m benchmarks webhook`` in alternating runs,
committing what arrives together once was about 4 % of an update's CPU.
"""

from __future__ import annotations

import asyncio
import functools
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["StoreThread", "Together"]

_Item = tuple["asyncio.Future[Any]", Callable[[], Any], bool]
_Done = tuple["asyncio.Future[Any]", Any, BaseException | None]


class Together(Protocol):
    """How a store runs several pieces of work as one unit (on the store's thread)."""

    def begin(self) -> bool:
        """Open the unit; False when none can be opened now (the work then runs alone)."""
        ...

    def each[T](self, work: Callable[[], T]) -> T:
        """Run one piece inside the unit; when it raises, only its own part is undone."""
        ...

    def commit(self) -> None:
        """Make the unit durable; raises (the unit undone) when it cannot."""
        ...


class StoreThread:
    """Started at construction; ``shutdown`` lets it finish what is queued and end."""

    def __init__(self, name: str, together: Together | None = None) -> None:
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._together = together
        self._stopped = False
        # A daemon, as nothing joins it: ``close`` of its store waits for the work queued.
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit[T](self, work: Callable[[], T], *, together: bool = False) -> asyncio.Future[T]:
        """Run ``work()`` on the thread; raises ``RuntimeError`` once shut down.

        ``together``: it may share a transaction with the work queued beside it
        (the module docstring); only for work that opens none of its own, or
        opens it with ``SAVEPOINT`` when one is open already.
        """
        if self._stopped:
            raise RuntimeError("the store's thread was shut down")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put((future, work, together))
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
            batch: list[_Item] = []
            while item is not None:
                batch.append(item)
                try:
                    item = waiting.get_nowait()
                except queue.Empty:
                    break
            _hand_back(self._run(batch))
            if item is None:
                return

    def _run(self, batch: list[_Item]) -> list[_Done]:
        """Each piece in order; a run of two or more ``together`` ones in one unit."""
        done: list[_Done] = []
        start = 0
        while start < len(batch):
            end = start
            while end < len(batch) and batch[end][2]:
                end += 1
            if end - start >= 2 and self._together is not None and self._together.begin():
                done += _as_one(self._together, batch[start:end])
                start = end
                continue
            future, work, _ = batch[start]
            done.append(_outcome(future, work))
            start += 1
        return done


def _outcome(future: asyncio.Future[Any], work: Callable[[], Any]) -> _Done:
    try:
        return future, work(), None
    except BaseException as error:  # handed to whoever awaits it
        return future, None, error


def _as_one(together: Together, run: list[_Item]) -> list[_Done]:
    """The pieces in one unit; told their outcome only once it is committed."""
    done = [_outcome(future, functools.partial(together.each, work)) for future, work, _ in run]
    try:
        together.commit()
    except BaseException as error:  # nothing of the unit was kept: all of them failed
        return [(future, None, error) for future, _, _ in done]
    return done


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
