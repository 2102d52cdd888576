"""Building the check-in delivery loop from the services and running it while the app runs.

Check-ins are off without ``CONTACT_KEY`` (no sealer): then no loop runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.push import Pushers
from bot.web.followups.delivery import CheckinDelivery, CheckinWording
from bot.web.notice import NeutralNotices, wants_neutral
from recruiter_reports.clock import utc_now

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["CHECKINS", "checkins_for", "mount_checkins"]

CHECKINS = web.AppKey("checkin_delivery", CheckinDelivery)


def checkins_for(
    services: Services, pushers: Pushers, owner: str,
    clock: Callable[[], dt.datetime] = utc_now,
) -> CheckinDelivery | None:
    """The loop that sends due check-ins through ``pushers``, or None when they are off."""
    if services.followups is None or services.sealer is None:
        return None

    def agency_name(recruiter_id: str) -> str | None:
        found = services.engine.ratings.recruiter(recruiter_id)
        return found.name if found is not None else None

    return CheckinDelivery(
        services.followups, services.sealer, pushers,
        CheckinWording(services.catalogs, agency_name), owner=owner, clock=clock,
        notices=NeutralNotices(services.catalogs, wants_neutral(services.store.load_session)),
    )


def mount_checkins(app: web.Application, delivery: CheckinDelivery | None) -> None:
    """Run the loop in this worker while the app runs (every worker runs one: the leases
    keep each check-in to one of them)."""
    if delivery is None:
        return
    app[CHECKINS] = delivery

    async def _loop(_: web.Application) -> AsyncIterator[None]:
        await delivery.start()
        try:
            yield
        finally:
            await delivery.stop()

    app.cleanup_ctx.append(_loop)
