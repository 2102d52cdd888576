"""The cases part of ``/mydata``: each open case, and taking the consent for it back.

Withdrawing closes the case (the caseworkers see that the person withdrew);
``/forget`` erases every case's content and leaves only that marker.
"""

from __future__ import annotations

from babel.dates import format_date

from bot.core.context import Ctx
from bot.core.messages import Choice


async def lines(ctx: Ctx) -> list[str]:
    """One line per open case: its number, the partner, when it opened, how many messages."""
    if ctx.cases is None:
        return []
    found = []
    for case in await ctx.cases.cases_of(ctx.pseudonym):
        partner = ctx.content.partner(case.partner_id)
        found.append(
            ctx.t(
                "Case {case} with {name}, opened on {date}: {count} messages, stored encrypted.",
                case=case.id,
                name=ctx.name(partner.name) if partner else case.partner_id,
                date=format_date(case.created_at.date(), format="medium", locale=ctx.locale),
                count=len(case.messages),
            )
        )
        if case.contact is not None:
            found.append(ctx.t("A contact you gave for case {case}, stored encrypted.",
                               case=case.id))  # fmt: skip
    return found


async def actions(ctx: Ctx) -> list[Choice]:
    if ctx.cases is None:
        return []
    choices = []
    for case in await ctx.cases.cases_of(ctx.pseudonym):
        choices.append(Choice(f"case:{case.id}", "💬 " + ctx.t("Case {case}", case=case.id)))
        choices.append(
            Choice(f"case:withdraw:{case.id}",
                   "↩️ " + ctx.t("Withdraw and close {case}", case=case.id))
        )  # fmt: skip
    return choices
