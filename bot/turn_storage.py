"""Turns kept in the store: a turn's effects and its state in one unit of work.

The runner (``bot.core.runner``) knows only the ``TurnStorage`` port; this is
its implementation over the store ports, and the one place that knows how
each effect is applied. A new effect (``ScheduleCheckIn``) is one more entry in
``_APPLY``. Case effects (``OpenCase``...) and the case part of ``Forget`` go to
the case store first, sealed (``bot.case_effects``); follow-up effects
(``ScheduleFollowups``...) and the follow-up part of ``Forget`` go to the follow-up
store the same way (``bot.followup_effects``).

The unit of work is a transaction on SQLite and on a MongoDB replica set or
sharded cluster (every write of the turn carries its session), so a failure
anywhere rolls the whole turn back. Order matters where the store has no
transactions (a standalone MongoDB): the
effects first, in the order the turn emitted them, each idempotent (consent
keeps its first date, a report replaces the person's earlier one, erasing
twice erases once), and the state last, so a turn that fails half-way is
retried whole without counting anything twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.case_effects import CASE_EFFECTS, CaseEffects
from bot.core.effects import Effect, Forget, GiveConsent, SubmitReport, WithdrawConsent
from bot.followup_effects import FOLLOWUP_EFFECTS, FollowupEffects
from casework.models import ReplyAddress
from recruiter_reports.publication import cell_group, cell_of, due
from recruiter_reports.stores import Store

__all__ = ["StoreTurns"]

_Applier = Callable[[Store, str, Any], Awaitable[object]]


async def _give_consent(store: Store, pseudonym: str, effect: GiveConsent) -> None:
    await store.save_consent(pseudonym, effect.version, effect.at)


async def _withdraw(store: Store, pseudonym: str, effect: WithdrawConsent) -> None:
    await store.withdraw_consent(pseudonym)


async def _submit(store: Store, pseudonym: str, effect: SubmitReport) -> None:
    await store.save_report(
        pseudonym, effect.report, held=effect.held, reporter_since=effect.reporter_since
    )
    if effect.publish is not None:  # the rating's cell was due when the turn was prepared
        rid, cell = effect.report.recruiter_id, cell_of(effect.report)
        group = cell_group(rid, cell)
        live = (await store.breakdown(rid, "destination_quarter")).get(cell)
        last = (await store.published([group])).get(group)
        if live is not None and due(live.reporters, last, effect.publish):
            await store.publish({group: live}, effect.report.created_at)


async def _forget(store: Store, pseudonym: str, effect: Forget) -> None:
    await store.forget(pseudonym)


async def _applied_before(store: Store, pseudonym: str, effect: Effect) -> None:
    """Case effects go to the case store first (``CaseEffects``), outside this unit."""


_APPLY: dict[type[Effect], _Applier] = {
    GiveConsent: _give_consent,
    WithdrawConsent: _withdraw,
    SubmitReport: _submit,
    Forget: _forget,
    **dict.fromkeys(CASE_EFFECTS, _applied_before),
    **dict.fromkeys(FOLLOWUP_EFFECTS, _applied_before),
}


class StoreTurns:
    """Implements ``bot.core.runner.TurnStorage`` over a store."""

    def __init__(self, store: Store, cases: CaseEffects | None = None,
                 followups: FollowupEffects | None = None) -> None:
        self._store = store
        self._cases = cases
        self._followups = followups

    async def load_state(self, pseudonym: str) -> dict[str, Any] | None:
        return await self._store.load_session(pseudonym)

    async def commit(
        self,
        pseudonym: str,
        effects: Sequence[Effect],
        state: dict[str, Any] | None,
        expires_at: dt.datetime,
        answer: tuple[str, str] | None = None,
        *,
        address: ReplyAddress | None = None,
    ) -> None:
        """The answer goes with the state (one write); a turn that saves no state
        (``/forget``) keeps no answer either: run again, it erases nothing more."""
        if self._cases is not None and any(isinstance(e, (*CASE_EFFECTS, Forget)) for e in effects):
            # Their own connection: before the unit of work, each write idempotent by id.
            await self._cases.apply(pseudonym, effects, address)
        elif any(isinstance(effect, CASE_EFFECTS) for effect in effects):
            raise RuntimeError("a case effect, but no case store was given")
        if self._followups is not None and any(
            isinstance(e, (*FOLLOWUP_EFFECTS, Forget)) for e in effects
        ):
            # Like cases: their own connection, before the unit of work, idempotent.
            await self._followups.apply(pseudonym, effects, address)
        elif any(isinstance(effect, FOLLOWUP_EFFECTS) for effect in effects):
            raise RuntimeError("a follow-up effect, but no follow-up store was given")
        if not effects:
            if state is not None:
                await self._store.save_session(pseudonym, state, expires_at, answer=answer)
            return
        async with self._store.unit_of_work():
            for effect in effects:
                await _APPLY[type(effect)](self._store, pseudonym, effect)
            if state is not None:
                await self._store.save_session(pseudonym, state, expires_at, answer=answer)
