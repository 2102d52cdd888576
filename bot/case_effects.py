"""Applying the case effects of a turn: sealing what the person sent, then storing it.

The engine's effects carry the person's words in clear, in memory only. Here
they are sealed (``casework.sealing``, bound to their case and field) before
the case store sees them; the reply address, the channel and its raw user id,
comes from the runner, which alone knows it, and is sealed the same way.

Cases live beside the other tables but on their own connection (the case
store is its own port with its own adapters, and a MongoDB or SQLite
transaction cannot span two connections), so they are applied just before the
turn's unit of work rather than inside it. What makes that safe is that every
case write is idempotent by an id the *previous* turn chose and saved:

- the case store fails: ``StoreUnavailable``, nothing of the turn is applied,
  the person is asked to try again, their draft kept;
- the unit of work fails after the case write: the turn's state is not saved,
  so the retry replays the same ids; the case opens once (``flow["talk"]``
  holds its id and its first message's), a message is added once
  (``case_chat.NEXT_ID``), closing or a contact again changes nothing;
- the person never retries: the case is there with their message (the
  caseworker still reads it); the bot asked them to try again, and never says
  anything is lost.

Tested in ``tests/unit/engine/test_talk.py`` (an outage of either store between
the two writes).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from bot.core.effects import (
    AddCaseMessage,
    CaseText,
    CloseCase,
    Effect,
    Forget,
    OpenCase,
    SetCaseContact,
)
from bot.core.runner import TurnConflict
from casework import (
    Case,
    CaseClosed,
    CaseMessage,
    CaseNotFound,
    CaseState,
    CaseStore,
    CasesUnavailable,
    ClosedBy,
    Direction,
    MessageKind,
    ReplyAddress,
    Sealer,
)
from casework.models import contact_context, message_context, reply_context
from casework.outbox import OutboxStore
from recruiter_reports.stores import StoreUnavailable

__all__ = ["CASE_EFFECTS", "CaseEffects"]

log = logging.getLogger(__name__)

CASE_EFFECTS = (OpenCase, AddCaseMessage, SetCaseContact, CloseCase)


class CaseEffects:
    """Applies a turn's case effects (and the case part of ``Forget``) to the case store.

    ``outbox`` holds what caseworkers sent that has not reached the person yet:
    ``Forget`` empties the person's part of it at once, rather than leaving it for
    the delivery loop to find the case gone.
    """

    def __init__(
        self,
        cases: CaseStore,
        sealer: Sealer | None,
        clock: Callable[[], dt.datetime],
        outbox: OutboxStore | None = None,
    ) -> None:
        self._cases = cases
        self._sealer = sealer
        self._clock = clock
        self._outbox = outbox

    async def apply(
        self, pseudonym: str, effects: Sequence[Effect], address: ReplyAddress | None
    ) -> None:
        try:
            for effect in effects:
                if isinstance(effect, OpenCase):
                    await self._open(pseudonym, effect, address)
                elif isinstance(effect, AddCaseMessage):
                    await self._add(effect, address)
                elif isinstance(effect, SetCaseContact):
                    sealed = self._seal(effect.contact.encode(), contact_context(effect.case_id))
                    await self._cases.set_contact(effect.case_id, sealed, effect.at)
                elif isinstance(effect, CloseCase):
                    by = ClosedBy.WITHDRAWN if effect.withdrawn else ClosedBy.WORKER
                    await self._close(effect, by)
                elif isinstance(effect, Forget):
                    await self._cases.erase_person(pseudonym, self._clock())
                    if self._outbox is not None:
                        await self._outbox.drop_person(pseudonym)
        except CasesUnavailable as error:
            raise StoreUnavailable(f"case store: {error}") from error

    async def _open(self, pseudonym: str, effect: OpenCase, address: ReplyAddress | None) -> None:
        reply_to = None
        if address is not None:
            reply_to = self._seal(address.to_bytes(), reply_context(effect.case_id))
        await self._cases.open_case(
            Case(
                id=effect.case_id,
                partner_id=effect.partner_id,
                pseudonym=pseudonym,
                created_at=effect.at,
                consent_version=effect.consent_version,
                consent_at=effect.consent_at,
                locale=effect.locale,
                country=effect.country,
                urgent=effect.urgent,
                danger=effect.danger,
                reply_to=reply_to,
                messages=(self._message(effect.case_id, effect.first, address),),
            )
        )

    async def _add(self, effect: AddCaseMessage, address: ReplyAddress | None) -> None:
        try:
            await self._cases.add_message(
                effect.case_id, self._message(effect.case_id, effect.message, address)
            )
        except (CaseClosed, CaseNotFound) as error:
            # Closed or erased between the engine's read and this write (a caseworker
            # closed it a moment ago): the runner runs the turn again, and the engine,
            # reading the case closed now, tells the person their message was not sent.
            # Only the error's type is logged, never the case or the words.
            log.info("a message arrived for a case that just closed (%s)", type(error).__name__)
            raise TurnConflict("the case closed before the message was added") from error

    async def _close(self, effect: CloseCase, by: ClosedBy) -> None:
        try:
            await self._cases.set_state(effect.case_id, CaseState.CLOSED, effect.at, by=by)
        except CaseNotFound:
            pass  # erased meanwhile: closing it is already done

    def _message(self, case_id: str, sent: CaseText, address: ReplyAddress | None) -> CaseMessage:
        context = message_context(case_id, sent.message_id)
        if sent.voice_ref:
            channel = address.channel if address is not None else "unknown"
            body = self._seal(sent.voice_ref.encode(), context)
            return CaseMessage(sent.message_id, sent.at, Direction.WORKER, MessageKind.VOICE,
                               body, media_type=f"ref/{channel}")  # fmt: skip
        body = self._seal(sent.text.encode(), context)
        return CaseMessage(sent.message_id, sent.at, Direction.WORKER, MessageKind.TEXT, body)

    def _seal(self, data: bytes, context: bytes) -> bytes:
        if self._sealer is None:
            # The engine opens no case without a key; reaching this is a wiring bug.
            raise RuntimeError("a case effect reached the store without CONTACT_KEY")
        return self._sealer.seal(data, context=context)
