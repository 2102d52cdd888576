"""Which PyMongo failures mean "the database is away or slow", turned into ``StoreUnavailable``.

Callers of the port catch only ``StoreUnavailable`` (they keep the conversation
in memory and ask the user to try again). Anything else PyMongo raises, a
malformed query, a failed validation, reveals a bug and is never hidden.
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

from recruiter_reports.stores.port import StoreUnavailable

__all__ = ["is_unavailable", "unavailable_on_failure"]

_UNAVAILABLE_CODES = frozenset(
    {
        6,  # HostUnreachable
        7,  # HostNotFound
        50,  # MaxTimeMSExpired
        89,  # NetworkTimeout
        91,  # ShutdownInProgress
        189,  # PrimarySteppedDown
        202,  # NetworkInterfaceExceededTimeLimit
        262,  # ExceededTimeLimit
        9001,  # SocketException
        10107,  # NotWritablePrimary
        11600,  # InterruptedAtShutdown
        11602,  # InterruptedDueToReplStateChange
        13435,  # NotPrimaryNoSecondaryOk
        13436,  # NotPrimaryOrSecondary
    }
)
"""Server error codes of an election, a shutdown or a time limit: retrying later can work."""

_TRANSIENT_LABELS = ("RetryableWriteError", "TransientTransactionError")


def is_unavailable(error: PyMongoError) -> bool:
    """True when the failure comes from the deployment's state, not from what we asked."""
    if isinstance(error, ConnectionFailure | ExecutionTimeout | WTimeoutError | ProtocolError):
        return True
    if isinstance(error, InvalidOperation):
        # PyMongo's word for "this client was closed" (a concurrent shutdown).
        return True
    if error.timeout or any(error.has_error_label(label) for label in _TRANSIENT_LABELS):
        return True
    return isinstance(error, OperationFailure) and error.code in _UNAVAILABLE_CODES


@asynccontextmanager
async def unavailable_on_failure(doing: str) -> AsyncIterator[None]:
    """Re-raise an outage or a time-out met while ``doing`` something as ``StoreUnavailable``."""
    try:
        yield
    except PyMongoError as error:
        if is_unavailable(error):
            raise StoreUnavailable(f"MongoDB did not answer while {doing}: {error}") from error
        raise
