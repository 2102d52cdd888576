"""Which PyMongo failures mean "the database is away or slow", as ``CasesUnavailable``.

The same judgement as ``recruiter_reports.stores.mongodb_errors``, kept here
because the domains are independent of each other (import-linter): anything
else PyMongo raises reveals a bug and is never hidden.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo.errors import (
    ConnectionFailure,
    ExecutionTimeout,
    InvalidOperation,
    OperationFailure,
    ProtocolError,
    PyMongoError,
    WTimeoutError,
)

from casework.port import CasesUnavailable

__all__ = ["is_unavailable", "unavailable_on_failure"]

_UNAVAILABLE_CODES = frozenset(
    {6, 7, 50, 89, 91, 189, 202, 262, 9001, 10107, 11600, 11602, 13435, 13436}
)
"""Server error codes of an election, a shutdown or a time limit (names in the ratings copy)."""

_TRANSIENT_LABELS = ("RetryableWriteError", "TransientTransactionError")


def is_unavailable(error: PyMongoError) -> bool:
    """True when the failure comes from the deployment's state, not from what we asked."""
    if isinstance(error, ConnectionFailure | ExecutionTimeout | WTimeoutError | ProtocolError):
        return True
    if isinstance(error, InvalidOperation):
        return True  # PyMongo's word for "this client was closed"
    if error.timeout or any(error.has_error_label(label) for label in _TRANSIENT_LABELS):
        return True
    return isinstance(error, OperationFailure) and error.code in _UNAVAILABLE_CODES


@asynccontextmanager
async def unavailable_on_failure(doing: str) -> AsyncIterator[None]:
    """Re-raise an outage or a time-out met while ``doing`` something as ``CasesUnavailable``."""
    try:
        yield
    except PyMongoError as error:
        if is_unavailable(error):
            raise CasesUnavailable(f"MongoDB did not answer while {doing}: {error}") from error
        raise
