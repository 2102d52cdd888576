"""Promise against reality for one agency, as one account may see it: page, API, exports.

One door for the three, so the figure is the same everywhere under the same
disclosure control (``bot.web.followups.figures``): the account's scope picks the
check-ins (an official of one destination counts only the people who went there),
below ``MIN_REPORTERS`` nothing is given, and the figure shown is the last
publication. It covers every check-in, whatever period the other figures cover.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.followups.figures import PROMISES, PromiseFigure
from bot.web.portal.context import ACCOUNT
from bot.web.portal.data import Agency, PortalData
from bot.web.portal.scope import Refused, agency_destinations

__all__ = ["promise_of"]


async def promise_of(request: web.Request, agency: Agency,
                     data: PortalData) -> PromiseFigure | None:
    """The figure for ``agency`` under the account's scope; None when check-ins are off
    or the agency is outside the account's countries."""
    promises = request.config_dict.get(PROMISES)
    if promises is None:
        return None
    try:
        destinations = agency_destinations(request[ACCOUNT], agency.origin, data.origins)
    except Refused:
        return None
    return await promises.figure(agency.id, destinations)
