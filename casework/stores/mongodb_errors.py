"""Which PyMongo failures mean "the database is away or slow", as ``CasesUnavailable``.

The judgement is ``storekit.mongodb_errors``, shared by the domains, which are
independent of each other (import-linter): anything else PyMongo raises
reveals a bug and is never hidden.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo.errors import PyMongoError

from casework.port import CasesUnavailable
from storekit.mongodb_errors import is_unavailable

__all__ = ["is_unavailable", "unavailable_on_failure"]


@asynccontextmanager
async def unavailable_on_failure(doing: str) -> AsyncIterator[None]:
    """Re-raise an outage or a time-out met while ``doing`` something as ``CasesUnavailable``."""
    try:
        yield
    except PyMongoError as error:
        if is_unavailable(error):
            raise CasesUnavailable(f"MongoDB did not answer while {doing}: {error}") from error
        raise
