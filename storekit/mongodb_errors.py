"""Which PyMongo failures mean "the database is away or slow" (an election, a shutdown, a
time limit), as opposed to a bug that must never be hidden. Each domain turns the first kind
into its own "unavailable" error."""

from __future__ import annotations

from pymongo.errors import (
    ConnectionFailure,
    ExecutionTimeout,
    InvalidOperation,
    OperationFailure,
    ProtocolError,
    PyMongoError,
    WTimeoutError,
)

__all__ = ["is_unavailable"]

_UNAVAILABLE_CODES = frozenset(
    {6, 7, 50, 89, 91, 189, 202, 262, 9001, 10107, 11600, 11602, 13435, 13436}
)
"""HostUnreachable, HostNotFound, MaxTimeMSExpired, NetworkTimeout, ShutdownInProgress,
PrimarySteppedDown, NetworkInterfaceExceededTimeLimit, ExceededTimeLimit, SocketException,
NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange,
NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary."""

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
