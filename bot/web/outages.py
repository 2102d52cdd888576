"""A store that is down answers 503 with a retry, never a 500, on the portal and the API.

Portal and API pages read (and, for the publication rule, write) the ratings
store, the case store and the check-in store. Each raises its own "unavailable"
error when its database is down or gone; here they become one answer, in one
place, so a page added tomorrow is covered without a try of its own.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from casework.port import CasesUnavailable
from followups.port import FollowupsUnavailable
from recruiter_reports.stores.port import StoreUnavailable

log = logging.getLogger(__name__)

__all__ = ["OUTAGES", "RETRY_AFTER_SECONDS", "UNAVAILABLE", "note_outage", "store_outages"]

OUTAGES: tuple[type[Exception], ...] = (StoreUnavailable, CasesUnavailable, FollowupsUnavailable)
"""What a store raises when it cannot answer."""
UNAVAILABLE = "The data store is not answering just now. Nothing was changed; retry in a minute."
RETRY_AFTER_SECONDS = 30


def note_outage(error: Exception, path: str) -> None:
    """One log line with the error's type and the path (never a query: it may name people)."""
    log.warning("store unavailable while serving %s: %s", path, type(error).__name__)


@web.middleware
async def store_outages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The portal's pages: a store outage is a 503 page that says to retry."""
    try:
        return await handler(request)
    except OUTAGES as error:
        note_outage(error, request.path)
        raise web.HTTPServiceUnavailable(
            text=UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        ) from None
