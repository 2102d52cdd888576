"""Small store helpers the domains share without depending on each other.

``recruiter_reports``, ``casework`` and ``followups`` are independent layers
(import-linter), so a helper two of them need lives here, below all three:

- ``times``: instants as whole microseconds since the epoch (exact in every database);
- ``backoff``: how long a failed delivery waits before its next try;
- ``mongodb_errors``: which PyMongo failures mean "the database is away or slow";
- ``sqlite_thread``: one SQLite connection on a thread of its own, for async code.

This package imports no domain and no part of ``bot``.
"""
