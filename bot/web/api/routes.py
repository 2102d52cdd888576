"""GET /api/v1/recruiters, /recruiters/{id} and /overview: disclosed figures as JSON.

A withheld value is ``null`` beside a ``withheld`` reason; the same rules of
role and scope as the portal apply (``bot.web.portal.scope``). A refusal is
raised, and answered 403 or 400 by ``bearer_auth``.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.api.auth import problem
from bot.web.followups.figures import promise_json
from bot.web.portal.context import ACCOUNT, PORTAL
from bot.web.portal.data import PortalData
from bot.web.portal.listing import agency_rows
from bot.web.portal.present import (
    agency_json,
    brokers_json,
    disclosed_json,
    reply_json,
    rules_json,
)
from bot.web.portal.promise import promise_of
from bot.web.portal.query import country, list_query, period
from bot.web.portal.scope import Refused, agency_destinations, listing_origins, require
from recruiter_reports.quarters import Period
from recruiter_reports.stakeholders import Account, Permission

__all__ = ["overview", "recruiter", "recruiters"]


def _data(request: web.Request) -> PortalData:
    data = request.config_dict[PORTAL].data
    if not isinstance(data, PortalData):
        raise web.HTTPServiceUnavailable()
    return data


def _country(request: web.Request, name: str) -> str | None:
    return country(request.query, name)


async def recruiters(request: web.Request) -> web.Response:
    data = _data(request)
    query = list_query(request.query)
    rows = await agency_rows(data, request[ACCOUNT], query)
    destination = query.destination
    replies = await data.replies()
    return web.json_response({
        "min_reporters": data.k,
        "origin": query.origin, "destination": destination, "q": query.q,
        "filters": query.as_filters(),
        "recruiters": [{**agency_json(row.agency), "destination": destination,
                        **disclosed_json(row.disclosed, row.fees),
                        "legal_rules": rules_json(row.rules),
                        "reply": reply_json(replies.get(row.agency.id))} for row in rows],
    })  # fmt: skip


async def recruiter(request: web.Request) -> web.Response:
    data = _data(request)
    account = request[ACCOUNT]
    found = await data.agency(request.match_info["recruiter_id"])
    if found is None:
        return problem(404, "no such recruiter")
    require(account, Permission.SUMMARIES)
    destinations = agency_destinations(account, found.origin, data.origins)
    when = period(request.query)
    detail = await data.detail(found, destinations, when)
    body: dict[str, object] = {
        **agency_json(found),
        "min_reporters": data.k,
        "legal_rules": rules_json(detail.rules),
        "total": None if detail.total is None else disclosed_json(detail.total, detail.fees),
        "brokers": brokers_json(detail.brokers),
        "reply": reply_json(await data.reply(found)),
        "promise_against_reality": promise_json(
            await promise_of(request, found, data)),
    }
    cell_fees = detail.destination_fees or {}
    if destinations is not None or _can_break_down(account):
        body["by_destination"] = {
            name: disclosed_json(cell, cell_fees.get(name))
            for name, cell in detail.by_destination.items()
        }
    if detail.by_year is not None and _can_break_down(account):
        body["by_year"] = {name: disclosed_json(cell) for name, cell in detail.by_year.items()}
    if detail.by_quarter is not None and _can_break_down(account):
        quarter_fees = detail.quarter_fees or {}
        body["by_quarter"] = {name: disclosed_json(cell, quarter_fees.get(name))
                              for name, cell in detail.by_quarter.items()}  # fmt: skip
    body |= _period_json(when)
    return web.json_response(body)


def _period_json(when: Period | None) -> dict[str, str | None]:
    """The period the figures cover, as whole quarters (null: open-ended)."""
    return {"since": str(when.first) if when and when.first else None,
            "until": str(when.last) if when and when.last else None}  # fmt: skip


def _can_break_down(account: Account) -> bool:
    try:
        require(account, Permission.BREAKDOWNS)
    except Refused:
        return False
    return True


async def overview(request: web.Request) -> web.Response:
    data = _data(request)
    account = request[ACCOUNT]
    origin, destination = _country(request, "origin"), _country(request, "destination")
    require(account, Permission.OVERVIEW)
    origins = listing_origins(account, data.origins, origin, destination)
    when = period(request.query)
    landscape = await data.overview(origins, destination, when)
    return web.json_response({
        "min_reporters": data.k, "origins": origins, "destination": destination,
        **_period_json(when),
        **disclosed_json(landscape.disclosed, landscape.fees),
    })  # fmt: skip
