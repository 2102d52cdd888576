"""What a user reads: translations, drafts, fallbacks, plural forms and numbers."""

from __future__ import annotations

import logging

import pytest
from babel.core import Locale

from bot.i18n import Catalogs, Translator

LRI, PDI = "\u2066", "\u2069"


def test_reviewed_translation_is_shown(catalogs: Catalogs) -> None:
    assert catalogs.translator("sw")("Main menu") == "Menyu kuu"
    assert catalogs.translator("ne")("Main menu") == "मुख्य मेनु"


def test_drafted_fuzzy_translation_is_shown(catalogs: Catalogs) -> None:
    sw = catalogs.translator("sw")
    assert sw("Call {number} for help", number="999") == "Piga 999 kupata msaada"


def test_untranslated_string_falls_back_to_the_default_locale(catalogs: Catalogs) -> None:
    # sw has an empty msgstr; en words it "Pick a topic"
    assert catalogs.translator("sw")("Choose a topic") == "Pick a topic"


def test_string_in_no_catalog_falls_back_to_the_msgid(catalogs: Catalogs) -> None:
    sw = catalogs.translator("sw")
    assert sw("Hello {name}", name="Amina") == "Hello Amina"
    assert catalogs.translator("en")("Main menu") == "Main menu"


def test_merged_fuzzy_entry_of_an_older_msgid_is_not_shown(catalogs: Catalogs) -> None:
    # sw's "{n} report" is "#, fuzzy" with "#| msgid" of a different English text
    assert catalogs.translator("sw").plural("{n} report", "{n} reports", 3) == "3 reports"


@pytest.mark.parametrize(("n", "expected"), [(1, "1 report"), (2, "2 reports"), (0, "0 reports")])
def test_english_plural(catalogs: Catalogs, n: int, expected: str) -> None:
    assert catalogs.translator("en").plural("{n} report", "{n} reports", n) == expected


def test_arabic_has_six_plural_forms(catalogs: Catalogs) -> None:
    ar = catalogs.translator("ar")
    shown = {n: ar.plural("{n} report", "{n} reports", n) for n in (0, 1, 2, 3, 11, 100)}
    assert shown == {
        0: "لا توجد تقارير",
        1: "تقرير واحد",
        2: "تقريران",
        3: f"{LRI}3{PDI} تقارير",
        11: f"{LRI}11{PDI} تقريرًا",
        100: f"{LRI}100{PDI} تقرير",
    }


def test_nepali_plural_and_grouping(catalogs: Catalogs) -> None:
    ne = catalogs.translator("ne")
    assert ne.plural("{n} report", "{n} reports", 1) == "1 रिपोर्ट"
    assert ne.plural("{n} report", "{n} reports", 1234567) == "12,34,567 रिपोर्टहरू"


def test_plural_falls_back_to_the_default_locale_with_its_rule(catalogs: Catalogs) -> None:
    ne = catalogs.translator("ne")
    assert ne.plural("{n} day left", "{n} days left", 1) == "Only 1 day left"
    assert ne.plural("{n} day left", "{n} days left", 4) == "Only 4 days left"
    assert ne.plural("{n} week", "{n} weeks", 1000) == "1,000 weeks"


def test_numbers_follow_the_locale(catalogs: Catalogs) -> None:
    assert catalogs.translator("en").number(1234567.5) == "1,234,567.5"
    assert catalogs.translator("ne").number(1234567) == "12,34,567"


@pytest.mark.parametrize(
    ("locale", "rtl"), [("ar", True), ("en", False), ("sw", False), ("ne", False)]
)
def test_direction(catalogs: Catalogs, locale: str, rtl: bool) -> None:
    assert catalogs.translator(locale).rtl is rtl


def test_phone_number_in_an_arabic_sentence_is_isolated(catalogs: Catalogs) -> None:
    text = catalogs.translator("ar")("Call {number} for help", number="+974 4493 1870")
    assert text == "اتصل بالرقم \u2066+974 4493 1870\u2069 للمساعدة"


def test_phone_number_in_a_left_to_right_sentence_is_untouched(catalogs: Catalogs) -> None:
    text = catalogs.translator("sw")("Call {number} for help", number="+974 4493 1870")
    assert text == "Piga +974 4493 1870 kupata msaada"
    assert LRI not in text


def test_arabic_parameter_keeps_its_direction_and_only_its_numbers_are_isolated(
    catalogs: Catalogs,
) -> None:
    text = catalogs.translator("ar")("Call {number} for help", number="الشرطة 999")
    assert text == f"اتصل بالرقم الشرطة {LRI}999{PDI} للمساعدة"


def test_format_spec_still_applies_in_right_to_left(catalogs: Catalogs) -> None:
    assert catalogs.translator("ar")("Fee: {amount:,}", amount=12000) == f"Fee: {LRI}12,000{PDI}"


def test_isolate_wraps_each_left_to_right_run(catalogs: Catalogs) -> None:
    ar = catalogs.translator("ar")
    text = "اتصل بـ 999 أو +974 4493 1870، أو اكتب إلى help@example.org أو https://example.org/a."
    assert ar.isolate(text) == (
        f"اتصل بـ {LRI}999{PDI} أو {LRI}+974 4493 1870{PDI}، أو اكتب إلى "
        f"{LRI}help@example.org{PDI} أو {LRI}https://example.org/a{PDI}."
    )


def test_isolate_does_not_wrap_twice(catalogs: Catalogs) -> None:
    ar = catalogs.translator("ar")
    once = ar.isolate("اتصل بـ 999")
    assert ar.isolate(once) == once


def test_isolate_leaves_left_to_right_text_alone(catalogs: Catalogs) -> None:
    assert catalogs.translator("sw").isolate("Piga +974 4493 1870") == "Piga +974 4493 1870"


def test_bad_translation_falls_back_to_english_and_logs_no_user_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Loading rejects this; a hand-built translator shows what happens at run time.
    sw = Translator("sw", Locale.parse("sw"), False, {"Hello {name}": "Habari {jina}"}, {}, int)
    with caplog.at_level(logging.WARNING):
        assert sw("Hello {name}", name="Amina") == "Hello Amina"
    assert "Hello {name}" in caplog.text
    assert "Amina" not in caplog.text


def test_a_call_missing_its_parameter_is_a_bug_that_surfaces(catalogs: Catalogs) -> None:
    with pytest.raises(KeyError):
        catalogs.translator("en")("Call {number} for help")
