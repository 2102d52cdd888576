"""Turning disclosed figures into words, JSON and CSV rows: formatting only, no arithmetic.

A withheld figure is ``null`` in JSON, empty in CSV, and a reason in words on
a page; what is shown is exactly what ``disclosure`` returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.i18n import Translator
from bot.web.portal.data import Agency
from recruiter_reports import questionnaire
from recruiter_reports.disclosure import Disclosed, Withheld
from recruiter_reports.names import Broker

__all__ = [
    "agency_json",
    "brokers_json",
    "csv_columns",
    "csv_row",
    "disclosed_json",
    "indicator_labels",
    "percent",
    "withheld_reason",
]


def indicator_labels(t: Translator) -> dict[str, str]:
    """What each indicator means, in the reader's language (the questionnaire's labels)."""
    table = questionnaire.current()
    return {name: t(table.by_field(name).portal) for name in table.indicators}


def withheld_reason(t: Translator, reason: Withheld | None) -> str:
    if reason is Withheld.TOO_FEW_REPORTERS:
        return t("Not shown: too few workers reported")
    if reason is Withheld.TOO_FEW_ANSWERS:
        return t("Not shown: too few workers answered")
    if reason is Withheld.COMPLEMENTARY:
        return t("Not shown: it would reveal a smaller group")
    return ""


def percent(share: float | None) -> str:
    """``0.42`` -> ``"42%"`` (disclosure already rounded it to a whole percent)."""
    return "" if share is None else f"{round(share * 100)}%"


def disclosed_json(disclosed: Disclosed) -> dict[str, Any]:
    """The API's view of a disclosed group: null values carry a ``withheld`` reason."""
    if not disclosed.shown:
        return {"shown": False, "withheld": _reason(disclosed.withheld), "reporters": None,
                "indicators": {name: {"share": None, "answered": None,
                                      "withheld": _reason(disclosed.withheld)}
                               for name in questionnaire.current().indicators},
                "recommend": None, "typical_fee_band": None}  # fmt: skip
    indicators = {
        name: {"share": figure.share, "answered": figure.answered,
               "withheld": _reason(figure.withheld)}
        for name, figure in disclosed.indicators.items()
    }  # fmt: skip
    recommend = disclosed.recommend
    fee = disclosed.fee
    return {
        "shown": True,
        "withheld": None,
        "reporters": disclosed.reporters,
        "indicators": indicators,
        "recommend": None if recommend is None else {
            "average": recommend.average, "answered": recommend.answered,
            "withheld": _reason(recommend.withheld)},
        "typical_fee_band": None if fee is None else {
            "band": fee.band, "paid_share": fee.paid, "answered": fee.answered,
            "withheld": _reason(fee.withheld)},
    }  # fmt: skip


def agency_json(agency: Agency) -> dict[str, Any]:
    return {
        "id": agency.id,
        "name": agency.name,
        "origin": agency.origin,
        "licence_no": agency.licence_no,
        "licence_status": agency.status.value,
        "not_in_official_list": agency.unlisted,
        "example": agency.example,
    }


def brokers_json(brokers: Sequence[Broker]) -> list[dict[str, Any]]:
    """The broker chain: approved brokers, each named by at least ``k`` different workers."""
    return [{"name": broker.name, "reporters": broker.reporters} for broker in brokers]


def _chain(brokers: Sequence[Broker]) -> str:
    return "; ".join(f"{broker.name} ({broker.reporters})" for broker in brokers)


def csv_columns() -> tuple[str, ...]:
    """The export's header: one share column per indicator of the questionnaire."""
    return (
        "id", "name", "origin", "destination", "licence_no", "licence_status",
        "not_in_official_list", "reporters",
        *(f"{name}_share" for name in questionnaire.current().indicators),
        "recommend_average", "paid_fee_share", "typical_fee_band", "broker_chain", "withheld",
    )  # fmt: skip


def csv_row(
    agency: Agency, destination: str | None, disclosed: Disclosed, brokers: Sequence[Broker] = ()
) -> list[str]:
    """One export line; withheld figures are empty cells, the reason in the last column.

    The broker chain is "name (workers); name (workers)", only brokers named by ``k`` or more.
    """
    data = disclosed_json(disclosed)
    names = questionnaire.current().indicators
    shares = [_cell(data["indicators"][name]["share"]) for name in names]
    recommend = data["recommend"] or {}
    fee = data["typical_fee_band"] or {}
    reasons = sorted(
        {str(item["withheld"]) for item in data["indicators"].values() if item["withheld"]}
        | ({str(data["withheld"])} if data["withheld"] else set())
    )
    return [
        agency.id, agency.name, agency.origin, destination or "", agency.licence_no,
        agency.status.value, "yes" if agency.unlisted else "no", _cell(data["reporters"]),
        *shares, _cell(recommend.get("average")), _cell(fee.get("paid_share")),
        _cell(fee.get("band")), _chain(brokers), " ".join(reasons),
    ]  # fmt: skip


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _reason(reason: Withheld | None) -> str | None:
    return None if reason is None else reason.value
