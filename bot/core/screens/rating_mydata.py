"""The ratings part of ``/mydata``: the consent given and each rating kept, in plain
words, and taking the consent back.

Withdrawing deletes the ratings given under the consent and the consent itself,
and keeps the rest (language, countries), so someone who regrets rating need
not erase everything with ``/forget``.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from bot.core.context import MENU, Ctx
from bot.core.effects import WithdrawConsent
from bot.core.messages import Choice
from bot.core.screens import agency_list
from recruiter_reports.ratings import Ratings
from recruiter_reports.registry import is_pending_id

WITHDRAW = "withdraw"


async def lines(ctx: Ctx) -> list[str]:
    """What the ratings keep about this person (nothing at all when they never rated)."""
    t = ctx.t
    found: list[str] = []
    consent = await ctx.ratings.consent(ctx.pseudonym) if ctx.ratings else None
    if consent is not None:
        found.append(
            t("You agreed to the rating rules (version {version}) on {date}.",
              version=consent.version, date=_date(ctx, consent.given_at))
        )  # fmt: skip
    for stored in await ctx.ratings.reports_of(ctx.pseudonym) if ctx.ratings else []:
        report = stored.report
        if is_pending_id(report.recruiter_id):
            registries = ctx.ratings.registries if ctx.ratings else {}
            if agency_list.is_example(registries.get(report.recruiter_id[:2])):
                agency = t("an agency that is not in the list")
            else:
                agency = t("an agency that is not in the official list")
            if report.agency_name:  # the name as typed (scrubbed) is kept: say so
                agency += f" (“{report.agency_name}”)"
        else:
            known = ctx.ratings.recruiter(report.recruiter_id) if ctx.ratings else None
            agency = (
                known.name
                if known is not None
                else t("the agency with licence {number}", number=report.recruiter_id[3:])
            )
        line = t("Your rating of {agency}, made on {date}.", agency=agency,
                 date=_date(ctx, report.created_at))  # fmt: skip
        if stored.held:
            line += " " + t("It is waiting for a check by our team.")
        if report.comment:
            line += " " + t("It has a comment that only our team reads.")
        if report.broker:
            line += " " + t("It names the sub-agent or broker “{name}”.", name=report.broker)
        found.append(line)
    if isinstance(ctx.session.flow.get("rate"), dict):
        found.append(t("An unfinished rating (deleted after one day)."))
    return found


async def actions(ctx: Ctx) -> list[Choice]:
    """The button to withdraw consent, for someone who gave it."""
    if ctx.ratings is None or await ctx.ratings.consent(ctx.pseudonym) is None:
        return []
    return [Choice(WITHDRAW, "↩️ " + ctx.t("Withdraw consent"))]


async def withdraw(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    """``withdraw``: say what it deletes, then ``withdraw:yes`` does it."""
    if await service.consent(ctx.pseudonym) is None:
        ctx.say(ctx.t("You have not agreed to the rating rules, so there is nothing to withdraw."))
        return
    if args != ["yes"]:
        ctx.say(
            ctx.t(
                "This deletes your agreement to the rating rules and every rating you made. "
                "The totals will not count your ratings any more. Your language and "
                "countries are kept. Withdraw?"
            ),
            [
                Choice(f"{WITHDRAW}:yes", "↩️ " + ctx.t("Yes, withdraw")),
                Choice(MENU, "↩️ " + ctx.t("No, keep it")),
            ],
            home=False,
        )
        return
    ctx.emit(WithdrawConsent())
    ctx.session.flow.pop("rate", None)
    ctx.say(
        ctx.t(
            "Done. Your agreement and your ratings are deleted. If you rate an agency "
            "later, we will ask you again."
        )
    )


def _date(ctx: Ctx, moment: dt.datetime) -> str:
    return ctx.t.isolate(format_date(moment.date(), format="medium", locale=ctx.locale))
