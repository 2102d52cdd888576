"""The MongoDB collections, their indexes, and the collections ``forget`` empties.

MongoDB has no tables to migrate, but indexes are the schema that matters:
uniqueness and expiry live there. ``prepare`` creates every index by name, so
running it on each start, from any number of workers at once, is harmless
(creating an index that exists with the same options does nothing).

How to change the schema:

1. Add or change an ``IndexSpec`` in ``INDEXES``. Changing the options of an
   index that has shipped needs a new name (and dropping the old one in
   ``_RETIRED_INDEXES``), since MongoDB refuses two indexes on one key pattern.
2. If a collection holds anything linked to a person, add
   ``(collection, pseudonym_field)`` to ``PSEUDONYM_COLLECTIONS``.
3. Bump ``SCHEMA_VERSION`` when older releases must not write to the new
   layout; they then refuse to start instead of corrupting it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from recruiter_reports.stores.sqlite_schema import SchemaTooNew

__all__ = [
    "CONSENTS",
    "DELIVERIES",
    "INDEXES",
    "LOGIN_FAILURES",
    "META",
    "NAMES",
    "PORTAL_SESSIONS",
    "PSEUDONYM_COLLECTIONS",
    "PUBLICATIONS",
    "REPORTS",
    "SCHEMA_VERSION",
    "SESSIONS",
    "STAKEHOLDER_ACCOUNTS",
    "STAKEHOLDER_AUDIT",
    "SUMMARIES",
    "SUMMARY_VERSIONS",
    "IndexSpec",
    "prepare",
]

SESSIONS = "sessions"
DELIVERIES = "deliveries"
CONSENTS = "consents"
REPORTS = "reports"
SUMMARIES = "summaries"
SUMMARY_VERSIONS = "summary_versions"
PUBLICATIONS = "publications"
META = "meta"
NAMES = "names"
"""Typed names (unlisted agencies, brokers) and their moderation; no pseudonym."""
STAKEHOLDER_ACCOUNTS = "stakeholder_accounts"
STAKEHOLDER_AUDIT = "stakeholder_audit"
"""Append-only: the bot's database user should hold only find, insert and createIndex on it."""
PORTAL_SESSIONS = "portal_sessions"
LOGIN_FAILURES = "login_failures"
AGENCY_REPLIES = "agency_replies"
"""One record per agency that wrote a reply (``recruiter_reports.replies``); no pseudonym."""

SCHEMA_VERSION = 1
"""The layout this release writes; a database marked with a higher one is refused."""

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """One named index; ``options`` are passed to ``create_index`` as they are."""

    collection: str
    name: str
    keys: tuple[tuple[str, int], ...]
    options: dict[str, Any] = field(default_factory=dict)


INDEXES: tuple[IndexSpec, ...] = (
    # Expired conversations (and any draft answers they hold) and delivery ids
    # are deleted by MongoDB's TTL monitor at ``purge_at``; reads also check
    # ``expires_at`` so nothing shows between expiry and the monitor's next pass.
    IndexSpec(SESSIONS, "sessions_purge_ttl", (("purge_at", 1),), {"expireAfterSeconds": 0}),
    IndexSpec(DELIVERIES, "deliveries_purge_ttl", (("purge_at", 1),), {"expireAfterSeconds": 0}),
    # /forget finds the claims that kept the person's replies.
    IndexSpec(DELIVERIES, "deliveries_pseudonym", (("pseudonym", 1),), {"sparse": True}),
    # One report per person and recruiter: a second one replaces the first.
    IndexSpec(
        REPORTS,
        "reports_one_per_person_and_recruiter",
        (("pseudonym", 1), ("recruiter_id", 1)),
        {"unique": True},
    ),
    IndexSpec(REPORTS, "reports_report_id", (("report_id", 1),), {"unique": True}),
    # Summaries and the burst rule read one recruiter's reports; the daily limit one person's.
    IndexSpec(REPORTS, "reports_recruiter", (("recruiter_id", 1), ("held", 1), ("created_at", 1))),
    IndexSpec(REPORTS, "reports_first_at", (("pseudonym", 1), ("first_at", 1))),
    # The moderators' queues, oldest first.
    IndexSpec(REPORTS, "reports_held", (("held", 1), ("report_id", 1))),
    IndexSpec(REPORTS, "reports_comments", (("comment_status", 1), ("report_id", 1))),
    # Broker chains count one agency's reports by broker; /forget prunes pending names.
    IndexSpec(REPORTS, "reports_broker", (("broker_key", 1),), {"sparse": True}),
    IndexSpec(NAMES, "names_queue", (("kind", 1), ("status", 1), ("seq", 1))),
    # The portal's sector overview.
    IndexSpec(SUMMARIES, "summaries_overview", (("origin", 1), ("reporters", 1))),
    IndexSpec(SUMMARIES, "summaries_destination", (("destination.key", 1),)),
    # Stakeholders (``stakeholders_mongodb``): a login finds its one account by key id;
    # the audit log's ``_id`` is its sequence number, so it needs no index of its own.
    IndexSpec(
        STAKEHOLDER_ACCOUNTS, "stakeholder_accounts_key_id", (("key_id", 1),), {"unique": True}
    ),
    IndexSpec(
        STAKEHOLDER_ACCOUNTS, "stakeholder_accounts_created", (("created_at", 1), ("_id", 1))
    ),
    # Portal sessions die at their absolute expiry (TTL), at once on revocation (by
    # account) and in the idle housekeeping (by last request).
    IndexSpec(
        PORTAL_SESSIONS, "portal_sessions_purge_ttl", (("purge_at", 1),), {"expireAfterSeconds": 0}
    ),
    IndexSpec(PORTAL_SESSIONS, "portal_sessions_account", (("account_id", 1),)),
    IndexSpec(PORTAL_SESSIONS, "portal_sessions_last_seen", (("last_seen", 1),)),
    # Failed logins are counted per source within the throttling window, then expire.
    IndexSpec(LOGIN_FAILURES, "login_failures_source", (("source", 1), ("at", 1))),
    IndexSpec(
        LOGIN_FAILURES, "login_failures_purge_ttl", (("purge_at", 1),), {"expireAfterSeconds": 0}
    ),
)

_RETIRED_INDEXES: tuple[tuple[str, str], ...] = ()
"""``(collection, index name)`` pairs an earlier release created and this one drops."""

PSEUDONYM_COLLECTIONS: tuple[tuple[str, str], ...] = (
    (SESSIONS, "_id"),
    (CONSENTS, "_id"),
    (REPORTS, "pseudonym"),
)
"""``(collection, field)`` pairs holding data linked to a pseudonym; ``forget`` empties them."""


async def prepare(database: AsyncDatabase[Document]) -> None:
    """Refuse a newer layout, then create every index and record the version; idempotent."""
    meta = database[META]
    found = await meta.find_one({"_id": "schema"})
    version = int(found["version"]) if found else 0
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database schema version {version} is newer than this release knows "
            f"({SCHEMA_VERSION}); upgrade the bot before using this database"
        )
    for spec in INDEXES:
        await database[spec.collection].create_index(
            list(spec.keys), name=spec.name, **spec.options
        )
    for collection, name in _RETIRED_INDEXES:
        await _drop_index_if_present(database, collection, name)
    await meta.update_one({"_id": "schema"}, {"$max": {"version": SCHEMA_VERSION}}, upsert=True)


async def _drop_index_if_present(
    database: AsyncDatabase[Document], collection: str, name: str
) -> None:
    try:
        await database[collection].drop_index(name)
    except OperationFailure as error:
        if error.code not in (26, 27):  # NamespaceNotFound, IndexNotFound
            raise
