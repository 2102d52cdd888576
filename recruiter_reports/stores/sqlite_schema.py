"""The SQLite schema, as an ordered list of migrations, and the tables ``forget`` empties.

How to change the schema (the ratings tables are the next step):

1. Append a new ``Migration`` to ``MIGRATIONS``. Never edit or reorder a step
   that has shipped: databases in the field already ran it. Step ``n`` (0-based)
   takes ``PRAGMA user_version`` from ``n`` to ``n + 1``; a fresh database runs
   every step in order, an old one only the steps it has not run yet.
2. Each step runs in its own transaction together with the version bump, so a
   failing step leaves the database exactly at the previous version. Do not
   use ``executescript`` inside a step (it commits on its own).
3. If the new tables hold anything linked to a person, add
   ``(table, pseudonym_column)`` to ``PSEUDONYM_TABLES`` in the same change:
   ``/forget`` deletes from every table listed there, in one transaction.
4. Add a case to ``tests/integration/stores/test_sqlite_migrations.py`` that
   builds the previous version by hand and checks its rows survive.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from recruiter_reports.stores.port import StoreUnavailable

__all__ = ["MIGRATIONS", "PSEUDONYM_TABLES", "Migration", "SchemaTooNew", "migrate"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: plain SQL statements, plus optional Python for data moves."""

    description: str
    statements: tuple[str, ...] = ()
    transform: Callable[[sqlite3.Connection], None] | None = None

    def apply(self, connection: sqlite3.Connection) -> None:
        for statement in self.statements:
            connection.execute(statement)
        if self.transform is not None:
            self.transform(connection)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "conversation state and inbound delivery ids",
        (
            """CREATE TABLE sessions (
                pseudonym TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                expires_at REAL NOT NULL
            ) WITHOUT ROWID""",
            """CREATE TABLE deliveries (
                key TEXT PRIMARY KEY,
                expires_at REAL NOT NULL
            ) WITHOUT ROWID""",
        ),
    ),
    Migration(
        "indexes so purging expired rows does not scan whole tables",
        (
            "CREATE INDEX sessions_expires_at ON sessions (expires_at)",
            "CREATE INDEX deliveries_expires_at ON deliveries (expires_at)",
        ),
    ),
    Migration(
        "stakeholder accounts, append-only audit log, portal sessions",
        (
            """CREATE TABLE stakeholder_accounts (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                countries TEXT NOT NULL,
                key_id TEXT NOT NULL UNIQUE,
                key_hash TEXT NOT NULL,
                created_at REAL NOT NULL,
                revoked_at REAL
            ) WITHOUT ROWID""",
            """CREATE TABLE stakeholder_audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                account_id TEXT,
                action TEXT NOT NULL,
                target TEXT NOT NULL
            )""",
            """CREATE TRIGGER stakeholder_audit_no_update BEFORE UPDATE ON stakeholder_audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
            """CREATE TRIGGER stakeholder_audit_no_delete BEFORE DELETE ON stakeholder_audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
            """CREATE TABLE portal_sessions (
                id_hash TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_at REAL NOT NULL,
                last_seen REAL NOT NULL
            ) WITHOUT ROWID""",
            "CREATE INDEX portal_sessions_account ON portal_sessions (account_id)",
        ),
    ),
    Migration(
        "ratings: consents, reports, and per-recruiter summaries kept in step with them",
        (
            """CREATE TABLE consents (
                pseudonym TEXT PRIMARY KEY,
                version TEXT NOT NULL,
                given_at REAL NOT NULL,
                first_given_at REAL NOT NULL
            ) WITHOUT ROWID""",
            # One row per (pseudonym, recruiter): a new rating replaces the old one.
            # first_at survives a replacement, so the daily limit counts new ratings only;
            # reporter_since is when the reporter first consented (the burst rule).
            """CREATE TABLE reports (
                id INTEGER PRIMARY KEY,
                pseudonym TEXT NOT NULL,
                recruiter_id TEXT NOT NULL,
                origin TEXT NOT NULL,
                answers TEXT NOT NULL,
                comment TEXT,
                comment_status TEXT,
                held INTEGER NOT NULL,
                created_at REAL NOT NULL,
                first_at REAL NOT NULL,
                reporter_since REAL NOT NULL,
                UNIQUE (pseudonym, recruiter_id)
            )""",
            "CREATE INDEX reports_recruiter ON reports (recruiter_id, created_at)",
            "CREATE INDEX reports_first_at ON reports (pseudonym, first_at)",
            "CREATE INDEX reports_held ON reports (held) WHERE held = 1",
            "CREATE INDEX reports_comments ON reports (comment_status) "
            "WHERE comment_status = 'pending'",
            # Counted reports only, per recruiter ('all', '') and per breakdown cell
            # ('destination', code or '' when not said; 'year', '2026').
            """CREATE TABLE summaries (
                recruiter_id TEXT NOT NULL,
                dim TEXT NOT NULL,
                value TEXT NOT NULL,
                origin TEXT NOT NULL,
                reporters INTEGER NOT NULL,
                yes_no TEXT NOT NULL,
                recommend_sum INTEGER NOT NULL,
                recommend_count INTEGER NOT NULL,
                fee_bands TEXT NOT NULL,
                PRIMARY KEY (recruiter_id, dim, value)
            ) WITHOUT ROWID""",
            "CREATE INDEX summaries_overview ON summaries (dim, value, origin)",
        ),
    ),
    Migration(
        "delivery leases: a claim not completed in time is handled again on the retry",
        (
            "ALTER TABLE deliveries ADD COLUMN lease_until REAL NOT NULL DEFAULT 0",
            "ALTER TABLE deliveries ADD COLUMN completed INTEGER NOT NULL DEFAULT 0",
            # Ids recorded before leases existed were handled (or are being handled):
            # they stay repeats until they expire.
            "UPDATE deliveries SET completed = 1",
        ),
    ),
    Migration(
        "failed portal and API logins, shared by every worker that throttles them",
        (
            """CREATE TABLE login_failures (
                source TEXT NOT NULL,
                at REAL NOT NULL,
                keep_until REAL NOT NULL
            )""",
            "CREATE INDEX login_failures_source ON login_failures (source, at)",
            "CREATE INDEX login_failures_keep_until ON login_failures (keep_until)",
        ),
    ),
    Migration(
        "who holds a delivery claim, so a restarted worker releases what it held when it died",
        (
            "ALTER TABLE deliveries ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX deliveries_open_claims ON deliveries (owner) WHERE completed = 0",
        ),
    ),
    Migration(
        "one row the readiness probe rewrites, so /readyz proves the file takes writes",
        (
            """CREATE TABLE store_probe (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                written_at REAL NOT NULL
            )""",
        ),
    ),
    Migration(
        "typed names (unlisted agencies, brokers) and their moderation; each report's broker",
        (
            # No pseudonym here: a record is the name, its status and where a merged
            # agency went. Rows are kept in the order first seen (rowid).
            """CREATE TABLE names (
                kind TEXT NOT NULL,
                key TEXT NOT NULL,
                origin TEXT NOT NULL,
                text TEXT,
                status TEXT NOT NULL,
                maybe_person INTEGER NOT NULL DEFAULT 0,
                target TEXT,
                PRIMARY KEY (kind, key)
            )""",
            "CREATE INDEX names_status ON names (kind, status, origin)",
            "ALTER TABLE reports ADD COLUMN broker_key TEXT",
            "CREATE INDEX reports_broker ON reports (broker_key) WHERE broker_key IS NOT NULL",
        ),
    ),
    Migration(
        "the replies of a saved turn on its delivery's claim, sent again if the process died",
        ("ALTER TABLE deliveries ADD COLUMN replies TEXT",),
    ),
    Migration(
        "the partner organisation a caseworker account works for",
        ("ALTER TABLE stakeholder_accounts ADD COLUMN partner TEXT",),
    ),
    Migration(
        "the last published counts of each group (recruiter_reports.publication)",
        (
            """CREATE TABLE publications (
                group_key TEXT PRIMARY KEY,
                summary TEXT NOT NULL,
                published_at REAL NOT NULL
            ) WITHOUT ROWID""",
        ),
    ),
    Migration(
        "whose replies a delivery claim keeps, so /forget erases them with the rest",
        (
            "ALTER TABLE deliveries ADD COLUMN pseudonym TEXT",
            "CREATE INDEX deliveries_pseudonym ON deliveries (pseudonym) "
            "WHERE pseudonym IS NOT NULL",
        ),
    ),
    Migration(
        "a log of summaries writes, so a kept sector overview reads only what changed",
        (
            # Appended by the triggers below, whoever writes (a report, a merge, a
            # repair); ``seq`` only grows. Old entries are pruned (``sqlite``).
            """CREATE TABLE summary_changes (
                seq INTEGER PRIMARY KEY,
                recruiter_id TEXT NOT NULL,
                dim TEXT NOT NULL,
                value TEXT NOT NULL
            )""",
            """CREATE TRIGGER summaries_inserted AFTER INSERT ON summaries BEGIN
                INSERT INTO summary_changes (recruiter_id, dim, value)
                VALUES (new.recruiter_id, new.dim, new.value);
            END""",
            """CREATE TRIGGER summaries_updated AFTER UPDATE ON summaries BEGIN
                INSERT INTO summary_changes (recruiter_id, dim, value)
                VALUES (new.recruiter_id, new.dim, new.value);
            END""",
            """CREATE TRIGGER summaries_deleted AFTER DELETE ON summaries BEGIN
                INSERT INTO summary_changes (recruiter_id, dim, value)
                VALUES (old.recruiter_id, old.dim, old.value);
            END""",
        ),
    ),
    Migration(
        "agency accounts and their replies (recruiter_reports.replies)",
        (
            "ALTER TABLE stakeholder_accounts ADD COLUMN agency TEXT",
            """CREATE TABLE agency_replies (
                recruiter_id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                draft TEXT NOT NULL,
                drafted_at REAL NOT NULL,
                status TEXT NOT NULL,
                public TEXT,
                public_at REAL
            ) WITHOUT ROWID""",
        ),
    ),
    Migration(
        "reports_first_at dropped: each report paid for it; the unique index answers its query",
        (
            # The one query that used it (a person's new reports since a time: ratings'
            # daily limit) finds the person's few rows by the (pseudonym, recruiter_id)
            # unique index as fast, and EXPLAIN QUERY PLAN showed no other user.
            "DROP INDEX IF EXISTS reports_first_at",
        ),
    ),
    Migration(
        "a log of publications writes, so kept ranges of them read only what changed",
        (
            # Appended by the triggers below, whoever writes; ``seq`` only grows. Read by
            # ``sqlite_publications``; old entries are pruned (``sqlite``).
            """CREATE TABLE publication_changes (
                seq INTEGER PRIMARY KEY,
                group_key TEXT NOT NULL
            )""",
            """CREATE TRIGGER publications_inserted AFTER INSERT ON publications BEGIN
                INSERT INTO publication_changes (group_key) VALUES (new.group_key);
            END""",
            """CREATE TRIGGER publications_updated AFTER UPDATE ON publications BEGIN
                INSERT INTO publication_changes (group_key) VALUES (old.group_key);
                INSERT INTO publication_changes (group_key) VALUES (new.group_key);
            END""",
            """CREATE TRIGGER publications_deleted AFTER DELETE ON publications BEGIN
                INSERT INTO publication_changes (group_key) VALUES (old.group_key);
            END""",
        ),
    ),
)

PSEUDONYM_TABLES: tuple[tuple[str, str], ...] = (
    ("sessions", "pseudonym"),
    ("consents", "pseudonym"),
    ("reports", "pseudonym"),
)
"""``(table, column)`` pairs holding data linked to a pseudonym; ``forget`` empties them all."""


class SchemaTooNew(StoreUnavailable):
    """The database was written by a newer release; running older code on it could corrupt it."""


def migrate(connection: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database up to the latest version; return the version it had before.

    The connection must be in autocommit mode (``isolation_level=None``) so the
    transactions here are the only ones.
    """
    found = _user_version(connection)
    if found > len(migrations):
        raise SchemaTooNew(
            f"database schema version {found} is newer than this release knows "
            f"({len(migrations)}); upgrade the bot before using this database"
        )
    for version in range(found, len(migrations)):
        # IMMEDIATE takes the write lock first, so two workers starting together
        # cannot both run the same step; the loser re-reads the version below.
        connection.execute("BEGIN IMMEDIATE")
        try:
            if _user_version(connection) != version:
                connection.execute("ROLLBACK")
                continue
            migrations[version].apply(connection)
            connection.execute(f"PRAGMA user_version = {version + 1:d}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return found


def _user_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])
