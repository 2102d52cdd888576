"""Consent and ratings for ``MongoDBStore``: one document per report, summaries beside them.

A report is one document keyed by (pseudonym, recruiter) with a unique index,
written by one upsert, so a retried or repeated save replaces rather than
duplicates. Each save gives the report a fresh ``report_id`` (an ObjectId, so
ids sort oldest first): a moderator holding an old id cannot accept content
they have not seen. Summaries follow in ``mongodb_summaries``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from recruiter_reports import questionnaire
from recruiter_reports.clock import as_utc
from recruiter_reports.names import report_broker_key
from recruiter_reports.reports import Report
from recruiter_reports.stores.mongodb_errors import unavailable_on_failure
from recruiter_reports.stores.mongodb_names import add_names, prune_names
from recruiter_reports.stores.mongodb_schema import CONSENTS, PUBLICATIONS, REPORTS, SUMMARIES
from recruiter_reports.stores.mongodb_summaries import (
    cell,
    overview_filter,
    quarter_cells,
    resummarize,
    stored_summary,
)
from recruiter_reports.stores.records import (
    Breakdown,
    CommentStatus,
    Consent,
    SavedReport,
    StoredReport,
)
from recruiter_reports.summaries import Summary

__all__ = ["MongoDBRatings", "erase_linked"]

Document = dict[str, Any]
Session = AsyncClientSession | None

_REPORT_FIELDS = tuple(name for name in Report.model_fields if name != "comment")
"""The report's fields besides its yes/no answers (those follow the questionnaire)."""


def _report_fields() -> tuple[str, ...]:
    return (*_REPORT_FIELDS, *questionnaire.current().indicators)

_CONSENTED: tuple[tuple[str, str], ...] = ((REPORTS, "pseudonym"), (CONSENTS, "_id"))
"""What withdrawing consent erases: the reports given under it, and the consent."""


class MongoDBRatings:
    """The ratings half of ``MongoDBStore`` (mixed in; see ``port.Store`` for the contract)."""

    if TYPE_CHECKING:

        async def _ready(self) -> AsyncDatabase[Document]: ...

        async def _atomically[T](self, work: Callable[[Session], Awaitable[T]]) -> T: ...

        def _session(self) -> Session: ...

    async def save_consent(self, pseudonym: str, version: str, at: dt.datetime) -> None:
        database = await self._ready()
        when = as_utc(at)
        async with unavailable_on_failure("recording consent"):
            await database[CONSENTS].update_one(
                {"_id": pseudonym},
                {"$set": {"version": version, "given_at": when},
                 "$setOnInsert": {"first_given_at": when}},
                upsert=True,
                session=self._session(),
            )  # fmt: skip

    async def consent(self, pseudonym: str) -> Consent | None:
        database = await self._ready()
        async with unavailable_on_failure("reading consent"):
            found = await database[CONSENTS].find_one({"_id": pseudonym})
        if found is None:
            return None
        return Consent(found["version"], as_utc(found["given_at"]), as_utc(found["first_given_at"]))

    async def withdraw_consent(self, pseudonym: str) -> None:
        database = await self._ready()

        async def _withdraw(session: Session) -> None:
            await erase_linked(database, pseudonym, session, _CONSENTED)

        async with unavailable_on_failure("withdrawing consent"):
            await self._atomically(_withdraw)

    async def save_report(
        self, pseudonym: str, report: Report, *, held: bool = False, reporter_since: dt.datetime
    ) -> SavedReport:
        database = await self._ready()
        report_id = str(ObjectId())
        fields: Document = report.model_dump(include=set(_report_fields()))
        fields.update(
            report_id=report_id,
            comment=report.comment,
            comment_status=CommentStatus.PENDING.value if report.comment else None,
            held=held,
            reporter_since=as_utc(reporter_since),
            broker_key=report_broker_key(report),
        )

        async def _save(session: Session) -> bool:
            result = await database[REPORTS].update_one(
                {"pseudonym": pseudonym, "recruiter_id": report.recruiter_id},
                {"$set": fields, "$setOnInsert": {"first_at": report.created_at}},
                upsert=True,
                session=session,
            )
            await resummarize(database, report.recruiter_id, session)
            await add_names(database, report, session)
            return result.upserted_id is None

        async with unavailable_on_failure("saving a report"):
            replaced = await self._atomically(_save)
        return SavedReport(report_id, replaced=replaced, held=held)

    async def reports_of(self, pseudonym: str) -> list[StoredReport]:
        return await self._reports({"pseudonym": pseudonym}, [("created_at", 1), ("report_id", 1)])

    async def summary(self, recruiter_id: str) -> Summary:
        return stored_summary(recruiter_id, await self._summary_document(recruiter_id))

    async def summaries(
        self, *, origin: str | None = None, destination: str | None = None
    ) -> dict[str, Summary]:
        database = await self._ready()
        async with unavailable_on_failure("reading summaries"):
            documents = (
                await database[SUMMARIES].find(overview_filter(origin, destination)).to_list()
            )
        if destination:
            return {d["_id"]: cell(d["_id"], d, "destination")[destination] for d in documents}
        return {d["_id"]: stored_summary(d["_id"], d) for d in documents}

    async def breakdown(self, recruiter_id: str, by: Breakdown) -> dict[str, Summary]:
        if by == "destination_quarter":
            database = await self._ready()
            async with unavailable_on_failure("reading a breakdown"):
                return await quarter_cells(database, recruiter_id)
        return cell(recruiter_id, await self._summary_document(recruiter_id), by)

    async def published(self, groups: Sequence[str]) -> dict[str, Summary]:
        database = await self._ready()
        async with unavailable_on_failure("reading publications"):
            documents = await database[PUBLICATIONS].find(
                {"_id": {"$in": list(dict.fromkeys(groups))}}
            ).to_list()
        return {d["_id"]: Summary.model_validate(d["summary"]) for d in documents}

    async def published_under(self, prefix: str) -> dict[str, Summary]:
        """An anchored prefix match on ``_id``, which the server answers from its index."""
        database = await self._ready()
        async with unavailable_on_failure("reading publications"):
            documents = await database[PUBLICATIONS].find(
                {"_id": {"$regex": f"^{re.escape(prefix)}"}}
            ).sort("_id", 1).to_list()
        return {d["_id"]: Summary.model_validate(d["summary"]) for d in documents}

    async def publish(self, summaries: Mapping[str, Summary], at: dt.datetime) -> None:
        database = await self._ready()
        when = as_utc(at)

        async def _write(session: Session) -> None:
            for group, summary in summaries.items():
                await database[PUBLICATIONS].replace_one(
                    {"_id": group},
                    {"summary": summary.model_dump(mode="json"), "published_at": when},
                    upsert=True, session=session,
                )  # fmt: skip

        async with unavailable_on_failure("keeping publications"):
            await self._atomically(_write)

    async def recompute_summaries(self) -> None:
        database = await self._ready()
        async with unavailable_on_failure("recomputing summaries"):
            recruiters = set(await database[REPORTS].distinct("recruiter_id"))
            recruiters |= set(await database[SUMMARIES].distinct("_id"))
            for recruiter_id in sorted(recruiters):
                await self._atomically(partial(resummarize, database, recruiter_id))

    async def new_reports_since(self, pseudonym: str, since: dt.datetime) -> int:
        return await self._count({"pseudonym": pseudonym, "first_at": {"$gte": as_utc(since)}})

    async def recent_reports_from_new_reporters(
        self, recruiter_id: str, since: dt.datetime, reporters_since: dt.datetime
    ) -> int:
        return await self._count(
            {
                "recruiter_id": recruiter_id,
                "created_at": {"$gte": as_utc(since)},
                "reporter_since": {"$gte": as_utc(reporters_since)},
            }
        )

    async def held_reports(self, limit: int = 100) -> list[StoredReport]:
        return await self._reports({"held": True}, [("report_id", 1)], limit)

    async def accept_held(self, report_id: str) -> bool:
        database = await self._ready()

        async def _accept(session: Session) -> bool:
            found = await database[REPORTS].find_one_and_update(
                {"report_id": report_id, "held": True},
                {"$set": {"held": False}},
                projection={"recruiter_id": 1},
                return_document=ReturnDocument.AFTER,
                session=session,
            )
            if found is None:
                return False
            await resummarize(database, found["recruiter_id"], session)
            return True

        async with unavailable_on_failure("accepting a held report"):
            return await self._atomically(_accept)

    async def discard_held(self, report_id: str) -> bool:
        """Held reports count nowhere, so deleting one leaves every summary as it is."""
        database = await self._ready()
        async with unavailable_on_failure("discarding a held report"):
            result = await database[REPORTS].delete_one({"report_id": report_id, "held": True})
        return result.deleted_count == 1

    async def pending_comments(self, limit: int = 100) -> list[StoredReport]:
        pending = {"comment_status": CommentStatus.PENDING.value}
        return await self._reports(pending, [("report_id", 1)], limit)

    async def moderate_comments(self, report_ids: Sequence[str], approve: bool) -> int:
        """Comments never count in summaries, so one multi-document update is enough."""
        if approve:
            change: Document = {"comment_status": CommentStatus.APPROVED.value}
        else:
            change = {"comment_status": CommentStatus.REJECTED.value, "comment": None}
        database = await self._ready()
        async with unavailable_on_failure("moderating comments"):
            result = await database[REPORTS].update_many(
                {"report_id": {"$in": list(report_ids)},
                 "comment_status": CommentStatus.PENDING.value},
                {"$set": change},
            )  # fmt: skip
        return result.modified_count

    async def _summary_document(self, recruiter_id: str) -> Document | None:
        database = await self._ready()
        async with unavailable_on_failure("reading a summary"):
            return await database[SUMMARIES].find_one({"_id": recruiter_id})

    async def _count(self, query: Document) -> int:
        database = await self._ready()
        async with unavailable_on_failure("counting reports"):
            return await database[REPORTS].count_documents(query)

    async def _reports(
        self, query: Document, order: list[tuple[str, int]], limit: int = 0
    ) -> list[StoredReport]:
        database = await self._ready()
        async with unavailable_on_failure("reading reports"):
            documents = await database[REPORTS].find(query).sort(order).limit(limit).to_list()
        return [_stored(document) for document in documents]


async def erase_linked(
    database: AsyncDatabase[Document],
    pseudonym: str,
    session: Session,
    linked: Sequence[tuple[str, str]],
) -> None:
    """Delete the person's documents from each ``(collection, field)``, then recompute the
    summaries their reports counted in (idempotent: a retry finishes the job)."""
    recruiters = await database[REPORTS].distinct(
        "recruiter_id", {"pseudonym": pseudonym}, session=session
    )
    for collection, field in linked:
        await database[collection].delete_many({field: pseudonym}, session=session)
    for recruiter_id in sorted(recruiters):
        await resummarize(database, recruiter_id, session)
    await prune_names(database, session)


def _stored(document: Document) -> StoredReport:
    fields = {name: document.get(name) for name in _report_fields()}
    report = Report.model_validate({**fields, "comment": document.get("comment")})
    status = document.get("comment_status")
    return StoredReport(
        document["report_id"],
        report,
        bool(document["held"]),
        CommentStatus(status) if status else None,
    )
