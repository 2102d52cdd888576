"""Typed names for ``MongoDBStore``: one document per name beside the reports (``names_port``).

A record's ``_id`` is ``"<kind>:<key>"`` and ``seq`` orders the queue (the time
first seen). Records are created with ``$setOnInsert``, so a retried save adds
nothing twice; a merge moves the reports and rebuilds both summaries inside
the store's atomic step (a transaction where the deployment has them,
otherwise idempotent steps in order: moving a moved report changes nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from recruiter_reports.names import NameKind, NameRecord, NameStatus, records_of
from recruiter_reports.registry import is_pending_id
from recruiter_reports.reports import Report
from recruiter_reports.stores.mongodb_errors import unavailable_on_failure
from recruiter_reports.stores.mongodb_schema import NAMES, REPORTS
from recruiter_reports.stores.mongodb_summaries import resummarize

__all__ = ["MongoDBNames", "add_names", "prune_names"]

Document = dict[str, Any]
Session = AsyncClientSession | None


async def add_names(database: AsyncDatabase[Document], report: Report, session: Session) -> None:
    """The records a saved report brings, where they are new."""
    for record in records_of(report):
        await database[NAMES].update_one(
            {"_id": f"{record.kind.value}:{record.key}"},
            {"$setOnInsert": {
                "kind": record.kind.value, "key": record.key, "origin": record.origin,
                "text": record.text, "status": record.status.value,
                "maybe_person": record.maybe_person, "target": None,
                "seq": dt.datetime.now(dt.UTC)}},
            upsert=True, session=session,
        )  # fmt: skip


async def prune_names(database: AsyncDatabase[Document], session: Session) -> None:
    """Drop pending records no report names any more (after ``/forget``)."""
    pending = await database[NAMES].find(
        {"status": NameStatus.PENDING.value}, {"kind": 1, "key": 1}, session=session
    ).to_list()
    for document in pending:
        field = "recruiter_id" if document["kind"] == NameKind.AGENCY.value else "broker_key"
        if await database[REPORTS].find_one({field: document["key"]}, {"_id": 1},
                                            session=session) is None:  # fmt: skip
            await database[NAMES].delete_one(
                {"_id": document["_id"], "status": NameStatus.PENDING.value}, session=session
            )


def _record(document: Document) -> NameRecord:
    return NameRecord(NameKind(document["kind"]), document["key"], document["origin"],
                      document.get("text"), NameStatus(document["status"]),
                      bool(document.get("maybe_person")), document.get("target"))  # fmt: skip


class MongoDBNames:
    """The names half of ``MongoDBStore`` (mixed in; see ``names_port``)."""

    if TYPE_CHECKING:

        async def _ready(self) -> AsyncDatabase[Document]: ...

        async def _atomically[T](self, work: Callable[[Session], Awaitable[T]]) -> T: ...

    async def name_records(
        self, kind: NameKind, *, origin: str | None = None, status: NameStatus | None = None
    ) -> list[NameRecord]:
        query: Document = {"kind": kind.value}
        if origin is not None:
            query["origin"] = origin
        if status is not None:
            query["status"] = status.value
        database = await self._ready()
        async with unavailable_on_failure("reading names"):
            documents = await database[NAMES].find(query).sort([("seq", 1), ("_id", 1)]).to_list()
        return [_record(document) for document in documents]

    async def name_record(self, kind: NameKind, key: str) -> NameRecord | None:
        database = await self._ready()
        async with unavailable_on_failure("reading a name"):
            found = await database[NAMES].find_one({"_id": f"{kind.value}:{key}"})
        return None if found is None else _record(found)

    async def broker_counts(self, recruiter_id: str) -> dict[str, int]:
        database = await self._ready()
        async with unavailable_on_failure("counting brokers"):
            cursor = await database[REPORTS].aggregate([
                {"$match": {"recruiter_id": recruiter_id, "held": False,
                            "broker_key": {"$type": "string"}}},
                {"$group": {"_id": "$broker_key", "n": {"$sum": 1}}},
            ])  # fmt: skip
            rows = await cursor.to_list()
        return {row["_id"]: int(row["n"]) for row in rows}

    async def moderate_name(
        self, kind: NameKind, key: str, approve: bool, text: str | None = None
    ) -> bool:
        change: Document = (
            {"status": NameStatus.APPROVED.value, **({"text": text} if text else {})}
            if approve
            else {"status": NameStatus.REJECTED.value, "text": None}
        )
        database = await self._ready()
        async with unavailable_on_failure("moderating a name"):
            result = await database[NAMES].update_one(
                {"_id": f"{kind.value}:{key}",
                 "status": {"$in": [NameStatus.PENDING.value, NameStatus.APPROVED.value]}},
                {"$set": change},
            )  # fmt: skip
        return result.matched_count == 1

    async def merge_agency(self, pending_id: str, into_id: str) -> int:
        if not is_pending_id(pending_id) or pending_id == into_id:
            raise ValueError("only an unlisted agency can be merged, and not into itself")
        database = await self._ready()
        reports = database[REPORTS]

        async def _merge(session: Session) -> int:
            moving = await reports.find({"recruiter_id": pending_id}, session=session).to_list()
            for document in moving:
                other = await reports.find_one(
                    {"pseudonym": document["pseudonym"], "recruiter_id": into_id},
                    {"_id": 1, "created_at": 1}, session=session,
                )  # fmt: skip
                if other is not None:
                    if other["created_at"] >= document["created_at"]:
                        await reports.delete_one({"_id": document["_id"]}, session=session)
                        continue
                    await reports.delete_one({"_id": other["_id"]}, session=session)
                await reports.update_one(
                    {"_id": document["_id"]},
                    {"$set": {"recruiter_id": into_id, "agency_name": None}}, session=session,
                )  # fmt: skip
            await database[NAMES].update_one(
                {"_id": f"{NameKind.AGENCY.value}:{pending_id}"},
                {"$set": {"status": NameStatus.MERGED.value, "target": into_id},
                 "$setOnInsert": {"kind": NameKind.AGENCY.value, "key": pending_id,
                                  "origin": pending_id[:2], "text": None,
                                  "maybe_person": False, "seq": dt.datetime.now(dt.UTC)}},
                upsert=True, session=session,
            )  # fmt: skip
            for rid in (pending_id, into_id):
                await resummarize(database, rid, session)
            return len(moving)

        async with unavailable_on_failure("merging an agency"):
            return await self._atomically(_merge)
