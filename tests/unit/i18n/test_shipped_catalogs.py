"""The catalogs we ship in ``locales/``: complete, loadable, and fit for small phone screens.

The other i18n tests use small fixture catalogs; these read the real ones, so
a string added to the code without a Swahili, Nepali or Arabic text, a button
label too long for WhatsApp, or a translation that lost a slash command is
caught before a user sees it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import CatalogError, Catalogs, catalog_path, extract_messages, missing_translations

ROOT = Path(__file__).resolve().parents[3]
LOCALES_DIR = ROOT / "locales"
SHIPPED = ("en", "sw", "ne", "ar")
TRANSLATED = ("sw", "ne", "ar")

BUTTON_MAX = 18
"""WhatsApp buttons hold 20 characters and the screens put an icon and a space first."""

BUTTON_LABELS = (
    # bot/core/context.py: on every menu
    "Help now",
    "Menu",
    # bot/core/screens/directory.py, guides.py
    "Back",
    "Next page",
    # bot/core/screens/privacy.py
    "What you keep",
    "Delete my data",
    "Yes, delete",
    "No, keep it",
    # bot/core/screens/sos.py
    "More help",
    # bot/core/screens/report_help.py
    "Make a complaint",
    # bot/core/screens/ratings.py, agency_summary.py
    "Check an agency",
    "Rate an agency",
    "Search again",
    "Not in the list",
    "Rate this agency",
    "Check another",
    # bot/core/screens/rating_questions.py, rating_steps.py, fees.py
    "Yes, I agree",
    "No, thanks",
    "Send",
    "Start again",
    "Prefer not to say",
    "Another country",
    "Yes",
    "No",
    "Skip",
    "I paid nothing",
    # bot/channels/whatsapp/channel.py: the list button and the "more" row
    "Choose",
    "More",
)
"""Every msgid shown as a button label; keep in sync with the screens."""

_SLASH_COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")
_EMOJI = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff]")


@pytest.fixture(scope="module")
def shipped() -> Catalogs:
    return Catalogs.load(LOCALES_DIR, "en")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract_messages([ROOT / "bot", ROOT / "recruiter_reports"])


def _translations(locale: str) -> dict[str, str]:
    """Every singular msgid with its non-empty msgstr, straight from the PO file."""
    with catalog_path(LOCALES_DIR, locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {
        message.id: message.string
        for message in catalog
        if message.id and isinstance(message.id, str) and isinstance(message.string, str)
        if message.string
    }


def test_shipped_catalogs_load_without_errors() -> None:
    try:
        catalogs = Catalogs.load(LOCALES_DIR, "en")
    except CatalogError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"locales/ does not load: {exc}")
    assert set(SHIPPED) <= set(catalogs.locales)


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_ui_string_is_in_the_language(
    shipped: Catalogs, template: Catalog, locale: str
) -> None:
    missing = missing_translations(shipped, template)[locale]
    assert missing == [], (
        f"{locale}: run `python -m bot.i18n` and translate these strings: {missing}"
    )


def test_button_labels_are_still_button_strings(template: Catalog) -> None:
    """A renamed button would leave this list checking a string nobody sees."""
    extracted = {message.id for message in template if isinstance(message.id, str)}
    assert [label for label in BUTTON_LABELS if label not in extracted] == []


@pytest.mark.parametrize("locale", SHIPPED)
def test_button_labels_fit_a_whatsapp_button(shipped: Catalogs, locale: str) -> None:
    t = shipped.translator(locale)
    too_long = {label: t(label) for label in BUTTON_LABELS if len(t(label)) > BUTTON_MAX}
    assert too_long == {}


def test_arabic_reads_right_to_left_and_the_others_do_not(shipped: Catalogs) -> None:
    assert shipped.translator("ar").rtl is True
    assert [code for code in ("en", "sw", "ne") if shipped.translator(code).rtl] == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_are_not_english(shipped: Catalogs, locale: str) -> None:
    """A translator seeing the bot in Swahili must not meet the English menu."""
    t = shipped.translator(locale)
    assert t("Help now") != "Help now"
    assert t("Choose your language:") != "Choose your language:"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_commands_emoji_and_lines(locale: str) -> None:
    """/sos must stay typeable, the 🆘 must stay visible, and bullet lists stay lists."""
    problems = []
    for msgid, msgstr in _translations(locale).items():
        if sorted(_SLASH_COMMAND.findall(msgid)) != sorted(_SLASH_COMMAND.findall(msgstr)):
            problems.append(f"slash commands differ: {msgid!r}")
        if sorted(_EMOJI.findall(msgid)) != sorted(_EMOJI.findall(msgstr)):
            problems.append(f"emoji differ: {msgid!r}")
        if msgid.count("\n") != msgstr.count("\n") or msgid.count("•") != msgstr.count("•"):
            problems.append(f"lines or bullets differ: {msgid!r}")
    assert problems == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_comment_question_names_the_skip_button_as_it_is_shown(
    shipped: Catalogs, locale: str
) -> None:
    t = shipped.translator(locale)
    question = t(
        "Is there anything else other workers should know? Type it now, or tap Skip. "
        "Only our team reads it. Please do not write names or phone numbers."
    )
    assert t("Skip") in question
