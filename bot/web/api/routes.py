"""GET /api/v1/recruiters, /recruiters/{id} and /overview: disclosed figures as JSON.

A withheld value is ``null`` beside a ``withheld`` reason; the same rules of
role and scope as the portal apply (``bot.web.portal.scope``). A refusal is
raised, and answered 403 or 400 by ``bearer_auth``.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.api.auth import BadRequest, problem
from bot.web.portal.context import ACCOUNT, PORTAL
from bot.web.portal.data import PortalData
from bot.web.portal.present import agency_json, brokers_json, disclosed_json
from bot.web.portal.scope import Refused, agency_destinations, listing_origins, require
from recruiter_reports.stakeholders import Account, Permission

__all__ = ["overview", "recruiter", "recruiters"]


def _data(request: web.Request) -> PortalData:
    data = request.config_dict[PORTAL].data
    if not isinstance(data, PortalData):
        raise web.HTTPServiceUnavailable()
    return data


def _country(request: web.Request, name: str) -> str | None:
    value = request.query.get(name, "").strip().upper()
    if not value:
        return None
    if len(value) != 2 or not value.isalpha():
        raise BadRequest(f"{name} must be a two-letter country code")
    return value


async def recruiters(request: web.Request) -> web.Response:
    data = _data(request)
    account = request[ACCOUNT]
    origin, destination = _country(request, "origin"), _country(request, "destination")
    require(account, Permission.SUMMARIES)
    origins = listing_origins(account, data.origins, origin, destination)
    query = request.query.get("q", "").strip()[:100] or None
    rows = await data.agencies(origins, destination, query)
    return web.json_response({
        "min_reporters": data.k,
        "origin": origin, "destination": destination, "q": query,
        "recruiters": [{**agency_json(row.agency), "destination": destination,
                        **disclosed_json(row.disclosed)} for row in rows],
    })  # fmt: skip


async def recruiter(request: web.Request) -> web.Response:
    data = _data(request)
    account = request[ACCOUNT]
    found = await data.agency(request.match_info["recruiter_id"])
    if found is None:
        return problem(404, "no such recruiter")
    require(account, Permission.SUMMARIES)
    destinations = agency_destinations(account, found.origin, data.origins)
    detail = await data.detail(found, destinations)
    body: dict[str, object] = {
        **agency_json(found),
        "min_reporters": data.k,
        "total": None if detail.total is None else disclosed_json(detail.total),
        "brokers": brokers_json(detail.brokers),
    }
    if destinations is not None or _can_break_down(account):
        body["by_destination"] = {
            name: disclosed_json(cell) for name, cell in detail.by_destination.items()
        }
    if detail.by_year is not None and _can_break_down(account):
        body["by_year"] = {name: disclosed_json(cell) for name, cell in detail.by_year.items()}
    return web.json_response(body)


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
    disclosed = await data.overview(origins, destination)
    return web.json_response({
        "min_reporters": data.k, "origins": origins, "destination": destination,
        **disclosed_json(disclosed),
    })  # fmt: skip
