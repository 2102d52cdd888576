"""What a caseworker can do with their organisation's cases: one place for the portal and the API.

Every call checks the account first: only a ``caseworker`` (``Permission.CASES``)
gets past ``require``, and a case of another partner organisation is
``CaseNotFound`` (answered 404, so its existence is not confirmed). Every view,
reply, note and state change is written to the audit log, with the case
number, never with what anyone wrote.

What the person wrote is opened (``Sealer.open``) only here, only for the
response being built; nothing opened is logged or kept.

Reading a case marks the person's messages read and queues "your message was
read"; a reply is saved in the case and queued in the outbox in the same call;
closing queues "your case was closed". The delivery loop
(``bot.web.cases.delivery``) sends them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.web.portal.scope import Refused, require
from casework import (
    Case,
    CaseClosed,
    CaseMessage,
    CaseNote,
    CaseNotFound,
    CaseState,
    CaseStore,
    ClosedBy,
    Direction,
    MessageKind,
    Sealer,
    new_item_id,
)
from casework.models import message_context, note_context
from casework.outbox import EntryKind, OutboxEntry, OutboxStore
from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.stakeholders import Account, Permission
from recruiter_reports.stores.stakeholder_port import StakeholderStore

__all__ = ["REPLY_MAX", "CaseDesk", "CaseWithdrawn", "MessageView", "NoteView", "ReplyTooLong"]

REPLY_MAX = 2000
"""Characters in one reply: it must fit a WhatsApp text (4,096) with the heading."""
NOTE_MAX = 2000


class CaseWithdrawn(CaseClosed):
    """The person withdrew (``/forget``): the case's content is erased, nothing reaches them."""


class ReplyTooLong(ValueError):
    """A reply or note over the limit (the message says the limit)."""


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message as a caseworker reads it (opened for this response only)."""

    id: str
    at: dt.datetime
    direction: Direction
    kind: MessageKind
    text: str | None
    """The text, or None for a voice message (served as audio)."""
    media_type: str | None
    read_at: dt.datetime | None
    delivered_at: dt.datetime | None
    delivery: str | None
    """Why a reply has not reached the chat yet (None once delivered, or for the person's)."""


@dataclass(frozen=True, slots=True)
class NoteView:
    id: str
    at: dt.datetime
    author: str
    text: str


class CaseDesk:
    """The caseworkers' operations on cases, checked and audited."""

    def __init__(
        self,
        cases: CaseStore,
        outbox: OutboxStore,
        sealer: Sealer,
        audit: StakeholderStore,
        *,
        clock: Callable[[], dt.datetime],
        kick: Callable[[], None] = lambda: None,
    ) -> None:
        self._cases = cases
        self._outbox = outbox
        self._sealer = sealer
        self._audit = audit
        self._clock = clock
        self._kick = kick

    async def listing(self, account: Account, where: str) -> list[Case]:
        """The account's organisation's cases, urgent first, then oldest first."""
        partner = _partner(account)
        found = await self._cases.list_for_partner(partner, limit=500)
        await self._log(account, AuditAction.CASE_LIST, f"{where}: partner {partner}")
        return found

    async def open(self, account: Account, case_id: str, where: str) -> tuple[
        Case, list[MessageView], list[NoteView]
    ]:
        """The case opened for reading; the person's new messages become read."""
        case = await self._case(account, case_id)
        now = self._clock()
        newly = await self._cases.mark_read(case.id, now) if not case.withdrawn else ()
        if newly:
            await self._queue(case, EntryKind.READ, newly[-1], now)
            case = await self._case(account, case_id)
        await self._log(account, AuditAction.CASE_VIEW, f"{where}: case {case.id}")
        return case, await self._messages(case), self._notes(case)

    async def audio(self, account: Account, case_id: str, message_id: str) -> tuple[bytes, str]:
        """A voice message's audio (opened for this response only) and its media type."""
        case = await self._case(account, case_id)
        for message in case.messages:
            if message.id == message_id and message.kind is MessageKind.VOICE:
                media = message.media_type or "audio/ogg"
                if not media.startswith("audio/"):
                    break  # a channel's reference, not audio this server holds
                audio = self._sealer.open(message.body,
                                          context=message_context(case.id, message.id))
                await self._log(account, AuditAction.CASE_VIEW,
                                f"audio of case {case.id} message {message.id}")
                return audio, media
        raise CaseNotFound(f"{case_id}/{message_id}")

    async def reply(self, account: Account, case_id: str, text: str, where: str) -> CaseMessage:
        """Save a reply in the case and queue it for the person's chat."""
        text = text.strip()
        if not text:
            raise ReplyTooLong("a reply needs some text")
        if len(text) > REPLY_MAX:
            raise ReplyTooLong(f"a reply holds at most {REPLY_MAX} characters ({len(text)} given)")
        case = await self._case(account, case_id)
        if case.withdrawn:
            raise CaseWithdrawn(case.id)
        if case.state is CaseState.CLOSED:
            raise CaseClosed(case.id)
        now = self._clock()
        message_id = new_item_id()
        message = CaseMessage(
            message_id, now, Direction.CASEWORKER, MessageKind.TEXT,
            self._sealer.seal(text.encode(), context=message_context(case.id, message_id)),
        )
        await self._cases.add_message(case.id, message)
        if case.state is CaseState.NEW:
            await self._cases.set_state(case.id, CaseState.IN_PROGRESS, now)
        await self._queue(case, EntryKind.REPLY, message_id, now)
        await self._log(account, AuditAction.CASE_REPLY, f"{where}: case {case.id}")
        return message

    async def set_state(self, account: Account, case_id: str, state: CaseState,
                        where: str) -> Case:
        """Move the case forward (new -> in progress -> closed); closing tells the person."""
        case = await self._case(account, case_id)
        now = self._clock()
        updated = await self._cases.set_state(case.id, state, now, by=ClosedBy.CASEWORKER)
        if state is CaseState.CLOSED and case.state is not CaseState.CLOSED and not case.withdrawn:
            await self._queue(case, EntryKind.CLOSED, case.id, now)
        await self._log(account, AuditAction.CASE_STATE,
                        f"{where}: case {case.id} {case.state.value} -> {state.value}")
        return updated

    async def add_note(self, account: Account, case_id: str, text: str, where: str) -> None:
        text = text.strip()
        if not text or len(text) > NOTE_MAX:
            raise ReplyTooLong(f"a note holds 1 to {NOTE_MAX} characters")
        case = await self._case(account, case_id)
        note_id = new_item_id()
        body = self._sealer.seal(text.encode(), context=note_context(case.id, note_id))
        await self._cases.add_note(case.id, CaseNote(note_id, self._clock(), account.name, body))
        await self._log(account, AuditAction.CASE_NOTE, f"{where}: case {case.id}")

    async def _case(self, account: Account, case_id: str) -> Case:
        partner = _partner(account)
        case = await self._cases.get(case_id)
        if case is None or case.partner_id != partner:
            raise CaseNotFound(case_id)
        return case

    async def _queue(self, case: Case, kind: EntryKind, ref: str, now: dt.datetime) -> None:
        if not case.pseudonym or case.reply_to is None:
            return  # withdrawn, or no way back to the person
        entry_id = ref if kind is EntryKind.REPLY else f"{case.id}:{kind.value}:{ref}"
        await self._outbox.enqueue(OutboxEntry(entry_id, case.id, case.pseudonym, kind, ref,
                                               now, now))
        self._kick()

    async def _messages(self, case: Case) -> list[MessageView]:
        waiting = {entry.ref: entry.detail or "queued"
                   for entry in await self._outbox.of_case(case.id)
                   if entry.kind is EntryKind.REPLY}
        views = []
        for message in case.messages:
            text = None
            if message.kind is MessageKind.TEXT:
                text = self._sealer.open(
                    message.body, context=message_context(case.id, message.id)).decode("utf-8")
            delivery = None
            if message.direction is Direction.CASEWORKER and message.delivered_at is None:
                delivery = waiting.get(message.id, "queued")
            views.append(MessageView(message.id, message.at, message.direction, message.kind,
                                     text, message.media_type, message.read_at,
                                     message.delivered_at, delivery))
        return views

    def _notes(self, case: Case) -> list[NoteView]:
        return [NoteView(note.id, note.at, note.author, self._sealer.open(
            note.body, context=note_context(case.id, note.id)).decode("utf-8"))
            for note in case.notes]

    async def _log(self, account: Account, action: AuditAction, target: str) -> None:
        await self._audit.append_audit(AuditEntry(self._clock(), account.id, action, target[:500]))


def _partner(account: Account) -> str:
    require(account, Permission.CASES)
    if not account.partner:
        raise Refused("this caseworker account is not bound to a partner organisation")
    return account.partner
