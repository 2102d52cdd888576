"""Turning disclosed figures into words, JSON and CSV rows: formatting only, no arithmetic.

A withheld figure is ``null`` in JSON, empty in CSV, and a reason in words on
a page; what is shown is exactly what ``disclosure`` returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.fees import BandRange
from bot.i18n import Translator
from bot.web.followups.figures import PROMISE_COLUMNS, PromiseFigure, promise_cells
from bot.web.portal.data import Agency
from bot.web.portal.fee_law import FeeLaw, LegalRule
from recruiter_reports import questionnaire
from recruiter_reports.disclosure import Disclosed, Withheld
from recruiter_reports.names import Broker
from recruiter_reports.replies import PublicReply

__all__ = [
    "agency_json",
    "brokers_json",
    "csv_columns",
    "csv_row",
    "disclosed_json",
    "fee_law_json",
    "indicator_labels",
    "percent",
    "reply_json",
    "rules_json",
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


def disclosed_json(
    disclosed: Disclosed, fees: FeeLaw | None = None, band: BandRange | None = None
) -> dict[str, Any]:
    """The API's view of a disclosed group: null values carry a ``withheld`` reason.

    ``fees`` (the group's fees against the law) adds ``fee_law`` and the typical
    band's amounts; ``band`` gives the amounts alone (the overview).
    """
    if not disclosed.shown:
        return {"shown": False, "withheld": _reason(disclosed.withheld), "reporters": None,
                "indicators": {name: {"share": None, "answered": None,
                                      "withheld": _reason(disclosed.withheld)}
                               for name in questionnaire.current().indicators},
                "recommend": None, "typical_fee_band": None,
                "fee_law": None if fees is None else fee_law_json(fees)}  # fmt: skip
    band = fees.band if fees is not None and band is None else band
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
            "band": fee.band, **_amounts(band if fee.band is not None else None),
            "paid_share": fee.paid, "answered": fee.answered,
            "withheld": _reason(fee.withheld)},
        "fee_law": None if fees is None else fee_law_json(fees),
    }  # fmt: skip


def _amounts(band: BandRange | None) -> dict[str, Any]:
    if band is None:
        return {"currency": None, "min": None, "max": None}
    return {"currency": band.currency, "min": band.low, "max": band.high}


def fee_law_json(fees: FeeLaw) -> dict[str, Any]:
    """Shares of those who said what they paid, against the legal limit of each report."""
    return {
        "above_limit_share": fees.above, "straddles_limit_share": fees.straddles,
        "unknown_limit_share": fees.unknown, "answered": fees.answered,
        "withheld": _reason(fees.withheld),
    }  # fmt: skip


def rules_json(rules: tuple[LegalRule, ...] | list[LegalRule]) -> list[dict[str, Any]]:
    """Each country's fee rule with the source it rests on (the text in English)."""
    return [
        {"country": rule.country, "kind": rule.kind.value, "cap": rule.cap,
         "currency": rule.currency if rule.cap is not None else None,
         "text": rule.words("en"), "confidence": rule.confidence,
         "source": {"title": rule.source_title, "url": rule.source_url,
                    "date": rule.source_date}}
        for rule in rules
    ]  # fmt: skip


def rules_text(rules: tuple[LegalRule, ...] | list[LegalRule]) -> str:
    """The rules in one CSV cell: "QA none (title, url, date); NP cap NPR 10000 (...)"."""
    parts = []
    for rule in rules:
        limit = f" {rule.currency} {rule.cap}" if rule.cap is not None else ""
        source = ", ".join(x for x in (rule.source_title, rule.source_url, rule.source_date) if x)
        parts.append(f"{rule.country} {rule.kind.value}{limit} ({source})")
    return "; ".join(parts)


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


def reply_json(reply: PublicReply | None) -> dict[str, Any] | None:
    """The agency's approved public reply and the day it was written; None: no reply."""
    if reply is None:
        return None
    return {"text": reply.text, "written_at": reply.written_at.date().isoformat()}


def _chain(brokers: Sequence[Broker]) -> str:
    return "; ".join(f"{broker.name} ({broker.reporters})" for broker in brokers)


def csv_columns() -> tuple[str, ...]:
    """The export's header: one share column per indicator of the questionnaire."""
    return (
        "id", "name", "origin", "destination", "licence_no", "licence_status",
        "not_in_official_list", "reporters",
        *(f"{name}_share" for name in questionnaire.current().indicators),
        "recommend_average", "paid_fee_share", "typical_fee_band",
        "typical_fee_currency", "typical_fee_min", "typical_fee_max",
        "above_legal_limit_share", "straddles_legal_limit_share", "unknown_legal_limit_share",
        "legal_rules", "broker_chain", "agency_reply", "agency_reply_written_at",
        *PROMISE_COLUMNS, "since", "until", "quarter", "withheld",
    )  # fmt: skip


def csv_row(
    agency: Agency,
    destination: str | None,
    disclosed: Disclosed,
    brokers: Sequence[Broker] = (),
    fees: FeeLaw | None = None,
    rules: tuple[LegalRule, ...] = (),
    reply: PublicReply | None = None,
    period: tuple[str, str] = ("", ""),
    promise: PromiseFigure | None = None,
    quarter: str = "",
) -> list[str]:
    """One export line; withheld figures are empty cells, the reason in the last column.

    The broker chain is "name (workers); name (workers)", only brokers named by ``k`` or more.
    ``period`` is the first and last quarter counted (empty: open-ended). ``promise``
    (promise against reality, whole agency, every check-in) has its own reason column.
    ``quarter`` marks a row of one quarter's figures (empty: the whole period's row).
    """
    data = disclosed_json(disclosed, fees)
    law = data["fee_law"] or {}
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
        _cell(fee.get("band")),
        _cell(fee.get("currency")), _cell(fee.get("min")), _cell(fee.get("max")),
        _cell(law.get("above_limit_share")), _cell(law.get("straddles_limit_share")),
        _cell(law.get("unknown_limit_share")), rules_text(rules),
        _chain(brokers), reply.text if reply else "",
        reply.written_at.date().isoformat() if reply else "", *promise_cells(promise),
        *period, quarter, " ".join(reasons),
    ]  # fmt: skip


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _reason(reason: Withheld | None) -> str | None:
    return None if reason is None else reason.value
