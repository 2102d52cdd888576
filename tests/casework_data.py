"""Cases as the chat opens them (sealed reply address and message), for the caseworker tests."""

from __future__ import annotations

import datetime as dt

from casework import (
    Case,
    CaseMessage,
    CaseStore,
    Direction,
    MessageKind,
    ReplyAddress,
    Sealer,
    new_case_id,
    new_item_id,
)
from casework.models import message_context, reply_context
from casework.sealing import generate_entry

CONTACT_KEY = generate_entry("test1")


async def open_case(
    cases: CaseStore, sealer: Sealer, *, partner: str, channel: str, address: str,
    pseudonym: str, text: str = "My employer took my passport.", urgent: bool = False,
    at: dt.datetime | None = None, locale: str = "en", voice: bytes | None = None,
) -> Case:
    """A case with one message from the person, stored as the chat stores it."""
    at = at or dt.datetime.now(dt.UTC)
    case_id, message_id = new_case_id(), new_item_id()
    if voice is None:
        message = CaseMessage(message_id, at, Direction.WORKER, MessageKind.TEXT,
                              sealer.seal(text.encode(), context=message_context(case_id,
                                                                                 message_id)))
    else:
        message = CaseMessage(message_id, at, Direction.WORKER, MessageKind.VOICE,
                              sealer.seal(voice, context=message_context(case_id, message_id)),
                              media_type="audio/ogg")
    reply_to = sealer.seal(ReplyAddress(channel, address).to_bytes(),
                           context=reply_context(case_id))
    case = Case(id=case_id, partner_id=partner, pseudonym=pseudonym, created_at=at,
                consent_version="case-1", consent_at=at, locale=locale, urgent=urgent,
                danger="passport" if urgent else None, reply_to=reply_to,
                messages=(message,))
    return await cases.open_case(case)
