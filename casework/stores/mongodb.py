"""Cases in the store's MongoDB database (``STORE_URL``), one document per case.

Several workers share the database. Every change reads the case, applies a
rule from ``casework.rules`` and replaces the document only if its
``version`` is still the one read (compare and swap), retrying on a race, so
two workers never lose each other's messages and no transaction is needed
(a standalone server works the same as a replica set). Times are integer
microseconds, sealed values BSON binary. Outages become ``CasesUnavailable``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Collection
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from casework import rules
from casework.models import Case, CaseState
from casework.port import CaseNotFound, CasesUnavailable
from casework.stores._codec import from_document, micros, to_document
from casework.stores._updating import Change, R, UpdatingStore
from casework.stores.mongodb_errors import unavailable_on_failure

__all__ = ["CASES", "MongoDBCaseStore"]

CASES = "cases"
Document = dict[str, Any]

_INDEXES: tuple[tuple[str, list[tuple[str, int]]], ...] = (
    ("cases_by_partner", [("partner_id", ASCENDING), ("urgent", DESCENDING),
                          ("created_at", ASCENDING), ("_id", ASCENDING)]),
    ("cases_by_pseudonym", [("pseudonym", ASCENDING), ("created_at", ASCENDING)]),
    ("cases_by_closing", [("state", ASCENDING), ("closed_at", ASCENDING)]),
)  # fmt: skip
"""Created by name on first use, from any number of workers at once (harmless when present)."""

_CLIENT_OPTIONS: dict[str, Any] = {
    "appName": "safe-migration-bot-cases",
    "retryWrites": True,
    "retryReads": True,
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 5000,
}

_RACE_RETRIES = 20


class MongoDBCaseStore(UpdatingStore):
    """Implements ``CaseStore`` on the database ``url`` names (or ``database``)."""

    def __init__(self, url: str, *, database: str) -> None:
        self._url = url
        self._database_name = database
        self._client: AsyncMongoClient[Document] | None = None
        self._prepared = False
        self._lock = asyncio.Lock()

    @property
    def url(self) -> str:
        return self._url

    @property
    def database_name(self) -> str:
        return self._database_name

    async def open(self) -> None:
        """Connect and create the indexes; an outage here is retried on the next call."""
        await self._cases()

    async def close(self) -> None:
        client, self._client = self._client, None
        self._prepared = False
        if client is not None:
            await client.close()

    async def open_case(self, case: Case) -> Case:
        cases = await self._cases()
        async with unavailable_on_failure("opening a case"):
            try:
                await cases.insert_one({**to_document(case), "version": 1})
            except DuplicateKeyError:
                pass
            stored = await cases.find_one({"_id": case.id})
        assert stored is not None
        return from_document(stored)

    async def get(self, case_id: str) -> Case | None:
        cases = await self._cases()
        async with unavailable_on_failure("reading a case"):
            found = await cases.find_one({"_id": case_id})
        return None if found is None else from_document(found)

    async def cases_of(self, pseudonym: str, *, open_only: bool = True) -> list[Case]:
        if not pseudonym:
            return []
        query: Document = {"pseudonym": pseudonym}
        if open_only:
            query["state"] = {"$ne": CaseState.CLOSED.value}
        return await self._find(query, [("created_at", ASCENDING), ("_id", ASCENDING)], 0)

    async def erase_person(self, pseudonym: str, at: dt.datetime) -> int:
        if not pseudonym:
            return 0
        mine = await self.cases_of(pseudonym, open_only=False)
        for case in mine:
            await self._update(case.id, lambda c: (rules.erase_person(c, at), None))
        return len(mine)

    async def list_for_partner(
        self,
        partner_id: str,
        *,
        states: Collection[CaseState] | None = None,
        limit: int = 100,
    ) -> list[Case]:
        query: Document = {"partner_id": partner_id}
        if states is not None:
            query["state"] = {"$in": sorted(CaseState(state).value for state in states)}
        order = [("urgent", DESCENDING), ("created_at", ASCENDING), ("_id", ASCENDING)]
        return await self._find(query, order, int(limit))

    async def erase_closed_before(self, cutoff: dt.datetime) -> int:
        cases = await self._cases()
        async with unavailable_on_failure("erasing closed cases"):
            result = await cases.delete_many(
                {"state": CaseState.CLOSED.value, "closed_at": {"$lte": micros(cutoff)}}
            )
        return int(result.deleted_count)

    async def _update(self, case_id: str, change: Change[R]) -> R:
        cases = await self._cases()
        for _attempt in range(_RACE_RETRIES):
            async with unavailable_on_failure("changing a case"):
                found = await cases.find_one({"_id": case_id})
            if found is None:
                raise CaseNotFound(case_id)
            case = from_document(found)
            updated, result = change(case)
            if updated == case:
                return result
            version = int(found.get("version", 0))
            async with unavailable_on_failure("changing a case"):
                replaced = await cases.replace_one(
                    {"_id": case_id, "version": version},
                    {**to_document(updated), "version": version + 1},
                )
            if replaced.matched_count == 1:
                return result
            # Another worker changed the case between our read and write: read it again.
        raise CasesUnavailable(f"case {case_id} kept changing under us; try again")

    async def _find(
        self, query: Document, order: list[tuple[str, int]], limit: int
    ) -> list[Case]:
        cases = await self._cases()
        async with unavailable_on_failure("listing cases"):
            documents = await cases.find(query).sort(order).limit(limit).to_list()
        return [from_document(document) for document in documents]

    async def _cases(self) -> AsyncCollection[Document]:
        async with self._lock:
            if self._client is None:
                self._client = AsyncMongoClient(self._url, **_client_options(self._url))
            collection = self._client[self._database_name][CASES]
            if not self._prepared:
                async with unavailable_on_failure("creating the case indexes"):
                    for name, keys in _INDEXES:
                        await collection.create_index(keys, name=name)
                self._prepared = True
            return collection


def _client_options(url: str) -> dict[str, Any]:
    """Our defaults for every option the URL does not set itself (names ignore case)."""
    given = {name.lower() for name, _ in parse_qsl(urlsplit(url).query)}
    return {name: value for name, value in _CLIENT_OPTIONS.items() if name.lower() not in given}
