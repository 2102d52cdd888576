"""Building the case desk and the delivery loop from the services, and starting the loop.

Cases are off without ``CONTACT_KEY`` (no sealer): then there is no desk, the
case pages and endpoints answer 503 and no loop runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.push import Pushers
from bot.web.cases.delivery import CaseDelivery, Wording
from bot.web.cases.desk import CaseDesk
from bot.web.notice import NeutralNotices, wants_neutral

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["DELIVERY", "DESK", "delivery_for", "mount_cases"]

DESK = web.AppKey("case_desk", CaseDesk)
DELIVERY = web.AppKey("case_delivery", CaseDelivery)


def delivery_for(services: Services, pushers: Pushers, owner: str) -> CaseDelivery | None:
    """The loop that sends case replies through ``pushers``, or None when cases are off."""
    if services.cases is None or services.sealer is None or services.outbox is None:
        return None
    return CaseDelivery(
        services.cases, services.outbox, services.sealer, pushers,
        Wording(services.catalogs, services.partner_name), owner=owner,
        notices=NeutralNotices(services.catalogs, wants_neutral(services.store.load_session)),
    )


def mount_cases(app: web.Application, services: Services,
                delivery: CaseDelivery | None) -> None:
    """Share the desk with the portal and the API; run the loop while the app runs."""
    if delivery is None or services.cases is None or services.sealer is None \
            or services.outbox is None:
        return
    from recruiter_reports.stores.stakeholder_port import stakeholder_store_for

    app[DESK] = CaseDesk(services.cases, services.outbox, services.sealer,
                         stakeholder_store_for(services.store), clock=delivery.now,
                         kick=delivery.kick)
    app[DELIVERY] = delivery

    async def _loop(_: web.Application) -> AsyncIterator[None]:
        await delivery.start()
        try:
            yield
        finally:
            await delivery.stop()

    app.cleanup_ctx.append(_loop)
