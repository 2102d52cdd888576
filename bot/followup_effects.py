"""Applying the follow-up effects of a turn: sealing the reply address, queueing check-ins.

The reply address (the channel and its raw user id) comes from the runner,
which alone knows it, and is sealed here (``casework.sealing`` through
``followups.Sealer``, bound to the person) before the follow-up store sees
it. Like cases, follow-ups live on their own connection and are applied
before the turn's unit of work, each write idempotent (enrolling again
replaces, stopping twice stops once), so a retried turn writes once. An
outage is reported as ``StoreUnavailable``: the turn is rolled back and the
person asked to try again.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.effects import Effect, Forget, SaveCheckin, ScheduleFollowups, StopFollowups
from casework.models import ReplyAddress
from followups import (
    CheckinAnswers,
    Enrolment,
    FollowupStore,
    FollowupsUnavailable,
    Sealer,
    Stage,
    address_context,
)
from followups.schedule import checkin_jobs
from recruiter_reports.stores import StoreUnavailable

__all__ = ["FOLLOWUP_EFFECTS", "FollowupEffects"]

FOLLOWUP_EFFECTS = (ScheduleFollowups, StopFollowups, SaveCheckin)


class FollowupEffects:
    """Applies a turn's follow-up effects (and the follow-up part of ``Forget``)."""

    def __init__(self, store: FollowupStore, sealer: Sealer | None) -> None:
        self._store = store
        self._sealer = sealer

    async def apply(
        self, pseudonym: str, effects: Sequence[Effect], address: ReplyAddress | None
    ) -> None:
        try:
            for effect in effects:
                if isinstance(effect, ScheduleFollowups):
                    await self._schedule(pseudonym, effect, address)
                elif isinstance(effect, StopFollowups):
                    await self._store.stop(pseudonym)
                elif isinstance(effect, SaveCheckin):
                    await self._store.save_answers(CheckinAnswers(
                        pseudonym, effect.recruiter_id, effect.round, effect.at,
                        dict(effect.answers), effect.reported, effect.promised,
                        effect.destination))
                elif isinstance(effect, Forget):
                    await self._store.forget(pseudonym)
        except FollowupsUnavailable as error:
            raise StoreUnavailable(f"follow-up store: {error}") from error

    async def _schedule(self, pseudonym: str, effect: ScheduleFollowups,
                        address: ReplyAddress | None) -> None:
        if self._sealer is None or address is None:
            # The engine offers no check-ins without a key; reaching this is a wiring bug.
            raise RuntimeError("check-ins were agreed without CONTACT_KEY or a reply address")
        sealed = self._sealer.seal(address.to_bytes(), context=address_context(pseudonym))
        enrolment = Enrolment(
            pseudonym=pseudonym, consent_version=effect.consent_version,
            consented_at=effect.at, address=sealed, stage=Stage(effect.stage),
            month=effect.month, recruiter_id=effect.recruiter_id, locale=effect.locale,
            origin=effect.origin, destination=effect.destination)
        await self._store.enrol(enrolment, checkin_jobs(pseudonym, effect.month, effect.at))
