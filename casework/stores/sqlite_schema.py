"""The cases' SQLite schema, as an ordered list of migrations (the ratings store's pattern).

The case tables live in the same file as the rest of the store (``STORE_URL``)
but keep their own version, in ``casework_schema``, because the file's
``PRAGMA user_version`` belongs to the ratings store's migrations.

How to change it: append a ``Migration`` to ``MIGRATIONS``, never edit or
reorder a shipped one. Step ``n`` takes the version from ``n`` to ``n + 1``
in one transaction with the version bump, so a failing step leaves the
database at the previous version. A database from a newer release is refused.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

__all__ = ["MIGRATIONS", "CaseSchemaTooNew", "Migration", "migrate"]


class CaseSchemaTooNew(RuntimeError):
    """The file was written by a newer release; this one must not write to it."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: plain SQL statements."""

    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "cases: one sealed document per case, with the columns the lists sort and filter on",
        (
            """CREATE TABLE cases (
                id TEXT PRIMARY KEY,
                partner_id TEXT NOT NULL,
                pseudonym TEXT NOT NULL,
                state TEXT NOT NULL,
                urgent INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                closed_at INTEGER,
                document TEXT NOT NULL
            ) WITHOUT ROWID""",
            "CREATE INDEX cases_by_partner ON cases (partner_id, urgent DESC, created_at, id)",
            "CREATE INDEX cases_by_pseudonym ON cases (pseudonym, created_at)",
            "CREATE INDEX cases_by_closing ON cases (state, closed_at)",
        ),
    ),
)


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the case tables to the newest version; returns the version reached.

    The version is read again inside each step's write transaction, so two
    workers starting at once never run the same step twice.
    """
    connection.execute("CREATE TABLE IF NOT EXISTS casework_schema (version INTEGER NOT NULL)")
    while True:
        connection.execute("BEGIN IMMEDIATE")
        try:
            row = connection.execute("SELECT version FROM casework_schema").fetchone()
            version = 0 if row is None else int(row[0])
            if version > len(MIGRATIONS):
                raise CaseSchemaTooNew(
                    f"the case tables are at version {version}; "
                    f"this release knows {len(MIGRATIONS)}"
                )
            if version == len(MIGRATIONS):
                connection.execute("COMMIT")
                return version
            for statement in MIGRATIONS[version].statements:
                connection.execute(statement)
            connection.execute("DELETE FROM casework_schema")
            connection.execute("INSERT INTO casework_schema (version) VALUES (?)", (version + 1,))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
