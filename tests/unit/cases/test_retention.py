"""The retention sweep: closed cases go after CASE_RETENTION_DAYS, on a fake clock."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

import pytest

from casework import Case, CaseState, CasesUnavailable, ClosedBy
from casework.retention import retention_loop, sweep_closed_cases
from casework.stores.memory import MemoryCaseStore

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _case(case_id: str) -> Case:
    return Case(case_id, "migrant-rights", "p" * 64, T0, "case-1", T0)


async def test_a_closed_case_is_kept_for_the_retention_days_then_erased() -> None:
    store = MemoryCaseStore()
    await store.open_case(_case("C-1"))
    await store.open_case(_case("C-OPEN"))
    await store.set_state("C-1", CaseState.CLOSED, T0, by=ClosedBy.WORKER)
    assert await sweep_closed_cases(store, T0 + dt.timedelta(days=90, seconds=-1), 90) == 0
    assert await store.get("C-1") is not None
    assert await sweep_closed_cases(store, T0 + dt.timedelta(days=90), 90) == 1
    assert await store.get("C-1") is None
    assert await store.get("C-OPEN") is not None  # an open case is never swept
    assert await sweep_closed_cases(store, T0 + dt.timedelta(days=900), 90) == 0


class _FlakyStore(MemoryCaseStore):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def erase_closed_before(self, cutoff: dt.datetime) -> int:
        self.calls += 1
        if self.calls == 1:
            raise CasesUnavailable("down")
        return await super().erase_closed_before(cutoff)


async def test_the_loop_sweeps_every_round_and_survives_an_outage() -> None:
    store = _FlakyStore()
    await store.open_case(_case("C-1"))
    await store.set_state("C-1", CaseState.CLOSED, T0)
    clock = [T0 + dt.timedelta(days=91)]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 3:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await retention_loop(
            store, lambda: clock[0], 90, every=dt.timedelta(minutes=30), sleep=sleep
        )
    assert store.calls == 3 and slept == [1800.0, 1800.0, 1800.0]
    assert await store.get("C-1") is None  # the outage only postponed it


def test_a_case_is_frozen_so_no_adapter_shares_a_mutable_one() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _case("C-1").state = CaseState.CLOSED  # type: ignore[misc]
