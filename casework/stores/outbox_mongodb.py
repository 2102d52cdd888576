"""The case outbox in the store's MongoDB database, one document per entry.

A lease is taken with ``find_one_and_update`` on a filter that still requires
the entry to be free, so two workers racing for it get it once. An entry is
leased only while it is the oldest of its person's queue (checked just before
the lease), which keeps one person's messages in order. Times are integer
microseconds; outages become ``CasesUnavailable``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from casework.outbox import EntryKind, EntryStatus, OutboxEntry
from casework.stores._codec import micros, moment
from casework.stores.mongodb_errors import unavailable_on_failure

__all__ = ["OUTBOX", "MongoDBOutbox"]

OUTBOX = "case_outbox"
Document = dict[str, Any]
_ORDER = [("created_at", ASCENDING), ("_id", ASCENDING)]
_INDEXES = (
    ("case_outbox_by_person", [("person", ASCENDING), *_ORDER]),
    ("case_outbox_by_due", [("due_at", ASCENDING)]),
    ("case_outbox_by_case", [("case_id", ASCENDING)]),
)
_CLIENT_OPTIONS: dict[str, Any] = {
    "appName": "safe-migration-bot-outbox", "retryWrites": True, "retryReads": True,
    "serverSelectionTimeoutMS": 3000, "connectTimeoutMS": 3000, "socketTimeoutMS": 5000,
}


def _free(now: int) -> Document:
    return {"status": {"$in": [EntryStatus.PENDING.value, EntryStatus.STUCK.value]},
            "due_at": {"$lte": now},
            "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]}


def _free_now(now: int, person: str) -> Document:
    """``claim(..., person=...)``: that person's, due or not (``outbox.claimable_now``)."""
    return {"person": person, "status": {"$ne": EntryStatus.UNREACHABLE.value},
            "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]}


class MongoDBOutbox:
    """Implements ``OutboxStore`` on the database ``url`` names."""

    def __init__(self, url: str, *, database: str) -> None:
        self._url = url
        self._database_name = database
        self._client: AsyncMongoClient[Document] | None = None
        self._prepared = False
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        await self._outbox()

    async def close(self) -> None:
        client, self._client = self._client, None
        self._prepared = False
        if client is not None:
            await client.close()

    async def enqueue(self, entry: OutboxEntry) -> bool:
        outbox = await self._outbox()
        async with unavailable_on_failure("queueing a case message"):
            try:
                await outbox.insert_one(_document(entry))
            except DuplicateKeyError:
                return False
        return True

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50,
        person: str | None = None,
    ) -> list[OutboxEntry]:
        outbox = await self._outbox()
        moment_now = micros(now)
        free = _free(moment_now) if person is None else _free_now(moment_now, person)
        leased: list[OutboxEntry] = []
        async with unavailable_on_failure("claiming case messages"):
            candidates = await outbox.find(free).sort(_ORDER).limit(
                max(1, limit) * 4).to_list()
            for candidate in candidates:
                if len(leased) >= limit:
                    break
                head = await outbox.find_one({"person": candidate["person"]}, sort=_ORDER)
                if head is None or head["_id"] != candidate["_id"]:
                    continue
                taken = await outbox.find_one_and_update(
                    {"_id": candidate["_id"], **free},
                    {"$set": {"lease_until": micros(lease_until), "owner": owner}},
                    return_document=ReturnDocument.AFTER,
                )
                if taken is not None:
                    leased.append(_entry(taken))
        return leased

    async def done(self, entry_id: str, owner: str) -> bool:
        outbox = await self._outbox()
        async with unavailable_on_failure("finishing a case message"):
            result = await outbox.delete_one({"_id": entry_id, "owner": owner})
        return result.deleted_count == 1

    async def retry(
        self, entry_id: str, owner: str, *, due_at: dt.datetime, status: EntryStatus,
        detail: str,
    ) -> bool:
        outbox = await self._outbox()
        async with unavailable_on_failure("rescheduling a case message"):
            result = await outbox.update_one(
                {"_id": entry_id, "owner": owner},
                {"$set": {"due_at": micros(due_at), "status": EntryStatus(status).value,
                          "detail": detail[:300], "lease_until": None, "owner": ""},
                 "$inc": {"attempts": 1}},
            )
        return result.modified_count == 1

    async def wake(self, person: str, at: dt.datetime) -> int:
        outbox = await self._outbox()
        when = micros(at)
        async with unavailable_on_failure("waking case messages"):
            result = await outbox.update_many(
                {"person": person, "status": EntryStatus.WAITING.value},
                {"$set": {"status": EntryStatus.PENDING.value, "due_at": when, "seen_at": when}},
            )
        return int(result.modified_count)

    async def of_case(self, case_id: str) -> list[OutboxEntry]:
        outbox = await self._outbox()
        async with unavailable_on_failure("reading case messages"):
            found = await outbox.find({"case_id": case_id}).sort(_ORDER).to_list()
        return [_entry(document) for document in found]

    async def drop_person(self, person: str) -> int:
        outbox = await self._outbox()
        async with unavailable_on_failure("erasing case messages"):
            result = await outbox.delete_many({"person": person})
        return int(result.deleted_count)

    async def _outbox(self) -> AsyncCollection[Document]:
        async with self._lock:
            if self._client is None:
                given = {name.lower() for name, _ in parse_qsl(urlsplit(self._url).query)}
                options = {k: v for k, v in _CLIENT_OPTIONS.items() if k.lower() not in given}
                self._client = AsyncMongoClient(self._url, **options)
            collection = self._client[self._database_name][OUTBOX]
            if not self._prepared:
                async with unavailable_on_failure("creating the outbox indexes"):
                    for name, keys in _INDEXES:
                        await collection.create_index(keys, name=name)
                self._prepared = True
            return collection


def _document(entry: OutboxEntry) -> Document:
    return {
        "_id": entry.id, "case_id": entry.case_id, "person": entry.person,
        "kind": entry.kind.value, "ref": entry.ref, "created_at": micros(entry.created_at),
        "due_at": micros(entry.due_at), "status": entry.status.value, "attempts": entry.attempts,
        "detail": entry.detail, "seen_at": None if entry.seen_at is None else micros(entry.seen_at),
        "lease_until": None if entry.lease_until is None else micros(entry.lease_until),
        "owner": entry.owner,
    }


def _entry(document: Document) -> OutboxEntry:
    seen, lease = document.get("seen_at"), document.get("lease_until")
    return OutboxEntry(
        id=document["_id"], case_id=document["case_id"], person=document["person"],
        kind=EntryKind(document["kind"]), ref=document["ref"],
        created_at=moment(document["created_at"]), due_at=moment(document["due_at"]),
        status=EntryStatus(document["status"]), attempts=int(document["attempts"]),
        detail=document["detail"], seen_at=None if seen is None else moment(seen),
        lease_until=None if lease is None else moment(lease), owner=document["owner"],
    )
