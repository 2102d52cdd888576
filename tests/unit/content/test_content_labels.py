"""``content check`` reports labels too long for WhatsApp's buttons and list rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.content import check_content

Rewrite = Callable[[str, str, str], Path]


def test_the_fixture_labels_fit(fixture_dir: Path) -> None:
    assert not [e for e in check_content(fixture_dir) if "characters" in e.message]


def test_a_short_label_longer_than_a_button_is_reported_on_its_line(rewrite: Rewrite) -> None:
    content = rewrite("site.yaml", "short: {en: Wages}", "short: {en: Wages and everything else}")
    errors = [str(e) for e in check_content(content)]
    assert errors == [
        "content/site.yaml:8: short label 'Wages and everything else' is 25 characters; "
        "buttons hold 20"
    ]


def test_a_long_title_without_a_short_label_is_reported(rewrite: Rewrite) -> None:
    content = rewrite(
        "site.yaml", "title: {en: Embassy}", "title: {en: Embassies and consulates abroad}"
    )
    errors = [str(e) for e in check_content(content)]
    assert len(errors) == 1
    assert errors[0].startswith("content/site.yaml:23: title 'Embassies and consulates abroad'")
    assert "add a short label" in errors[0]


def test_a_long_country_name_is_reported(rewrite: Rewrite) -> None:
    content = rewrite(
        "countries/np/country.yaml",
        "names: {en: Nepal,",
        "names: {en: Federal Democratic Republic of Nepal,",
    )
    errors = [str(e) for e in check_content(content)]
    assert errors == [
        "content/countries/np/country.yaml:3: country name "
        "'Federal Democratic Republic of Nepal' is 36 characters; list rows hold 24"
    ]
