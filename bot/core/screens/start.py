"""First contact, the language picker, the main menu and the how-to."""

from __future__ import annotations

from bot.core import navigation
from bot.core.context import MENU, SOS, Ctx
from bot.core.messages import Choice
from bot.core.screens import sos
from bot.i18n import language_name


async def welcome(ctx: Ctx, args: list[str]) -> None:
    """``/start``: who we are in two sentences, then the languages."""
    ctx.say(
        ctx.t(
            "Welcome. This is a free and anonymous service for people who look for work "
            "abroad: your rights, who to call for help, and which recruitment agencies "
            "you can trust."
        ),
        home=False,
    )
    await choose_language(ctx, args)


async def choose_language(ctx: Ctx, args: list[str]) -> None:
    """Every offered language by its own name; the one we guessed comes first."""
    offered = list(ctx.content.site.locales)
    offered.sort(key=lambda code: code != ctx.locale)
    choices = [Choice(f"lang:{code}", language_name(code)) for code in offered]
    ctx.say(ctx.t("Choose your language:"), choices, home=False)


def language_named(ctx: Ctx, text: str) -> str | None:
    """An offered locale whose own name or code someone typed ("Kiswahili", "sw")."""
    wanted = text.strip().casefold()
    for code in ctx.content.site.locales:
        if wanted in (code.casefold(), language_name(code).casefold()):
            return code
    return None


async def set_language(ctx: Ctx, args: list[str]) -> None:
    code = args[0] if args else ""
    if code not in ctx.content.site.locales:
        await choose_language(ctx, [])
        return
    ctx.use_locale(code)
    ctx.session.flow.pop(sos.GUESSED, None)
    if len(args) > 1 and args[1] == SOS:  # switched from the SOS card: show it again
        await sos.sos(ctx, [sos.NO_COUNTRY, *args[2:3]])
        return
    await main_menu(ctx, [])


def _menu(ctx: Ctx) -> list[Choice]:
    """The main menu, in order, with "Help now" last. Labels are literal ``t("...")``
    calls so that the catalog update finds them."""
    t = ctx.t
    return [
        Choice("guides", "📖 " + t("Country guides")),
        Choice("rights", "⚖️ " + t("My rights")),
        Choice("find", "📞 " + t("Find help")),
        Choice("check", "🔎 " + t("Check an agency")),
        Choice("rate", "⭐ " + t("Rate an agency")),
        Choice("fu", "🗓️ " + t("Check-ins later")),
        Choice("search", "🔍 " + t("Search")),
        Choice("language", "🌐 " + t("Language")),
        Choice("about", "ℹ️ " + t("About and privacy")),
        ctx.sos_choice(),
    ]


async def main_menu(ctx: Ctx, args: list[str]) -> None:
    if ctx.session.locale is None:
        ctx.session.locale = ctx.locale
    navigation.reset(ctx)
    ctx.say(ctx.t("What do you need? Tap a button."), _menu(ctx), home=False)


async def usage(ctx: Ctx, args: list[str]) -> None:
    """``/help``: how to use the bot, in a few lines."""
    ctx.say(
        ctx.t(
            "How to use this service:\n"
            "• Tap a button, or type its number.\n"
            "• Type a few words to search, for example: salary, passport, fees.\n"
            "• Type /sos at any time for emergency numbers.\n"
            "• Type /menu to come back to the start.\n"
            "• Type /forget to delete everything we keep about you."
        )
        + "\n• "
        + ctx.t("Type /exit to hide this chat at once: a plain page takes its place."),
        [Choice(MENU, "🏠 " + ctx.t("Menu")), Choice(SOS, "🆘 " + ctx.t("Help now"))],
        home=False,
    )


ROUTES = {
    "start": welcome,
    "language": choose_language,
    "lang": set_language,
    MENU: main_menu,
    "usage": usage,
}
