"""Maintainer tooling: strings found in the code reach every catalog, translations survive."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import Catalogs, extract_messages, missing_translations, update_catalogs
from bot.i18n.__main__ import main

SAMPLE = """
def menu(t, n, user_text):
    # TRANSLATORS: the title above the main buttons
    title = t("Main menu")
    count = t("You have {n} report", n=n)
    reports = t.plural("{n} report", "{n} reports", n)
    longer = t("Call us "
               "any time")
    ignored = t(f"{user_text}")
    print("not a UI string")
    return title, count, reports, longer, ignored
"""


def _template(tmp_path: Path, source: str = SAMPLE) -> Catalog:
    package = tmp_path / "app"
    package.mkdir(exist_ok=True)
    (package / "screens.py").write_text(source, encoding="utf-8")
    return extract_messages([package])


def _messages(catalog: Catalog) -> dict[object, object]:
    return {m.id: m for m in catalog if m.id}


def test_extract_finds_t_and_t_plural(tmp_path: Path) -> None:
    messages = _messages(_template(tmp_path))
    assert set(messages) == {
        "Main menu",
        "You have {n} report",
        ("{n} report", "{n} reports"),
        "Call us any time",
    }


def test_extract_keeps_location_and_translator_comment(tmp_path: Path) -> None:
    message = _messages(_template(tmp_path))["Main menu"]
    assert message.locations == [("app/screens.py", 4)]
    assert message.auto_comments == ["the title above the main buttons"]


def test_extract_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        extract_messages([tmp_path / "nowhere"])


def test_update_creates_catalogs_with_each_language_plural_rule(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    update_catalogs(locales, _template(tmp_path), ["en", "ar", "sw"])
    assert 'msgid "Main menu"' in (locales / "bot.pot").read_text(encoding="utf-8")
    ar = (locales / "ar" / "LC_MESSAGES" / "bot.po").read_text(encoding="utf-8")
    assert "Plural-Forms: nplurals=6;" in ar
    assert "msgstr[5]" in ar
    sw = (locales / "sw" / "LC_MESSAGES" / "bot.po").read_text(encoding="utf-8")
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in sw
    catalogs = Catalogs.load(locales, "en")
    assert catalogs.locales == ("en", "ar", "sw")
    missing = missing_translations(catalogs, _template(tmp_path))
    assert missing["en"] == []
    assert set(missing["ar"]) == {
        "Main menu",
        "You have {n} report",
        "{n} report",
        "Call us any time",
    }


def _translate(po: Path, msgid: str, msgstr: str, *, fuzzy: bool = False) -> None:
    text = po.read_text(encoding="utf-8")
    old = f'msgid "{msgid}"\nmsgstr ""\n'
    assert old in text
    flag = "#, fuzzy\n" if fuzzy else ""
    po.write_text(
        text.replace(old, f'{flag}msgid "{msgid}"\nmsgstr "{msgstr}"\n'), encoding="utf-8"
    )


def test_update_keeps_translations_and_adds_new_strings(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    update_catalogs(locales, _template(tmp_path), ["en", "sw"])
    po = locales / "sw" / "LC_MESSAGES" / "bot.po"
    _translate(po, "Main menu", "Menyu kuu")
    _translate(po, "Call us any time", "Tupigie wakati wowote", fuzzy=True)

    changed = SAMPLE.replace('t("Main menu")', 't("Main menu")\n    back = t("Back")')
    changed = changed.replace('"You have {n} report"', '"Your reports"')
    new_template = _template(tmp_path, changed)
    update_catalogs(locales, new_template, ["en", "sw"])

    sw = Catalogs.load(locales, "en").translator("sw")
    assert sw("Main menu") == "Menyu kuu"
    assert sw("Call us any time") == "Tupigie wakati wowote"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Back"' in text
    with po.open("rb") as handle:
        active = {m.id for m in read_po(handle) if m.id}
    assert "You have {n} report" not in active
    assert "Your reports" in active
    catalogs = Catalogs.load(locales, "en")
    assert "Back" in missing_translations(catalogs, new_template)["sw"]
    assert catalogs.coverage(new_template)["sw"].fuzzy == 1


def test_changed_english_is_not_shown_with_the_old_translation(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    update_catalogs(locales, _template(tmp_path), ["en", "sw"])
    po = locales / "sw" / "LC_MESSAGES" / "bot.po"
    _translate(po, "Call us any time", "Tupigie wakati wowote")

    changed = _template(tmp_path, SAMPLE.replace('"any time"', '"any time, day or night"'))
    update_catalogs(locales, changed, ["en", "sw"])
    text = po.read_text(encoding="utf-8")
    assert '#| msgid "Call us any time"' in text

    catalogs = Catalogs.load(locales, "en")
    sw = catalogs.translator("sw")
    assert sw("Call us any time, day or night") == "Call us any time, day or night"
    assert "Call us any time, day or night" in missing_translations(catalogs, changed)["sw"]

    # a second run changes nothing and keeps the "#|" marker for gettext tools
    update_catalogs(locales, changed, ["en", "sw"])
    assert po.read_text(encoding="utf-8") == text


def test_missing_translations_of_the_fixture_catalogs(catalogs: Catalogs) -> None:
    template = Catalog()
    for msgid in ("Main menu", "Call {number} for help", "Choose a topic"):
        template.add(msgid)
    template.add(("{n} report", "{n} reports"))
    assert missing_translations(catalogs, template) == {
        "en": [],
        "ar": ["Choose a topic"],
        "ne": ["Choose a topic"],
        "sw": ["Choose a topic", "{n} report"],
    }


def test_check_command_fails_while_strings_are_untranslated(
    tmp_path: Path, fixture_locales: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _template(tmp_path)
    before = sorted(p.read_bytes() for p in fixture_locales.rglob("*.po"))
    args = ["--check", "--locales-dir", str(fixture_locales), "--source", str(tmp_path / "app")]
    assert main(args) == 1
    assert sorted(p.read_bytes() for p in fixture_locales.rglob("*.po")) == before
    assert "sw: no translation for 'You have {n} report'" in capsys.readouterr().err
