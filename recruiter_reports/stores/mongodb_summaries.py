"""Recruiter summaries on MongoDB: recomputed from the reports, never adjusted by hand.

After every write that changes which reports count for a recruiter, that
recruiter's summary is rebuilt from its reports with one aggregation (grouped
by destination, year and fee band, then folded into the "all", per-destination
and per-year cells here). A recompute is idempotent, so it is safe everywhere:

- with transactions (replica sets, Atlas) it runs in the same transaction as
  the report write, so the two change together;
- without them, a per-recruiter version number orders concurrent recomputes:
  each write bumps the version *after* writing its report and only a summary
  built under a higher version may replace the stored one, so the last
  summary standing has seen every report. A crash between a report write and
  its recompute leaves a summary one write behind until the next write about
  that recruiter (or ``recompute_summaries``) rebuilds it.

One document per recruiter holds all its cells, so replacing it is atomic.
"""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from recruiter_reports import questionnaire
from recruiter_reports.stores.mongodb_schema import REPORTS, SUMMARIES, SUMMARY_VERSIONS
from recruiter_reports.stores.records import NOT_SAID, Breakdown, quarter_cell
from recruiter_reports.summaries import Summary, YesNo

__all__ = [
    "cell",
    "lacking_an_indicator",
    "overview_filter",
    "quarter_cells",
    "resummarize",
    "stored_summary",
]

Document = dict[str, Any]

_ALL = "all"


async def resummarize(
    database: AsyncDatabase[Document],
    recruiter_id: str,
    session: AsyncClientSession | None,
) -> None:
    """Rebuild the recruiter's summary document from its counted reports."""
    bumped = await database[SUMMARY_VERSIONS].find_one_and_update(
        {"_id": recruiter_id},
        {"$inc": {"version": 1}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
        session=session,
    )
    version = int(bumped["version"]) if bumped else 1
    cursor = await database[REPORTS].aggregate(_pipeline(recruiter_id), session=session)
    rows = await cursor.to_list()
    document = _document(recruiter_id, version, rows)
    summaries = database[SUMMARIES]
    if session is not None:
        # Inside a transaction the version bump above already serialises writers.
        await summaries.replace_one({"_id": recruiter_id}, document, upsert=True, session=session)
        return
    try:
        await summaries.replace_one(
            {"_id": recruiter_id, "version": {"$lt": version}}, document, upsert=True
        )
    except DuplicateKeyError:
        pass  # a recompute under a later version has already written a newer summary


def stored_summary(recruiter_id: str, document: Document | None) -> Summary:
    """The recruiter's whole summary from its stored document (zero reporters when none)."""
    if document is None:
        return Summary(recruiter_id=recruiter_id)
    return _summary(recruiter_id, document[_ALL])


def cell(recruiter_id: str, document: Document | None, by: Breakdown) -> dict[str, Summary]:
    """The breakdown cells (``by`` destination or year) of a stored summary document."""
    if document is None:
        return {}
    return {item["key"]: _summary(recruiter_id, item) for item in document.get(by, [])}


async def quarter_cells(
    database: AsyncDatabase[Document], recruiter_id: str
) -> dict[str, Summary]:
    """The recruiter's ``destination_quarter`` cells, grouped from its reports when read."""
    pipeline = _pipeline(recruiter_id)
    pipeline[-1]["$group"]["_id"]["month"] = {"$month": "$created_at"}
    rows = await (await database[REPORTS].aggregate(pipeline)).to_list()
    cells: dict[str, Document] = {}
    for row in rows:
        key = row["_id"]
        quarter = f"{key['year']}Q{(int(key['month']) + 2) // 3}"
        _add(cells.setdefault(quarter_cell(key["destination"], quarter), _empty()), row,
             key.get("fee_band"))  # fmt: skip
    return {key: _summary(recruiter_id, body) for key, body in sorted(cells.items())}


def lacking_an_indicator() -> Document:
    """The query for a stored summary that predates a question of the questionnaire in use."""
    return {"$or": [{f"{_ALL}.indicators.{name}": {"$exists": False}}
                    for name in questionnaire.current().indicators]}  # fmt: skip


def overview_filter(origin: str | None, destination: str | None) -> Document:
    """The query for the sector overview: recruiters with counted reports, optionally narrowed."""
    query: Document = {"reporters": {"$gt": 0}}
    if origin:
        query["origin"] = origin
    if destination:
        query["destination.key"] = destination
    return query


def _pipeline(recruiter_id: str) -> list[Document]:
    counts: Document = {"reporters": {"$sum": 1}}
    for name in questionnaire.current().indicators:
        counts[f"{name}_yes"] = {"$sum": {"$cond": [{"$eq": [f"${name}", True]}, 1, 0]}}
        counts[f"{name}_no"] = {"$sum": {"$cond": [{"$eq": [f"${name}", False]}, 1, 0]}}
    counts["recommend_sum"] = {"$sum": {"$ifNull": ["$recommend", 0]}}
    counts["recommend_count"] = {"$sum": {"$cond": [{"$eq": ["$recommend", None]}, 0, 1]}}
    counts["origin"] = {"$min": "$origin"}
    group_key = {
        "destination": {"$ifNull": ["$destination", NOT_SAID]},
        "year": {"$year": "$created_at"},
        "fee_band": "$fee_band",
    }
    return [
        {"$match": {"recruiter_id": recruiter_id, "held": False}},
        {"$group": {"_id": group_key, **counts}},
    ]


def _document(recruiter_id: str, version: int, rows: list[Document]) -> Document:
    """Fold the finest groups into the recruiter's cells."""
    cells: dict[tuple[str, str], Document] = {}
    origins = sorted(row["origin"] for row in rows if row.get("origin"))
    for row in rows:
        key = row["_id"]
        for dim, value in (
            (_ALL, ""),
            ("destination", key["destination"]),
            ("year", str(key["year"])),
        ):
            _add(cells.setdefault((dim, value), _empty()), row, key.get("fee_band"))
    whole = cells.get((_ALL, ""), _empty())
    return {
        "_id": recruiter_id,
        "version": version,
        "origin": origins[0] if origins else None,
        "reporters": whole["reporters"],
        _ALL: whole,
        "destination": _listed(cells, "destination"),
        "year": _listed(cells, "year"),
    }


def _empty() -> Document:
    return {
        "reporters": 0,
        "indicators": {name: {"yes": 0, "no": 0} for name in questionnaire.current().indicators},
        "fee_bands": {},
        "recommend_sum": 0,
        "recommend_count": 0,
    }


def _add(target: Document, row: Document, fee_band: str | None) -> None:
    target["reporters"] += row["reporters"]
    for name in questionnaire.current().indicators:
        target["indicators"][name]["yes"] += row[f"{name}_yes"]
        target["indicators"][name]["no"] += row[f"{name}_no"]
    if fee_band is not None:
        bands = target["fee_bands"]
        bands[fee_band] = bands.get(fee_band, 0) + row["reporters"]
    target["recommend_sum"] += row["recommend_sum"]
    target["recommend_count"] += row["recommend_count"]


def _listed(cells: dict[tuple[str, str], Document], dim: str) -> list[Document]:
    return [{"key": value, **body} for (d, value), body in sorted(cells.items()) if d == dim]


def _summary(recruiter_id: str, body: Document) -> Summary:
    return Summary(
        recruiter_id=recruiter_id,
        reporters=body["reporters"],
        indicators={
            name: YesNo(yes=counts["yes"], no=counts["no"])
            for name, counts in body["indicators"].items()
        },
        fee_bands=dict(body["fee_bands"]),
        recommend_sum=body["recommend_sum"],
        recommend_count=body["recommend_count"],
    )
