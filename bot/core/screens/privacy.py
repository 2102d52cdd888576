"""About and privacy, ``/mydata`` and ``/forget``.

What we keep is said in plain words, and erasing it takes two taps. Other
features that keep data about a person add a line to ``/mydata`` through
``MYDATA_SECTIONS`` and erase it with the ``Forget`` effect.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.context import MENU, Ctx
from bot.core.effects import Forget
from bot.core.messages import Choice
from bot.core.screens import case_mydata, discreet, followups, rating_mydata
from bot.i18n import language_name

MYDATA_SECTIONS: list[Callable[[Ctx], Awaitable[list[str]]]] = [
    rating_mydata.lines,
    case_mydata.lines,
    discreet.mydata_lines,
    followups.lines,
]
"""Each returns lines describing what one feature keeps about the person."""
MYDATA_ACTIONS: list[Callable[[Ctx], Awaitable[list[Choice]]]] = [
    rating_mydata.actions,
    case_mydata.actions,
    discreet.mydata_actions,
    followups.actions,
]
"""Each returns the buttons that let the person take back part of what is kept."""


async def about(ctx: Ctx, args: list[str]) -> None:
    ctx.say(
        ctx.t(
            "This service gives free information to people who work or look for work "
            "abroad. It is run by people who defend migrant workers' rights. It does not "
            "recruit and never asks you for money."
        ),
        home=False,
    )
    ctx.say(
        ctx.t(
            "Your privacy: we never keep your phone number, your name or your account. "
            "We keep only a code made from your account, the language and countries you "
            "chose, and where you are in the conversation (deleted after 30 days without "
            "use). If you rate an agency, we keep your answers and your agreement to the "
            "rating rules, under the same code; others only ever see totals. "
            "Type /mydata to see it, and /forget to delete it."
        ),
        [
            Choice("mydata", "📋 " + ctx.t("What you keep")),
            Choice("forget", "🗑️ " + ctx.t("Delete my data")),
        ],
    )


async def mydata(ctx: Ctx, args: list[str]) -> None:
    session = ctx.session
    unknown = ctx.t("not chosen")
    lines = [
        ctx.t("What this service keeps about you:"),
        "• " + ctx.t("Language: {language}", language=language_name(ctx.locale)),
        "• "
        + ctx.t(
            "Country of work: {country}",
            country=ctx.country_name(session.destination) if session.destination else unknown,
        ),
        "• "
        + ctx.t(
            "Home country: {country}",
            country=ctx.country_name(session.origin) if session.origin else unknown,
        ),
        "• " + ctx.t("Where you are in the conversation, for 30 days."),
    ]
    for section in MYDATA_SECTIONS:
        lines += ["• " + line for line in await section(ctx)]
    lines.append(ctx.t("We do not keep your phone number, name or account."))
    choices: list[Choice] = []
    for actions in MYDATA_ACTIONS:
        choices += await actions(ctx)
    choices.append(Choice("forget", "🗑️ " + ctx.t("Delete my data")))
    ctx.say("\n".join(lines), choices)


async def forget(ctx: Ctx, args: list[str]) -> None:
    if args == ["yes"]:
        ctx.emit(Forget())  # the runner erases, and saves nothing after this turn
        ctx.say(
            ctx.t(
                "Done. Everything we kept about you is deleted. "
                "Send any message to start again."
            ),
            end=True,
        )
        return
    ctx.say(
        ctx.t(
            "This deletes everything this service keeps about you. It cannot be undone. "
            "Delete everything?"
        ),
        [
            Choice("forget:yes", "🗑️ " + ctx.t("Yes, delete")),
            Choice(MENU, "↩️ " + ctx.t("No, keep it")),
        ],
        home=False,
    )


ROUTES = {"about": about, "mydata": mydata, "forget": forget}
