"""The follow-up store in the store's MongoDB database.

Three collections: ``followup_people`` (one enrolment per pseudonym),
``followup_jobs`` (the queue) and ``followup_answers``. A lease is taken with
``find_one_and_update`` on a filter that still requires the job to be free,
so two workers racing for it get it once. Times are integer microseconds;
outages become ``FollowupsUnavailable``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError

from followups.models import CheckinAnswers, Enrolment, Job, JobKind, JobStatus, Round
from followups.port import FollowupsUnavailable
from followups.stores._codec import (
    answers_doc,
    enrolment_doc,
    from_answers,
    from_enrolment,
    from_job,
    from_round,
    job_doc,
    round_doc,
)
from storekit.mongodb_errors import is_unavailable
from storekit.times import micros, moment

__all__ = ["MongoDBFollowups"]

Document = dict[str, Any]
PEOPLE, JOBS, ANSWERS = "followup_people", "followup_jobs", "followup_answers"
PUBLISHED = "followup_published"
ROUNDS = "followup_rounds"
RESUME_AFTER = dt.timedelta(minutes=5)
"""An unqueued round older than this was interrupted; a younger one is being queued."""
_INDEXES: tuple[tuple[str, str, list[tuple[str, int]]], ...] = (
    (JOBS, "followup_jobs_by_due", [("due_at", ASCENDING), ("_id", ASCENDING)]),
    (JOBS, "followup_jobs_by_person", [("person", ASCENDING)]),
    (ANSWERS, "followup_answers_by_agency", [("recruiter_id", ASCENDING)]),
    (ANSWERS, "followup_answers_by_person", [("pseudonym", ASCENDING)]),
)
_CLIENT_OPTIONS: dict[str, Any] = {
    "appName": "safe-migration-bot-followups", "retryWrites": True, "retryReads": True,
    "serverSelectionTimeoutMS": 3000, "connectTimeoutMS": 3000, "socketTimeoutMS": 5000,
}


@asynccontextmanager
async def _unavailable_on_failure(doing: str) -> AsyncIterator[None]:
    try:
        yield
    except PyMongoError as error:
        if is_unavailable(error):
            raise FollowupsUnavailable(f"MongoDB did not answer while {doing}: {error}") from error
        raise


def _free(now: int) -> Document:
    return {"status": {"$in": [JobStatus.PENDING.value, JobStatus.STUCK.value]},
            "due_at": {"$lte": now},
            "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]}


def _to_mongo(job: Job) -> Document:
    document = job_doc(job)
    document["_id"] = document.pop("id")
    return document


def _from_mongo(document: Document) -> Job:
    document = dict(document)
    document["id"] = document.pop("_id")
    return from_job(document)


class MongoDBFollowups:
    """Implements ``FollowupStore`` on the database ``url`` names."""

    def __init__(self, url: str, *, database: str) -> None:
        self._url = url
        self._database_name = database
        self._client: AsyncMongoClient[Document] | None = None
        self._prepared = False
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        await self._database()

    async def close(self) -> None:
        client, self._client = self._client, None
        self._prepared = False
        if client is not None:
            await client.close()

    async def enrol(self, enrolment: Enrolment, jobs: Sequence[Job]) -> None:
        db = await self._database()
        document = enrolment_doc(enrolment, binary=True)
        async with _unavailable_on_failure("keeping a follow-up enrolment"):
            if enrolment.last_round is None:  # what an earlier round brought them stays known
                before = await db[PEOPLE].find_one({"_id": enrolment.pseudonym},
                                                   {"last_round": 1})
                document["last_round"] = (before or {}).get("last_round")
            await db[PEOPLE].replace_one({"_id": enrolment.pseudonym},
                                         {"_id": enrolment.pseudonym, **document}, upsert=True)
            await db[JOBS].delete_many({"person": enrolment.pseudonym,
                                        "kind": JobKind.CHECKIN.value,
                                        "_id": {"$nin": [job.id for job in jobs]}})
            for job in jobs:
                await db[JOBS].replace_one({"_id": job.id}, _to_mongo(job), upsert=True)

    async def enrolment(self, pseudonym: str) -> Enrolment | None:
        db = await self._database()
        async with _unavailable_on_failure("reading a follow-up enrolment"):
            found = await db[PEOPLE].find_one({"_id": pseudonym})
        return None if found is None else from_enrolment(found)

    async def jobs_of(self, pseudonym: str) -> list[Job]:
        db = await self._database()
        async with _unavailable_on_failure("reading follow-up jobs"):
            found = await db[JOBS].find({"person": pseudonym}).sort(
                [("due_at", ASCENDING), ("_id", ASCENDING)]).to_list()
        return [_from_mongo(document) for document in found]

    async def stop(self, pseudonym: str) -> int:
        db = await self._database()
        async with _unavailable_on_failure("stopping follow-ups"):
            await db[PEOPLE].delete_one({"_id": pseudonym})
            result = await db[JOBS].delete_many({"person": pseudonym})
        return int(result.deleted_count)

    async def forget(self, pseudonym: str) -> None:
        await self.stop(pseudonym)
        db = await self._database()
        async with _unavailable_on_failure("erasing check-in answers"):
            await db[ANSWERS].delete_many({"pseudonym": pseudonym})

    async def enrolments(self) -> list[Enrolment]:
        db = await self._database()
        async with _unavailable_on_failure("reading follow-up enrolments"):
            found = await db[PEOPLE].find({}).sort("_id", ASCENDING).to_list()
        return [from_enrolment(document) for document in found]

    async def mark_reported(self, pseudonym: str, round_id: str) -> None:
        db = await self._database()
        async with _unavailable_on_failure("recording a report-back"):
            await db[PEOPLE].update_one({"_id": pseudonym}, {"$set": {"last_round": round_id}})

    async def approve_round(self, approved: Round, jobs: Sequence[Job]) -> bool:
        """Without a transaction: the round is kept first as not yet queued, then the jobs
        (each inserted only if absent), then the round is marked queued. Interrupted, an
        approval ``RESUME_AFTER`` later finds it unqueued and queues again (one sooner is
        taken for a second approval racing the first: False); a job already sent and gone
        may be queued again then, and ``last_round`` keeps it from reaching the person
        twice."""
        db = await self._database()
        document = {"_id": approved.id, **round_doc(approved), "queued": False}
        async with _unavailable_on_failure("approving a report-back round"):
            try:
                await db[ROUNDS].insert_one(document)
            except DuplicateKeyError:
                kept = await db[ROUNDS].find_one({"_id": approved.id})
                if kept is None or kept.get("queued", True) or \
                        approved.approved_at - moment(kept["approved_at"]) < RESUME_AFTER:
                    return False
            for job in jobs:
                fields = _to_mongo(job)
                del fields["_id"]
                await db[JOBS].update_one({"_id": job.id}, {"$setOnInsert": fields},
                                          upsert=True)
            await db[ROUNDS].update_one({"_id": approved.id}, {"$set": {"queued": True}})
        return True

    async def round(self, round_id: str) -> Round | None:
        db = await self._database()
        async with _unavailable_on_failure("reading a report-back round"):
            found = await db[ROUNDS].find_one({"_id": round_id})
        return None if found is None else from_round(found)

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50
    ) -> list[Job]:
        db = await self._database()
        moment_now = micros(now)
        leased: list[Job] = []
        async with _unavailable_on_failure("claiming follow-up jobs"):
            candidates = await db[JOBS].find(_free(moment_now)).sort(
                [("due_at", ASCENDING), ("_id", ASCENDING)]).limit(max(1, limit)).to_list()
            for candidate in candidates:
                taken = await db[JOBS].find_one_and_update(
                    {"_id": candidate["_id"], **_free(moment_now)},
                    {"$set": {"lease_until": micros(lease_until), "owner": owner}},
                    return_document=ReturnDocument.AFTER,
                )
                if taken is not None:
                    leased.append(_from_mongo(taken))
        return leased

    async def done(self, job_id: str, owner: str) -> bool:
        db = await self._database()
        async with _unavailable_on_failure("finishing a follow-up job"):
            result = await db[JOBS].delete_one({"_id": job_id, "owner": owner})
        return result.deleted_count == 1

    async def retry(
        self, job_id: str, owner: str, *, due_at: dt.datetime, status: JobStatus, detail: str
    ) -> bool:
        db = await self._database()
        async with _unavailable_on_failure("rescheduling a follow-up job"):
            result = await db[JOBS].update_one(
                {"_id": job_id, "owner": owner},
                {"$set": {"due_at": micros(due_at), "status": JobStatus(status).value,
                          "detail": detail[:300], "lease_until": None, "owner": ""},
                 "$inc": {"attempts": 1}})
        return result.modified_count == 1

    async def wake(self, person: str, at: dt.datetime) -> int:
        db = await self._database()
        when = micros(at)
        async with _unavailable_on_failure("waking follow-up jobs"):
            result = await db[JOBS].update_many(
                {"person": person, "status": JobStatus.WAITING.value},
                {"$set": {"status": JobStatus.PENDING.value, "due_at": when, "seen_at": when}})
        return int(result.modified_count)

    async def save_answers(self, answers: CheckinAnswers) -> None:
        db = await self._database()
        key = f"{answers.pseudonym}:{answers.recruiter_id}:{answers.round}"
        async with _unavailable_on_failure("keeping check-in answers"):
            await db[ANSWERS].replace_one({"_id": key}, {"_id": key, **answers_doc(answers)},
                                          upsert=True)

    async def answers_for(self, recruiter_id: str) -> list[CheckinAnswers]:
        db = await self._database()
        async with _unavailable_on_failure("reading check-in answers"):
            found = await db[ANSWERS].find({"recruiter_id": recruiter_id}).to_list()
        return [from_answers(document) for document in found]

    async def answers_of(self, pseudonym: str) -> list[CheckinAnswers]:
        db = await self._database()
        async with _unavailable_on_failure("reading check-in answers"):
            found = await db[ANSWERS].find({"pseudonym": pseudonym}).sort("at", 1).to_list()
        return [from_answers(document) for document in found]

    async def published(self, key: str) -> tuple[int, int] | None:
        db = await self._database()
        async with _unavailable_on_failure("reading a published figure"):
            found = await db[PUBLISHED].find_one({"_id": key})
        return None if found is None else (int(found["reporters"]), int(found["different"]))

    async def publish(self, key: str, reporters: int, different: int) -> None:
        db = await self._database()
        async with _unavailable_on_failure("publishing a figure"):
            try:
                await db[PUBLISHED].update_one(
                    {"_id": key, "reporters": {"$lt": int(reporters)}},
                    {"$set": {"reporters": int(reporters), "different": int(different)}},
                    upsert=True)
            except DuplicateKeyError:
                pass  # one with as many reporters is kept already

    async def _database(self) -> AsyncDatabase[Document]:
        async with self._lock:
            if self._client is None:
                given = {name.lower() for name, _ in parse_qsl(urlsplit(self._url).query)}
                options = {k: v for k, v in _CLIENT_OPTIONS.items() if k.lower() not in given}
                self._client = AsyncMongoClient(self._url, **options)
            db = self._client[self._database_name]
            if not self._prepared:
                async with _unavailable_on_failure("creating the follow-up indexes"):
                    for collection, name, keys in _INDEXES:
                        await db[collection].create_index(keys, name=name)
                self._prepared = True
            return db
