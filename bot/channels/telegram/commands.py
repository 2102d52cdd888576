"""The "/" command menu Telegram shows next to the text field, in each language.

``setMyCommands`` takes one list per language code (and one for everyone
else), so a person whose Telegram speaks Swahili sees "/sos" explained in
Swahili before they have written anything. The commands are the engine's
(``bot.core.engine.COMMANDS``); the descriptions come from the UI catalogs.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Catalogs, Translator

MAX_DESCRIPTION = 256
"""Telegram's limit for a command's description."""

CommandMenu = tuple[str, tuple[tuple[str, str], ...]]


def _described(t: Translator) -> tuple[tuple[str, str], ...]:
    """(command without "/", description): the help first, as on every menu."""
    return (
        # TRANSLATORS: Telegram's "/" menu; a short line, 256 characters at most.
        ("sos", t("Help now: emergency numbers and who to call")),
        ("exit", t("Quick exit: delete this chat and show a plain page")),
        ("menu", t("Main menu")),
        ("check", t("Check a recruitment agency")),
        ("rate", t("Rate a recruitment agency, anonymously")),
        ("language", t("Change the language")),
        ("mydata", t("See what the bot keeps about you")),
        ("forget", t("Erase everything the bot keeps about you")),
        ("stop", t("No more check-ins")),
        ("privacy", t("About this bot and your privacy")),
        ("help", t("How to use this bot")),
    )


def command_menus(catalogs: Catalogs, locales: Sequence[str]) -> tuple[CommandMenu, ...]:
    """One menu per offered language, plus the default language's for everyone else ("")."""
    default = catalogs.translator(catalogs.default_locale)
    menus: list[CommandMenu] = [("", _fit(_described(default)))]
    for locale in locales:
        code = locale.split("-")[0].split("_")[0].lower()
        if len(code) == 2 and code != catalogs.default_locale:
            menus.append((code, _fit(_described(catalogs.translator(locale)))))
    return tuple(menus)


def _fit(commands: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, text[:MAX_DESCRIPTION] or name) for name, text in commands)
