"""The data pages: agencies list, agency page, sector overview, exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from aiohttp import web
from markupsafe import Markup

from bot.i18n import Translator
from bot.web.followups.figures import promise_json
from bot.web.portal.access import audit
from bot.web.portal.charts import Bar, bar_chart
from bot.web.portal.context import ACCOUNT, AUDITED, PORTAL, PortalContext
from bot.web.portal.data import AgencyRow, PortalData
from bot.web.portal.listing import agency_rows
from bot.web.portal.present import (
    agency_json,
    brokers_json,
    csv_columns,
    csv_row,
    disclosed_json,
    indicator_labels,
    percent,
    reply_json,
    rules_json,
    withheld_reason,
)
from bot.web.portal.promise import promise_of
from bot.web.portal.query import ABOVE_LIMIT, BadQuery, country, list_query, period, sorts
from bot.web.portal.render import html, translator_for
from bot.web.portal.scope import Refused, agency_destinations, listing_origins, require
from bot.web.portal.trend import trend
from recruiter_reports import questionnaire
from recruiter_reports.audit import AuditAction
from recruiter_reports.disclosure import Disclosed
from recruiter_reports.quarters import Period
from recruiter_reports.registry import LicenceStatus
from recruiter_reports.stakeholders import Permission, Role, can

__all__ = ["agencies", "agency", "export", "home", "overview"]


def _data(request: web.Request) -> tuple[PortalContext, PortalData]:
    ctx = request.config_dict[PORTAL]
    if not isinstance(ctx.data, PortalData):
        raise web.HTTPServiceUnavailable(text="The ratings data is not available.")
    return ctx, ctx.data


def _country(request: web.Request, name: str) -> str | None:
    try:
        return country(request.query, name)
    except BadQuery as error:
        raise web.HTTPBadRequest(text=str(error)) from None


def _refuse(error: Refused) -> web.HTTPForbidden:
    return web.HTTPForbidden(text=str(error))


async def home(request: web.Request) -> web.StreamResponse:
    account = request[ACCOUNT]
    if account.role is Role.ADMIN:
        raise web.HTTPSeeOther("/portal/admin/moderation")
    if account.role is Role.CASEWORKER:
        raise web.HTTPSeeOther("/portal/cases")
    if account.role is Role.AGENCY:
        raise web.HTTPSeeOther("/portal/reply")
    raise web.HTTPSeeOther("/portal/agencies")


async def _rows(
    request: web.Request, *, quarters: bool = False
) -> tuple[list[AgencyRow], dict[str, Any]]:
    """The filtered, sorted agency rows the list and the exports share (the exports with
    each row's quarters)."""
    _, data = _data(request)
    try:
        query = list_query(request.query)
        rows = await agency_rows(data, request[ACCOUNT], query, quarters=quarters)
    except BadQuery as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    except Refused as error:
        raise _refuse(error) from None
    return rows, query.as_filters()


async def agencies(request: web.Request) -> web.Response:
    rows, filters = await _rows(request)
    ctx, data = _data(request)
    t = translator_for(ctx.catalogs, request)
    account = request[ACCOUNT]
    labels = indicator_labels(t)
    sort_labels = {"name": t("Name"), "reporters": t("Reporters"), **labels,
                   ABOVE_LIMIT: t("Paid above the legal limit")}  # fmt: skip
    return html(
        request, "agencies.html", rows=rows, filters=filters, origins=data.origins,
        sorts=sorts(), labels=labels, sort_labels=sort_labels,
        statuses=[s.value for s in LicenceStatus],
        percent=percent, reason=lambda r: withheld_reason(t, r),
        fee_label=lambda origin, band: data.fee_label(origin, band, t),
        can_export=can(account, Permission.EXPORT), query_string=request.query_string,
        current="agencies", counted=t.plural("{n} agency", "{n} agencies", len(rows)),
    )  # fmt: skip


async def agency(request: web.Request) -> web.Response:
    ctx, data = _data(request)
    account = request[ACCOUNT]
    found = await data.agency(request.match_info["recruiter_id"])
    if found is None:
        raise web.HTTPNotFound(text="No such agency.")
    try:
        require(account, Permission.SUMMARIES)
        destinations = agency_destinations(account, found.origin, data.origins)
        when = period(request.query)
    except Refused as error:
        raise _refuse(error) from None
    except BadQuery as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    detail = await data.detail(found, destinations, when)
    reply = await data.reply(found)
    promise = await promise_of(request, found, data)
    t = translator_for(ctx.catalogs, request)
    breakdowns = can(account, Permission.BREAKDOWNS)
    chart = None
    if detail.total is not None and detail.total.shown:
        chart = bar_chart("indicators", t("What workers reported"),
                          _bars(t, detail.total))  # fmt: skip
    return html(
        request, "agency.html", detail=detail, chart=chart, breakdowns=breakdowns, reply=reply,
        labels=indicator_labels(t), percent=percent, reason=lambda r: withheld_reason(t, r),
        fee_label=lambda band: data.fee_label(found.origin, band, t),
        year_chart=_cell_chart(t, "by-year", t("Passport kept, by year"), detail.by_year)
        if breakdowns and detail.by_year else None,
        trend=trend(t, detail.by_quarter, detail.quarter_fees or {})
        if breakdowns and detail.by_quarter else None,
        filters=_period_filters(when), query_string=request.query_string,
        destination_chart=_cell_chart(t, "by-destination", t("Passport kept, by destination"),
                                      detail.by_destination) if breakdowns else None,
        k=data.k, current="agencies", promise=promise,
    )  # fmt: skip


def _bars(t: Translator, disclosed: Disclosed) -> list[Bar]:
    labels = indicator_labels(t)
    bars = []
    for name in questionnaire.current().indicators:
        figure = disclosed.indicators[name]
        if figure.share is None:
            bars.append(Bar(labels[name], None, withheld_reason(t, figure.withheld)))
        else:
            text = t("{share} of {n}", share=percent(figure.share), n=figure.answered)
            bars.append(Bar(labels[name], figure.share, text))
    return bars


def _cell_chart(
    t: Translator, chart_id: str, title: str, cells: dict[str, Disclosed] | None
) -> Markup | None:
    if not cells:
        return None
    bars = []
    for name, cell in cells.items():
        label = name or t("Not said")
        figure = cell.indicators.get("passport_kept") if cell.shown else None
        if figure is None or figure.share is None:
            reason = figure.withheld if figure is not None else cell.withheld
            bars.append(Bar(label, None, withheld_reason(t, reason)))
        else:
            text = t("{share} of {n}", share=percent(figure.share), n=figure.answered)
            bars.append(Bar(label, figure.share, text))
    return bar_chart(chart_id, title, bars)


async def overview(request: web.Request) -> web.Response:
    ctx, data = _data(request)
    account = request[ACCOUNT]
    origin, destination = _country(request, "origin"), _country(request, "destination")
    try:
        require(account, Permission.OVERVIEW)
        origins = listing_origins(account, data.origins, origin, destination)
        when = period(request.query)
    except Refused as error:
        raise _refuse(error) from None
    except BadQuery as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    landscape = await data.overview(origins, destination, when)
    disclosed = landscape.disclosed
    t = translator_for(ctx.catalogs, request)
    chart = bar_chart("overview", t("Across agencies with enough reports"),
                      _bars(t, disclosed)) if disclosed.shown else None  # fmt: skip
    return html(
        request, "overview.html", disclosed=disclosed, chart=chart, origins=data.origins,
        fees=landscape.fees,
        filters={"origin": origin or "", "destination": destination or "",
                 **_period_filters(when)},
        labels=indicator_labels(t), percent=percent, reason=lambda r: withheld_reason(t, r),
        fee_label=lambda band: data.fee_label(origins[0] if len(origins) == 1 else None, band, t),
        covered=origins, current="overview",
    )  # fmt: skip


async def export(request: web.Request) -> web.Response:
    """CSV or JSON of the agency list as filtered; officials only, and always audited.

    Each agency's figures for the whole period come first, then one row (CSV) or
    object (JSON ``by_quarter``) per quarter with published cells, with the same
    published columns: the trend the agency page draws, as data.
    """
    ctx, data = _data(request)
    account = request[ACCOUNT]
    try:
        require(account, Permission.EXPORT)
    except Refused as error:
        raise _refuse(error) from None
    rows, filters = await _rows(request, quarters=True)
    destination = filters["destination"] or None
    fmt = request.match_info["format"]
    await audit(ctx, account.id, AuditAction.EXPORT, request.path_qs)
    request[AUDITED] = True
    # The broker chain, and promise against reality, belong to the whole agency (as the
    # agency page shows them), not to one destination's cell.
    chains, promises = {}, {}
    if destination is None:
        chains = {row.agency.id: await data.brokers(row.agency) for row in rows}
        promises = {row.agency.id: await promise_of(request, row.agency, data)
                    for row in rows}  # fmt: skip
    replies = await data.replies()
    period = (filters["since"], filters["until"])
    if fmt == "json":
        body = json.dumps({
            "filters": filters, "min_reporters": ctx.min_reporters,
            "since": filters["since"] or None, "until": filters["until"] or None,
            "agencies": [{**agency_json(row.agency), "destination": destination,
                          **disclosed_json(row.disclosed, row.fees),
                          "legal_rules": rules_json(row.rules),
                          "brokers": brokers_json(chains.get(row.agency.id, ())),
                          "reply": reply_json(replies.get(row.agency.id)),
                          "promise_against_reality": promise_json(promises.get(row.agency.id)),
                          "by_quarter": {quarter: disclosed_json(figures, fees)
                                         for quarter, (figures, fees) in row.by_quarter.items()}}
                         for row in rows],
        }, ensure_ascii=False, indent=1)  # fmt: skip
        return _download(body, "application/json", "agencies.json")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_columns())
    for row in rows:
        writer.writerow(csv_row(row.agency, destination, row.disclosed,
                                chains.get(row.agency.id, ()), row.fees, row.rules,
                                replies.get(row.agency.id), period,
                                promises.get(row.agency.id)))  # fmt: skip
        for quarter, (figures, fees) in row.by_quarter.items():
            writer.writerow(csv_row(row.agency, destination, figures, fees=fees,
                                    rules=row.rules, period=(quarter, quarter),
                                    quarter=quarter))  # fmt: skip
    return _download(buffer.getvalue(), "text/csv", "agencies.csv")


def _period_filters(when: Period | None) -> dict[str, str]:
    return {"since": str(when.first) if when and when.first else "",
            "until": str(when.last) if when and when.last else ""}  # fmt: skip


def _download(body: str, content_type: str, filename: str) -> web.Response:
    response = web.Response(text=body, content_type=content_type, charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
