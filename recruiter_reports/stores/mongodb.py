"""The production store: MongoDB (a replica set or Atlas) through PyMongo's async client.

Several bot workers share one database, so a person's next message can reach
any worker. Every write is idempotent (a replace or an upsert keyed by the
pseudonym or the delivery id), so PyMongo's retryable writes may safely send it
twice across an election. Outages and time-outs become ``StoreUnavailable``
(see ``mongodb_errors``); the client reconnects by itself when the database
returns, and a set-up that failed at ``open`` is retried on the next call.

Conversation state is stored as the same JSON text the other adapters keep, so
every adapter accepts and returns exactly the same states, whatever keys the
engine uses (MongoDB field names may not hold every string).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from pymongo import AsyncMongoClient, timeout
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from recruiter_reports.clock import Clock, as_utc, utc_now
from recruiter_reports.stores.mongodb_errors import unavailable_on_failure
from recruiter_reports.stores.mongodb_names import MongoDBNames
from recruiter_reports.stores.mongodb_ratings import MongoDBRatings, erase_linked
from recruiter_reports.stores.mongodb_schema import (
    DELIVERIES,
    PSEUDONYM_COLLECTIONS,
    SESSIONS,
    SUMMARIES,
    prepare,
)
from recruiter_reports.stores.mongodb_summaries import lacking_an_indicator
from recruiter_reports.stores.port import StoreUnavailable

if TYPE_CHECKING:
    from recruiter_reports.stores.stakeholder_port import StakeholderStore

__all__ = ["APP_NAME", "DEFAULT_DATABASE", "MongoDBStore", "client_options"]

APP_NAME = "safe-migration-bot"
"""Shown in MongoDB's logs and Atlas's metrics next to each connection."""

DEFAULT_DATABASE = "safe_migration_bot"
"""Used when the URL names no database (``mongodb://host/`` rather than ``mongodb://host/bot``)."""

_CLIENT_DEFAULTS: dict[str, Any] = {
    "appName": APP_NAME,
    "retryWrites": True,
    "retryReads": True,
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 5000,
}
"""Fail within seconds when the database is away, so the user hears "try again" quickly.

An option given in ``STORE_URL``'s query string wins over these.
"""

_PING_SECONDS = 2.0
"""``/readyz`` must answer before a load balancer gives up on it."""


Document = dict[str, Any]


class MongoDBStore(MongoDBRatings, MongoDBNames):
    """Implements ``Store`` on a MongoDB database shared by every worker."""

    def __init__(
        self,
        url: str,
        now: Clock = utc_now,
        *,
        database: str | None = None,
        transactions: bool | None = None,
        transaction_seconds: float = 8.0,
    ) -> None:
        """``database`` overrides the URL's; ``transactions`` skips detection (for tests).

        ``transaction_seconds`` bounds how long a multi-document write keeps
        retrying (an election on Atlas takes a few seconds).
        """
        self._url = url
        self._now = now
        self._database_override = database
        self._forced_transactions = transactions
        self._transaction_seconds = transaction_seconds
        self._client: AsyncMongoClient[Document] | None = None
        self._database: AsyncDatabase[Document] | None = None
        self._prepared = False
        self._transactions = False
        self._attempts = 0
        self._lock = asyncio.Lock()
        self._turn: contextvars.ContextVar[AsyncClientSession | None] = contextvars.ContextVar(
            f"mongodb-turn-{id(self)}", default=None
        )
        """The session of the turn being written (``unit_of_work``), read by every write."""

    @property
    def url(self) -> str:
        return self._url

    @property
    def database_name(self) -> str:
        """The database this store writes to (from the URL, else ``DEFAULT_DATABASE``)."""
        if self._database_override:
            return self._database_override
        path = urlsplit(self._url).path.lstrip("/")
        return path or DEFAULT_DATABASE

    @property
    def uses_transactions(self) -> bool:
        """Whether multi-document writes run in a transaction (replica sets, sharded clusters)."""
        return self._transactions

    async def open(self) -> None:
        """Create the client, the indexes, and detect transactions; idempotent.

        Raises ``StoreUnavailable`` if the database cannot be reached; the store
        stays usable and finishes its set-up on the first call that gets through.
        """
        async with self._lock:
            if self._client is None:
                self._client = AsyncMongoClient(self._url, **client_options(self._url))
                self._database = self._client[self.database_name]
        await self._ensure_prepared()

    async def close(self) -> None:
        async with self._lock:
            client, self._client, self._database = self._client, None, None
            self._prepared = False
        if client is not None:
            await client.close()

    async def ping(self) -> bool:
        """True when the database answers within a couple of seconds and the set-up is done."""
        try:
            with timeout(_PING_SECONDS):
                database = await self._ready()
                async with unavailable_on_failure("answering a ping"):
                    await database.command("ping")
        except StoreUnavailable:
            return False
        return True

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None:
        database = await self._ready()
        async with unavailable_on_failure("loading a conversation"):
            found = await database[SESSIONS].find_one(
                {"_id": pseudonym, "expires_at": {"$gt": self._now()}}, {"state": 1}
            )
        if found is None:
            return None
        state: dict[str, Any] = json.loads(found["state"])
        return state

    async def save_session(
        self,
        pseudonym: str,
        state: dict[str, Any],
        expires_at: dt.datetime,
        *,
        answer: tuple[str, str] | None = None,
    ) -> None:
        """With ``answer``, the replies first and the state last (see ``bot.turn_storage``).

        Without a transaction a crash between the two leaves replies for a state
        not saved: the retry sends the answer of a turn whose effects were kept
        (each idempotent), which is what the person should see.
        """
        document = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        database = await self._ready()
        async with unavailable_on_failure("saving a conversation"):
            if answer is not None:
                await database[DELIVERIES].update_one(
                    {"_id": answer[0], "completed": False},
                    {"$set": {"replies": answer[1], "pseudonym": pseudonym}},
                    session=self._session(),  # in the turn's transaction, where there is one
                )
            await database[SESSIONS].replace_one(
                {"_id": pseudonym},
                {"state": document, **self._expiry(expires_at)},
                upsert=True,
                session=self._session(),
            )

    async def claim_delivery(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> bool:
        claimed, _ = await self.claim_delivery_answer(
            key, lease_until=lease_until, expires_at=expires_at, owner=owner
        )
        return claimed

    async def claim_delivery_answer(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> tuple[bool, str | None]:
        """One upsert that matches only an expired key or an abandoned claim.

        A completed or still-leased key does not match, so the upsert tries to
        insert a second document with the same ``_id`` and the unique index
        refuses it: that duplicate-key error means "not claimed" (also when two
        workers race for a new key). Ids recorded before leases existed have no
        ``completed`` field and count as completed.
        """
        now = self._now()
        database = await self._ready()
        async with unavailable_on_failure("claiming a delivery"):
            try:
                before = await database[DELIVERIES].find_one_and_update(
                    {
                        "_id": key,
                        "$or": [
                            {"expires_at": {"$lte": now}},
                            {"completed": False, "lease_until": {"$lte": now}},
                        ],
                    },
                    {
                        "$set": {
                            **self._expiry(expires_at),
                            "lease_until": as_utc(lease_until),
                            "completed": False,
                            "owner": owner,
                        }
                    },
                    upsert=True,
                    projection={"expires_at": 1, "replies": 1},
                )
            except DuplicateKeyError:
                return False, None
            if before is None or "replies" not in before:
                return True, None
            if as_utc(before["expires_at"]) <= now:
                # An expired key taken anew: what an old claim saved is not this one's.
                await database[DELIVERIES].update_one(
                    {"_id": key}, {"$unset": {"replies": "", "pseudonym": ""}}
                )
                return True, None
        replies = before["replies"]
        return True, replies if isinstance(replies, str) else None

    async def complete_delivery(self, key: str) -> None:
        database = await self._ready()
        async with unavailable_on_failure("completing a delivery"):
            await database[DELIVERIES].update_one(
                {"_id": key},
                {"$set": {"completed": True}, "$unset": {"replies": "", "pseudonym": ""}},
            )

    async def delivery_replies(self, key: str) -> str | None:
        database = await self._ready()
        async with unavailable_on_failure("reading a delivery"):
            found = await database[DELIVERIES].find_one(
                {"_id": key, "completed": False, "expires_at": {"$gt": self._now()}},
                {"replies": 1},
            )
        replies = None if found is None else found.get("replies")
        return replies if isinstance(replies, str) else None

    async def release_delivery(self, key: str) -> None:
        await self._release({"_id": key})

    async def delivery_completed(self, key: str) -> bool:
        """Ids recorded before leases existed have no ``completed`` field: completed."""
        database = await self._ready()
        async with unavailable_on_failure("reading a delivery"):
            found = await database[DELIVERIES].find_one(
                {"_id": key, "completed": {"$ne": False}, "expires_at": {"$gt": self._now()}},
                {"_id": 1},
            )
        return found is not None

    async def release_deliveries_of(self, owner: str) -> int:
        return await self._release({"owner": owner})

    async def _release(self, which: dict[str, Any]) -> int:
        """Forget uncompleted claims, or (saved replies) end their lease so the retry sends them."""
        database = await self._ready()
        async with unavailable_on_failure("releasing deliveries"):
            gone = await database[DELIVERIES].delete_many(
                {**which, "completed": False, "replies": {"$exists": False}}
            )
            freed = await database[DELIVERIES].update_many(
                {**which, "completed": False, "replies": {"$exists": True}},
                {"$set": {"lease_until": dt.datetime.fromtimestamp(0, dt.UTC), "owner": ""}},
            )
        return int(gone.deleted_count) + int(freed.modified_count)

    async def forget(self, pseudonym: str) -> None:
        """Delete from every collection in ``PSEUDONYM_COLLECTIONS`` and recompute summaries.

        In one transaction where the deployment has them; otherwise one step
        after another, each idempotent, so a retried ``/forget`` completes it.
        """
        database = await self._ready()

        async def _forget(session: AsyncClientSession | None) -> None:
            # A claim that kept the person's replies: they go, and it counts as handled
            # (deleting it would let the platform's retry run that turn again).
            await database[DELIVERIES].update_many(
                {"pseudonym": pseudonym},
                {"$set": {"completed": True}, "$unset": {"replies": "", "pseudonym": ""}},
                session=session,
            )
            await erase_linked(database, pseudonym, session, PSEUDONYM_COLLECTIONS)

        async with unavailable_on_failure("forgetting a person"):
            await self._atomically(_forget)

    def stakeholders(self) -> StakeholderStore:
        from recruiter_reports.stores.stakeholders_mongodb import MongoDBStakeholderStore

        return MongoDBStakeholderStore(self)

    @contextlib.asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """A turn's writes in one transaction where the deployment has them.

        On a replica set or a sharded cluster, every write made inside (the
        effects and the state) carries this turn's session, read from a context
        variable, so all of them commit together or none does: an error inside
        aborts the transaction and a failed commit raises ``StoreUnavailable``
        (the person is asked to try again). The transaction is not retried
        here, since the writes are the caller's; the whole turn is, by the person.

        On a standalone server the writes go out in the order the caller makes
        them, each idempotent (the runner saves the state last), so a turn that
        fails half-way is retried whole without counting anything twice.
        A unit of work opened inside another joins it.
        """
        if self._turn.get() is not None:
            yield
            return
        database = await self._ready()
        if not self._transactions:
            yield
            return
        async with unavailable_on_failure("writing a turn"):
            with timeout(self._transaction_seconds):
                async with database.client.start_session() as session:
                    async with await session.start_transaction():
                        token = self._turn.set(session)
                        try:
                            yield
                        finally:
                            self._turn.reset(token)

    def _session(self) -> AsyncClientSession | None:
        """The open turn's session, for a single-document write (None outside a turn)."""
        return self._turn.get()

    async def _atomically[T](self, work: Callable[[AsyncClientSession | None], Awaitable[T]]) -> T:
        """``work(session)`` in a transaction when the deployment has them, else ``work(None)``;
        inside a turn's transaction, in that transaction."""
        turn = self._turn.get()
        if turn is not None:
            return await work(turn)
        if not self._transactions:
            return await work(None)
        return await self._in_transaction(work)

    async def _in_transaction[T](self, work: Callable[[AsyncClientSession], Awaitable[T]]) -> T:
        """Run ``work`` in a transaction, retried through an election or a conflict, briefly.

        PyMongo's ``with_transaction`` alone keeps retrying for two minutes;
        the user is waiting, so the time limit here is short.
        """
        database = await self._ready()
        with timeout(self._transaction_seconds):
            async with database.client.start_session() as session:
                return await session.with_transaction(work)

    def _expiry(self, expires_at: dt.datetime) -> Document:
        """``expires_at`` is checked on every read, by this store's clock.

        ``purge_at`` is the same moment on the wall clock, for the TTL monitor,
        which runs on the database server's clock: the two agree in production
        and differ only when tests move the store's clock.
        """
        moment = as_utc(expires_at)
        return {"expires_at": moment, "purge_at": utc_now() + (moment - self._now())}

    async def _ready(self) -> AsyncDatabase[Document]:
        database = self._database
        if database is None:
            raise StoreUnavailable("the MongoDB store is not open")
        if not self._prepared:
            await self._ensure_prepared()
        return database

    async def _ensure_prepared(self) -> None:
        """Run the set-up once; while the database is away, one caller tries and the rest fail fast.

        Without this, every message waiting on the lock would wait its own
        server-selection time-out in turn.
        """
        attempts_seen = self._attempts
        async with self._lock:
            database = self._database
            if database is None:
                raise StoreUnavailable("the MongoDB store is not open")
            if self._prepared:
                return
            if self._attempts != attempts_seen:
                raise StoreUnavailable("MongoDB is still unreachable")
            self._attempts += 1
            async with unavailable_on_failure("preparing collections and indexes"):
                await prepare(database)
                self._transactions = await self._detect_transactions(database)
            self._prepared = True
        # A question added since the summaries were written: rebuild them from the reports.
        async with unavailable_on_failure("checking the summaries against the questionnaire"):
            stale = await database[SUMMARIES].find_one(lacking_an_indicator(), {"_id": 1})
        if stale is not None:
            await self.recompute_summaries()

    async def _detect_transactions(self, database: AsyncDatabase[Document]) -> bool:
        """Transactions need a replica set (``setName``) or a sharded cluster (``isdbgrid``).

        A standalone server, or a wire-compatible one that says it is one,
        gets the ordered recompute instead (see ``mongodb_summaries``).
        """
        if self._forced_transactions is not None:
            return self._forced_transactions
        hello = await database.client.admin.command("hello")
        return "setName" in hello or hello.get("msg") == "isdbgrid"


def client_options(url: str) -> dict[str, Any]:
    """Our defaults for every option the URL does not set itself (option names ignore case)."""
    given = {name.lower() for name, _ in parse_qsl(urlsplit(url).query)}
    options = {name: value for name, value in _CLIENT_DEFAULTS.items() if name.lower() not in given}
    # Aware datetimes in and out, so expiry compares instants, not wall-clock readings.
    options["tz_aware"] = True
    return options
