"""Which language a user gets from what their phone says, and which translator serves it."""

from __future__ import annotations

import pytest

from bot.i18n import Catalogs


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("sw-KE", "sw"),
        ("sw_KE", "sw"),
        ("SW", "sw"),
        ("sw-ke", "sw"),
        ("ar-QA", "ar"),
        ("ne-NP", "ne"),
        ("npi", "ne"),  # ISO 639-3 code for Nepali
        ("swh", "sw"),  # ISO 639-3 code for Swahili
        ("en-US", "en"),
        ("pt-BR", None),
        ("zz", None),
        ("", None),
        (None, None),
        ("fr-CH, ar;q=0.8, en;q=0.5", "ar"),
        ("en;q=0.2, sw", "sw"),
    ],
)
def test_hint_picks_an_offered_language(
    catalogs: Catalogs, hint: str | None, expected: str | None
) -> None:
    assert catalogs.negotiate(hint, catalogs.locales) == expected


def test_only_offered_languages_are_chosen(catalogs: Catalogs) -> None:
    assert catalogs.negotiate("ar-QA", ["en", "sw"]) is None
    assert catalogs.negotiate("sw", []) is None


def test_answer_uses_the_offered_spelling(catalogs: Catalogs) -> None:
    assert catalogs.negotiate("pt-br", ["en", "pt_BR"]) == "pt_BR"


def test_locales_are_sorted_with_the_default_first(catalogs: Catalogs) -> None:
    assert catalogs.locales == ("en", "ar", "ne", "sw")
    assert catalogs.default_locale == "en"


def test_translator_for_unknown_or_missing_locale_is_the_default(catalogs: Catalogs) -> None:
    assert catalogs.translator(None).locale == "en"
    assert catalogs.translator("zz").locale == "en"
    assert catalogs.translator("pt_BR").locale == "en"


def test_translator_accepts_a_regional_locale(catalogs: Catalogs) -> None:
    assert catalogs.translator("sw_KE")("Main menu") == "Menyu kuu"


def test_translators_are_cached_per_locale(catalogs: Catalogs) -> None:
    assert catalogs.translator("ar") is catalogs.translator("ar")
