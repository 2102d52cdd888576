"""What other workers said about one agency, as disclosure control allows it.

Numbers come only from ``disclosure.disclose`` (through the ratings service):
below ``MIN_REPORTERS`` people the screen says only that not enough workers
have rated it (never how many, nor how many more are needed). The words are short and each
figure has a sign, for people who do not read easily. The agency's own approved
reply, if it wrote one, follows the figures with its date (a right of reply).
"""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.core.screens import agency_list, fees
from bot.core.screens.sourcing import dated
from recruiter_reports.disclosure import Average, Disclosed, Share, TypicalFee
from recruiter_reports.ratings import Ratings
from recruiter_reports.registry import LicenceStatus, Recruiter, Registry, is_pending_id
from recruiter_reports.reports import NO_FEE

_ICONS = {
    "receipt_full_amount": "🧾",
    "receipt_below_paid": "🧾",
    "no_receipt": "🚫",
    "job_as_promised": "💼",
    "contract_substituted": "📝",
    "passport_kept": "🛂",
    "orientation": "🎓",
}


async def show(service: Ratings, ctx: Ctx, recruiter: Recruiter, status: str) -> None:
    origin = recruiter.country
    disclosed = await service.disclosed(recruiter.id, fees.band_ids(ctx, origin))
    registry = service.registries.get(origin)
    lines = [f"🏢 {recruiter.name}", _licence(ctx, recruiter, status, registry)]
    if recruiter.example:
        lines.append(ctx.t("(This is an example agency, not a real one.)"))
    about = agency_list.note(ctx, registry)
    if about:
        lines.append(about)
    lines.append("")
    if not disclosed.shown:
        # Never how many more are needed: that would tell how many rated.
        lines.append(
            ctx.t.plural(
                "Not enough workers have rated this agency yet. We show the results when "
                "at least {n} worker has rated it.",
                "Not enough workers have rated this agency yet. We show the results when "
                "at least {n} workers have rated it.",
                disclosed.k,
            )
        )
    else:
        lines += _figures(ctx, disclosed, origin)
    reply = await service.reply(recruiter.id)
    if reply is not None:
        # The agency's own words beside the figures (moderated), with the day it wrote them.
        lines += ["", "💬 " + ctx.t("The agency's reply ({date}):",
                                    date=reply.written_at.date().isoformat()), reply.text]
    unnamed = is_pending_id(recruiter.id) and await service.unlisted(recruiter.id) is None
    rate_id = "unlisted:rate" if unnamed else f"pick:rate:{recruiter.id}"
    ctx.say(
        "\n".join(lines),
        [
            Choice(rate_id, "⭐ " + ctx.t("Rate this agency")),
            Choice("check", "🔎 " + ctx.t("Check another")),
        ],
    )


def _licence(ctx: Ctx, recruiter: Recruiter, status: str, registry: Registry | None) -> str:
    if recruiter.status is LicenceStatus.NOT_LISTED:
        if agency_list.is_example(registry):
            return ctx.t(
                "❔ This agency is not in this list. It is an example list, not the official "
                "one: this says nothing about the agency's licence."
            )
        return ctx.t("⚠️ This agency is not in the official list of licensed agencies.")
    if recruiter.status is LicenceStatus.DEREGISTERED:
        line = status + "\n" + ctx.t(
            "⚠️ The government named this agency among those deregistered or refused "
            "registration."
        )
        if recruiter.source:
            date = recruiter.as_of.isoformat() if recruiter.as_of else None
            line += "\n" + ctx.t("Source: {source}", source=dated(ctx, recruiter.source, date))
        return line
    line = ctx.t("Licence {number}: {status}", number=recruiter.licence_no, status=status)
    if recruiter.status is LicenceStatus.INVALID:
        line += "\n" + ctx.t("⚠️ The official list shows this agency's licence as not valid.")
    elif recruiter.status is LicenceStatus.REVOKED:
        line += "\n" + ctx.t("⚠️ The government took away this agency's licence.")
    elif recruiter.status is LicenceStatus.EXPIRED:
        line += "\n" + ctx.t("⚠️ This agency's licence has expired.")
    return line


def _figures(ctx: Ctx, disclosed: Disclosed, origin: str) -> list[str]:
    t = ctx.t
    reporters = disclosed.reporters or 0
    lines = [
        t.plural(
            "{n} worker rated this agency. What they said:",
            "{n} workers rated this agency. What they said:",
            reporters,
        )
    ]
    fee = disclosed.fee
    if fee is not None and fee.paid is not None:
        paid = Share(share=fee.paid, answered=fee.answered)
        lines.append("💰 " + t("Paid a fee to get the job") + ": " + _share(ctx, paid))
    lines.append("💰 " + _fee(ctx, fee, origin))
    questions = {
        "receipt_full_amount": t("Got a receipt for the full amount they paid"),
        "receipt_below_paid": t("Got a receipt showing less than they paid"),
        "no_receipt": t("Got no receipt for what they paid"),
        "job_as_promised": t("Got the job and the salary they were promised"),
        "contract_substituted": t("Had to sign a different contract on arrival"),
        "passport_kept": t("Had their passport taken and kept"),
        "orientation": t("Got training before leaving (orientation)"),
    }
    for name, question in questions.items():
        lines.append(f"{_ICONS[name]} {question}: {_share(ctx, disclosed.indicators.get(name))}")
    lines.append("⭐ " + _recommend(ctx, disclosed.recommend))
    lines.append(t("We never show who said what."))
    return lines


def _share(ctx: Ctx, share: Share | None) -> str:
    if share is None or share.share is None or share.answered is None:
        return ctx.t("not enough answers yet")
    return ctx.t(
        "{percent}% said yes (of {answered} who answered)",
        percent=ctx.t.number(round(share.share * 100)),
        answered=ctx.t.number(share.answered),
    )


def _fee(ctx: Ctx, fee: TypicalFee | None, origin: str) -> str:
    if fee is None or fee.band is None:
        return ctx.t("Fees paid: not enough answers yet")
    if fee.band == NO_FEE:
        return ctx.t("Most paid no fee")
    return ctx.t("Typical fee paid: {band}", band=fees.band_label(ctx, origin, fee.band))


def _recommend(ctx: Ctx, recommend: Average | None) -> str:
    if recommend is None or recommend.average is None:
        return ctx.t("Would recommend it: not enough answers yet")
    return ctx.t(
        "Would recommend it: {average} out of 5", average=ctx.t.number(recommend.average)
    )
