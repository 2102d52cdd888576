"""How a case changes, decided once: every adapter loads a case, applies one of these, saves it.

Each change is idempotent (adding a message whose id is already there, or
setting the state a case already has, changes nothing), so a turn retried
after a failure, or a second worker doing the same thing, writes once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from casework.models import Case, CaseMessage, CaseNote, CaseState, ClosedBy, Direction
from casework.port import CaseClosed, InvalidTransition

__all__ = [
    "add_message",
    "add_note",
    "erase_person",
    "mark_delivered",
    "mark_read",
    "set_state",
]


def add_message(case: Case, message: CaseMessage) -> Case:
    """Append ``message``; a closed case takes none (``CaseClosed``)."""
    if any(known.id == message.id for known in case.messages):
        return case
    if case.state is CaseState.CLOSED:
        raise CaseClosed(case.id)
    return dataclasses.replace(
        case, messages=(*case.messages, message), updated_at=_later(case, message.at)
    )


def add_note(case: Case, note: CaseNote) -> Case:
    """Append a caseworker's note (closed cases too: a note may record why it was closed)."""
    if any(known.id == note.id for known in case.notes):
        return case
    if case.withdrawn:
        raise CaseClosed(case.id)
    return dataclasses.replace(case, notes=(*case.notes, note), updated_at=_later(case, note.at))


def set_state(case: Case, state: CaseState, at: dt.datetime, by: ClosedBy | None = None) -> Case:
    """Move the case forward; going back (or reopening a closed case) is ``InvalidTransition``."""
    if state is case.state:
        return case
    if state.rank < case.state.rank:
        raise InvalidTransition(f"case {case.id} cannot go from {case.state} back to {state}")
    if state is CaseState.CLOSED:
        return dataclasses.replace(
            case,
            state=state,
            closed_at=at,
            closed_by=by or ClosedBy.CASEWORKER,
            updated_at=_later(case, at),
        )
    return dataclasses.replace(case, state=state, updated_at=_later(case, at))


def mark_read(case: Case, at: dt.datetime) -> tuple[Case, tuple[str, ...]]:
    """Mark every unread worker message read at ``at``; the ids newly read."""
    newly = tuple(
        m.id for m in case.messages if m.direction is Direction.WORKER and m.read_at is None
    )
    if not newly:
        return case, ()
    messages = tuple(
        dataclasses.replace(m, read_at=at) if m.id in newly else m for m in case.messages
    )
    return dataclasses.replace(case, messages=messages), newly


def mark_delivered(case: Case, message_id: str, at: dt.datetime) -> tuple[Case, bool]:
    """Record that a caseworker's reply reached the chat; False when unknown or already done."""
    for message in case.messages:
        if message.id == message_id:
            if message.delivered_at is not None or message.direction is not Direction.CASEWORKER:
                return case, False
            messages = tuple(
                dataclasses.replace(m, delivered_at=at) if m.id == message_id else m
                for m in case.messages
            )
            return dataclasses.replace(case, messages=messages), True
    return case, False


def erase_person(case: Case, at: dt.datetime) -> Case:
    """What ``/forget`` leaves: a closed, empty case that says the person withdrew.

    No message, note, contact, reply address or pseudonym survives; the number,
    the partner and the dates stay so the caseworker's list does not silently
    lose a case they were working on. Retention erases the marker in its turn.
    """
    return dataclasses.replace(
        case,
        pseudonym="",
        state=CaseState.CLOSED,
        closed_at=case.closed_at if case.state is CaseState.CLOSED else at,
        closed_by=case.closed_by if case.state is CaseState.CLOSED else ClosedBy.WITHDRAWN,
        withdrawn=True,
        contact=None,
        reply_to=None,
        messages=(),
        notes=(),
        danger=None,
        updated_at=_later(case, at),
    )


def _later(case: Case, at: dt.datetime) -> dt.datetime:
    return max(case.last_change, at)
