"""The ratings lines of ``/mydata``: the consent given and each rating kept, in plain words."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from bot.core.context import Ctx
from recruiter_reports.registry import is_pending_id


async def lines(ctx: Ctx) -> list[str]:
    """What the ratings keep about this person (nothing at all when they never rated)."""
    t = ctx.t
    found: list[str] = []
    consent = await ctx.store.consent(ctx.pseudonym)
    if consent is not None:
        found.append(
            t("You agreed to the rating rules (version {version}) on {date}.",
              version=consent.version, date=_date(ctx, consent.given_at))
        )  # fmt: skip
    for stored in await ctx.store.reports_of(ctx.pseudonym):
        report = stored.report
        if is_pending_id(report.recruiter_id):
            agency = t("an agency that is not in the official list")
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
        found.append(line)
    if isinstance(ctx.session.flow.get("rate"), dict):
        found.append(t("An unfinished rating (deleted after one day)."))
    return found


def _date(ctx: Ctx, moment: dt.datetime) -> str:
    return ctx.t.isolate(format_date(moment.date(), format="medium", locale=ctx.locale))
