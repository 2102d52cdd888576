"""A case as a plain document (one per case) and back: what SQLite and MongoDB both store.

Times are whole microseconds since the epoch (integers compare exactly in
every database and lose nothing, unlike BSON dates or floats). Sealed values
stay bytes for MongoDB (BSON binary) and become base64 text for SQLite's JSON.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

from casework.models import (
    Case,
    CaseMessage,
    CaseNote,
    CaseState,
    ClosedBy,
    Direction,
    MessageKind,
)
from storekit.times import micros, moment

__all__ = ["from_document", "micros", "moment", "to_document"]

Document = dict[str, Any]


def _maybe_micros(at: dt.datetime | None) -> int | None:
    return None if at is None else micros(at)


def _maybe_moment(value: int | None) -> dt.datetime | None:
    return None if value is None else moment(value)


def _identity(data: bytes) -> Any:
    return data


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(data: Any) -> bytes:
    return base64.b64decode(data)


def to_document(case: Case, encode: Callable[[bytes], Any] = _identity) -> Document:
    """The whole case; ``encode`` turns sealed bytes into what the database keeps."""

    def maybe(data: bytes | None) -> Any:
        return None if data is None else encode(data)

    return {
        "_id": case.id,
        "partner_id": case.partner_id,
        "pseudonym": case.pseudonym,
        "created_at": micros(case.created_at),
        "consent_version": case.consent_version,
        "consent_at": micros(case.consent_at),
        "locale": case.locale,
        "country": case.country,
        "urgent": case.urgent,
        "danger": case.danger,
        "state": case.state.value,
        "updated_at": _maybe_micros(case.updated_at),
        "closed_at": _maybe_micros(case.closed_at),
        "closed_by": None if case.closed_by is None else case.closed_by.value,
        "withdrawn": case.withdrawn,
        "contact": maybe(case.contact),
        "reply_to": maybe(case.reply_to),
        "messages": [
            {
                "id": m.id,
                "at": micros(m.at),
                "direction": m.direction.value,
                "kind": m.kind.value,
                "body": encode(m.body),
                "media_type": m.media_type,
                "read_at": _maybe_micros(m.read_at),
                "delivered_at": _maybe_micros(m.delivered_at),
            }
            for m in case.messages
        ],
        "notes": [
            {"id": n.id, "at": micros(n.at), "author": n.author, "body": encode(n.body)}
            for n in case.notes
        ],
    }


def from_document(doc: Document, decode: Callable[[Any], bytes] = bytes) -> Case:
    """The case ``to_document`` wrote; ``decode`` turns stored values back into bytes."""

    def maybe(data: Any) -> bytes | None:
        return None if data is None else decode(data)

    return Case(
        id=str(doc["_id"]),
        partner_id=doc["partner_id"],
        pseudonym=doc["pseudonym"],
        created_at=moment(doc["created_at"]),
        consent_version=doc["consent_version"],
        consent_at=moment(doc["consent_at"]),
        locale=doc["locale"],
        country=doc["country"],
        urgent=bool(doc["urgent"]),
        danger=doc["danger"],
        state=CaseState(doc["state"]),
        updated_at=_maybe_moment(doc["updated_at"]),
        closed_at=_maybe_moment(doc["closed_at"]),
        closed_by=None if doc["closed_by"] is None else ClosedBy(doc["closed_by"]),
        withdrawn=bool(doc["withdrawn"]),
        contact=maybe(doc["contact"]),
        reply_to=maybe(doc["reply_to"]),
        messages=tuple(
            CaseMessage(
                id=m["id"],
                at=moment(m["at"]),
                direction=Direction(m["direction"]),
                kind=MessageKind(m["kind"]),
                body=decode(m["body"]),
                media_type=m["media_type"],
                read_at=_maybe_moment(m["read_at"]),
                delivered_at=_maybe_moment(m["delivered_at"]),
            )
            for m in doc["messages"]
        ),
        notes=tuple(
            CaseNote(id=n["id"], at=moment(n["at"]), author=n["author"], body=decode(n["body"]))
            for n in doc["notes"]
        ),
    )
