"""``check_content`` names the file and line an editor must fix, for every problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.content import ContentError, ContentInvalid, check_content, load_content

Rewrite = Callable[[str, str, str], Path]

QA = "countries/qa"
MIN_WAGE = f"{QA}/en/wages/minimum-wage.md"


class Case(NamedTuple):
    file: str
    old: str
    new: str
    at: str
    """Text on the line the error must point to, in the file after the change."""
    message: str


CASES = {
    "site invalid yaml": Case(
        "site.yaml", "group: rights\n", "group: rights: oops\n", "rights: oops", "invalid YAML"
    ),
    "site missing field": Case(
        "site.yaml",
        "default_locale: en\n",
        "",
        "locales:",
        "missing required field 'default_locale'",
    ),
    "site default locale not offered": Case(
        "site.yaml",
        "default_locale: en",
        "default_locale: fr",
        "default_locale",
        "not one of locales",
    ),
    "site unknown field": Case(
        "site.yaml", "needs:\n", "colour: blue\nneeds:\n", "colour", "unknown field 'colour'"
    ),
    "site duplicate topic": Case(
        "site.yaml",
        "- id: arrival",
        "- id: wages",
        "- id: wages\n    group: guide",
        "duplicate topic id 'wages'",
    ),
    "site duplicate key": Case(
        "site.yaml",
        "default_locale: en\n",
        "default_locale: en\nlocales: [en]\n",
        "locales: [en]\n",
        "duplicate key 'locales'",
    ),
    "emergency invalid yaml": Case("emergency.yaml", "  ne:", "\tne:", "\tne:", "not tabs"),
    "emergency unknown field": Case(
        "emergency.yaml", "triggers:", "# phrases\ntrigers:", "trigers", "unknown field 'trigers'"
    ),
    "country missing nested field": Case(
        f"{QA}/country.yaml",
        "    source: {title: Fixture source, url: https://example.org/fixture-source, "
        "date: 2025-01-15}\n",
        "",
        "  - service",
        "missing required field 'emergency[0].source'",
    ),
    "country invalid value": Case(
        f"{QA}/country.yaml", 'number: "999"', 'number: "nine"', "number:", "emergency[0].number"
    ),
    "country code differs from folder": Case(
        "countries/ke/country.yaml", "code: KE", "# Kenya\ncode: KN", "code: KN", "does not match"
    ),
    "resources invalid yaml": Case(
        f"{QA}/resources.yaml",
        "    source: {title: Fixture source,",
        "    source: {title: Fixture: source,",
        "Fixture: source",
        "invalid YAML",
    ),
    "resources missing field": Case(
        f"{QA}/resources.yaml",
        "    confidence: press\n",
        "",
        "- id: qa-police",
        "missing required field 'resources[0].confidence'",
    ),
    "resources unknown field": Case(
        f"{QA}/resources.yaml",
        '    phones: ["999"]\n',
        '    phones: ["999"]\n    fax: "1"\n',
        "fax:",
        "unknown field 'resources[0].fax'",
    ),
    "resources duplicate id": Case(
        f"{QA}/resources.yaml",
        "- id: np-embassy-doha",
        "- id: ke-embassy-doha",
        "- id: ke-embassy-doha\n    kind: embassy\n    name: {en: Embassy of Nepal",
        "duplicate resource id 'ke-embassy-doha'",
    ),
    "resources unknown need": Case(
        f"{QA}/resources.yaml",
        "needs: [legal]",
        "needs: [legal, food]",
        "[legal, food]",
        "unknown need 'food'",
    ),
    "article invalid yaml": Case(
        MIN_WAGE, "The minimum wage", "The minimum: wage", "minimum: wage", "invalid YAML"
    ),
    "article missing field": Case(
        f"{QA}/en/documents/passport.md",
        "last_reviewed: 2025-01-15\n",
        "",
        "id: qa-passport",
        "missing required field 'last_reviewed'",
    ),
    "article unknown field": Case(
        f"{QA}/sw/wages/minimum-wage.md",
        "review_needed: true",
        "review_neded: true",
        "review_neded",
        "unknown field 'review_neded'",
    ),
    "article duplicate id": Case(
        MIN_WAGE,
        "id: qa-minimum-wage",
        "id: qa-late-salary",
        "id: qa-late-salary",
        "duplicate article id 'qa-late-salary' in locale 'en'",
    ),
    "article broken link": Case(
        MIN_WAGE,
        "(article:qa-passport)",
        "(article:qa-pasport)",
        "article:qa-pasport",
        "link to unknown article 'article:qa-pasport'",
    ),
    "article missing front matter": Case(
        MIN_WAGE, "---\nid:", "id:", "id:", "missing front matter"
    ),
    "article source without url": Case(
        MIN_WAGE,
        "    url: https://example.org/fixture-law\n",
        "",
        "  - title: Fixture labour law",
        "source has no url: add it from the source, or set confidence: weak",
    ),
    "article source without date": Case(
        MIN_WAGE,
        "    date: 2025-01-15\n    confidence: official",
        "    confidence: official",
        "  - title: Fixture labour law",
        "source has no date",
    ),
    "article source date not a day": Case(
        MIN_WAGE, "date: 2025-01-15", "date: 2025-02-30", "date: 2025-02-30", "not a real date"
    ),
    "article source date not written as a date": Case(
        MIN_WAGE, "date: 2025-01-15", "date: 15 Jan 2025", "date: 15 Jan", "not written as expected"
    ),
    "resource source without url": Case(
        f"{QA}/resources.yaml",
        "{title: Fixture source, url: https://example.org/fixture-source, date: 2025-01-15}\n"
        "    confidence: press",
        "{title: Fixture source, date: 2025-01-15}\n    confidence: press",
        "- id: qa-police",
        "source has no url",
    ),
    "resource source as plain text": Case(
        f"{QA}/resources.yaml",
        "    source: {title: Fixture source, url: https://example.org/fixture-source, "
        "date: 2025-01-15}\n    confidence: press",
        "    source: Fixture source\n    confidence: press",
        "source: Fixture source",
        "resources[0].source",
    ),
    "emergency number source without date": Case(
        f"{QA}/country.yaml",
        "url: https://example.org/fixture-source, date: 2025-01-15}",
        "url: https://example.org/fixture-source}",
        "  - service",
        "source has no date",
    ),
    "fee cap without a band ending at it": Case(
        "countries/np/country.yaml",
        "currency: NPR\n",
        "currency: NPR\nfee_rule:\n  kind: cap\n  cap: 10000\n  text: {en: At most the cap.}\n"
        "  source: {title: Fixture rule, url: https://example.org/rule, date: 2015}\n"
        "  confidence: press\nfee_bands:\n  - id: none\n    max: 1\n  - id: b1\n"
        "    max: 10000\n  - id: b2\n",
        "fee_bands:",
        "no fee band ends at the legal cap: give one band max: 10001",
    ),
    "fee cap given with kind none": Case(
        "countries/np/country.yaml",
        "currency: NPR\n",
        "currency: NPR\nfee_rule:\n  kind: none\n  cap: 10000\n  text: {en: No fee.}\n"
        "  source: {title: Fixture rule, url: https://example.org/rule, date: 2015}\n"
        "  confidence: press\n",
        "fee_rule:",
        "give cap with kind: cap, and only then",
    ),
    "destination that is an origin": Case(
        "countries/np/country.yaml",
        "currency: NPR\n",
        "currency: NPR\ndestinations: [QA, KE]\n",
        "destinations:",
        "'KE' is not a destination",
    ),
    "article translation in another topic": Case(
        f"{QA}/ne/documents/passport.md",
        "id: qa-passport",
        "id: qa-minimum-wage",
        "id: qa-minimum-wage",
        "not in the same country and topic",
    ),
}


def _line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    assert content.count(text) == 1, f"{text!r} is not unique in {path}"
    return content[: content.index(text)].count("\n") + 1


def test_fixture_tree_is_clean(fixture_dir: Path) -> None:
    assert check_content(fixture_dir) == []


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_one_broken_file_is_reported_at_its_line(rewrite: Rewrite, case: Case) -> None:
    root = rewrite(case.file, case.old, case.new)
    errors = check_content(root)
    expected = ContentError(f"content/{case.file}", _line_of(root / case.file, case.at), "")
    matching = [e for e in errors if case.message in e.message]
    assert [(e.path, e.line) for e in matching] == [(expected.path, expected.line)], errors
    with pytest.raises(ContentInvalid) as raised:
        load_content(root)
    assert raised.value.errors == errors


def _add_article(root: Path, relative: str, article_id: str) -> Path:
    source = (root / MIN_WAGE).read_text(encoding="utf-8")
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source.replace("id: qa-minimum-wage", f"id: {article_id}"), encoding="utf-8")
    return path


def test_article_in_unknown_topic(content_copy: Path) -> None:
    _add_article(content_copy, f"{QA}/en/salaries/bonus.md", "qa-bonus")
    assert [str(e) for e in check_content(content_copy)] == [
        "content/countries/qa/en/salaries/bonus.md:1: "
        "topic folder 'salaries' is not a topic of site.yaml"
    ]


def test_article_in_locale_not_offered(content_copy: Path) -> None:
    _add_article(content_copy, f"{QA}/fr/wages/salaire-minimum.md", "qa-minimum-wage")
    assert [str(e) for e in check_content(content_copy)] == [
        "content/countries/qa/fr/wages/salaire-minimum.md:1: "
        "locale folder 'fr' is not offered in site.yaml locales"
    ]


def test_file_that_is_not_utf8(content_copy: Path) -> None:
    relative = f"{QA}/en/wages/late-salary.md"
    path = content_copy / relative
    path.write_bytes(path.read_bytes().replace(b"salary is late", b"salary is l\xe2te", 1))
    errors = check_content(content_copy)
    assert [(e.path, e.line) for e in errors] == [(f"content/{relative}", 3)]
    assert "UTF-8" in errors[0].message


def test_every_problem_is_collected(rewrite: Rewrite) -> None:
    rewrite("site.yaml", "default_locale: en", "default_locale: fr")
    rewrite("emergency.yaml", "  ne:", "\tne:")
    rewrite(f"{QA}/resources.yaml", "needs: [legal]", "needs: [legal, food]")
    root = rewrite(MIN_WAGE, "(article:qa-passport)", "(article:nowhere)")
    assert [(e.path, e.message.split(" ")[0]) for e in check_content(root)] == [
        (f"content/{QA}/en/wages/minimum-wage.md", "link"),
        (f"content/{QA}/resources.yaml", "unknown"),
        ("content/emergency.yaml", "invalid"),
        ("content/site.yaml", "default_locale"),
    ]


def test_missing_files_and_ignored_registries(content_copy: Path) -> None:
    (content_copy / "emergency.yaml").unlink()
    (content_copy / "countries/ke/something.csv").write_text("a,b\n", encoding="utf-8")
    assert [str(e) for e in check_content(content_copy)] == [
        "content/emergency.yaml:1: missing file"
    ]


def test_error_text_is_path_line_message() -> None:
    error = ContentError("content/site.yaml", 4, "duplicate key 'locales'")
    assert str(error) == "content/site.yaml:4: duplicate key 'locales'"
    assert "content/site.yaml:4" in str(ContentInvalid([error]))


def test_misplaced_and_unclosed_articles(content_copy: Path) -> None:
    (content_copy / f"{QA}/en/stray.md").write_text("---\nid: x\n---\n", encoding="utf-8")
    (content_copy / f"{QA}/en/wages/open.md").write_text("---\nid: open\n", encoding="utf-8")
    assert [str(e) for e in check_content(content_copy)] == [
        "content/countries/qa/en/stray.md:1: unexpected here: "
        "articles go in <locale>/<topic>/<slug>.md",
        "content/countries/qa/en/wages/open.md:1: front matter is not closed by a '---' line",
    ]


def test_weak_source_may_lack_url_and_date(rewrite: Rewrite) -> None:
    root = rewrite(
        MIN_WAGE,
        "    url: https://example.org/fixture-law\n    date: 2025-01-15\n    confidence: official",
        "    confidence: weak",
    )
    assert check_content(root) == []


@pytest.mark.parametrize("date", ["2015", "2015-02", "2015-02-28"])
def test_partial_source_dates_are_accepted(rewrite: Rewrite, date: str) -> None:
    root = rewrite(MIN_WAGE, "date: 2025-01-15", f"date: {date}")
    assert check_content(root) == []
    article = load_content(root).article("qa-minimum-wage", "en")
    assert article is not None
    assert article.meta.sources[0].date == date
