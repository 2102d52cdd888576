"""Coverage numbers and what ``content check`` / ``content stats`` print."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from bot.content import ContentTree
from bot.content.cli import run_check, run_stats
from tests.audio_files import narrate_article


def test_coverage_per_locale(tree: ContentTree) -> None:
    stats = tree.stats()
    assert stats.default_locale == "en"
    assert stats.total_articles == 6
    assert stats.review_needed == 1
    en, sw, ne = (stats.by_locale[loc] for loc in ("en", "sw", "ne"))
    assert (en.articles, en.translated, en.reference, en.percent) == (4, 4, 4, 100.0)
    assert (sw.articles, sw.translated, sw.reference, sw.review_needed) == (1, 1, 4, 1)
    assert sw.percent == 25.0
    assert (ne.articles, ne.translated, ne.review_needed) == (1, 1, 0)


def test_coverage_per_country(tree: ContentTree) -> None:
    stats = tree.stats()
    assert list(stats.by_country) == ["KE", "NP", "QA"]
    qa_sw = stats.by_country["QA"]["sw"]
    assert (qa_sw.articles, qa_sw.translated, qa_sw.reference) == (1, 1, 3)
    assert stats.by_country["KE"]["ne"].translated == 0
    assert stats.by_country["NP"]["en"].articles == 0


def test_run_check_ok(fixture_dir: Path) -> None:
    out = io.StringIO()
    assert run_check(fixture_dir, out, today=dt.date(2025, 6, 1)) == 0
    text = out.getvalue()
    assert text.startswith("OK")
    assert "3 countries, 6 articles in 3 locales" in text
    assert len(text.strip().splitlines()) == 1


def test_run_check_lists_problems(rewrite: Callable[[str, str, str], Path]) -> None:
    rewrite("countries/qa/resources.yaml", "needs: [legal]", "needs: [legal, food]")
    root = rewrite(
        "countries/qa/en/wages/minimum-wage.md", "(article:qa-passport)", "(article:gone)"
    )
    out = io.StringIO()
    assert run_check(root, out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "content/countries/qa/en/wages/minimum-wage.md:16: link to unknown article 'article:gone'"
    )
    assert lines[1].startswith("content/countries/qa/resources.yaml:29: unknown need 'food'")
    assert lines[2] == "2 problem(s) found."


def test_run_stats_table(fixture_dir: Path) -> None:
    out = io.StringIO()
    assert run_stats(fixture_dir, out) == 0
    rows = [line.split() for line in out.getvalue().splitlines()]
    assert ["all", "sw", "1", "1/4", "25%", "1"] in rows
    assert ["QA", "ne", "1", "1/3", "33%", "0"] in rows
    assert ["NP", "en", "0", "0/0", "-", "0"] in rows
    assert "1 need review" in out.getvalue()


def test_run_stats_refuses_a_broken_tree(rewrite: Callable[[str, str, str], Path]) -> None:
    root = rewrite("site.yaml", "default_locale: en", "default_locale: xx")
    out = io.StringIO()
    assert run_stats(root, out) == 1
    assert "content check" in out.getvalue()


def test_run_check_warns_about_an_old_source_of_a_legal_fact(fixture_dir: Path) -> None:
    """Two years after the fixture law's 2025-01-15, its rights articles get a warning
    (once, on the English original) but the check still passes."""
    out = io.StringIO()
    assert run_check(fixture_dir, out, today=dt.date(2027, 1, 17)) == 0
    lines = out.getvalue().splitlines()
    warnings = [line for line in lines if ": warning: " in line]
    assert warnings
    assert all("dated 2025-01-15, more than two years ago" in line for line in warnings)
    assert all("/en/" in line for line in warnings)
    assert lines[0].startswith("OK")
    assert lines[-1] == f"{len(warnings)} warning(s): the check passes, but look at them."
    out = io.StringIO()
    assert run_check(fixture_dir, out, today=dt.date(2027, 1, 15)) == 0
    assert ": warning: " not in out.getvalue()


def test_run_stats_per_corridor_and_locale(rewrite: Callable[[str, str, str], Path]) -> None:
    root = rewrite(
        "countries/ke/country.yaml", "currency: KES\n", "currency: KES\ndestinations: [QA]\n"
        "locales: [en, sw]\n"
    )
    narrate_article(root / "countries/qa/sw/wages/minimum-wage.md")
    out = io.StringIO()
    assert run_stats(root, out) == 0
    rows = [line.split() for line in out.getvalue().splitlines()]
    header = ["corridor", "locale", "articles", "words", "audio", "sos", "audio", "review",
              "oldest", "source"]
    assert header in rows
    corridor = [row for row in rows if row and row[0] == "KE-QA"]
    assert [row[1] for row in corridor] == ["en", "sw"]  # the fixture site offers no Arabic
    en, sw = corridor
    assert en[2] == "4" and int(en[3]) > 0 and en[4] == "0/4" and en[7] == "2025-01-15"
    assert sw[2:6] == ["1", sw[3], "1/1", "-"] and sw[6] == "1"  # one recording, one draft
    assert "Audio: 1 recording(s), 0 recorded by a person, 1 drafted" in out.getvalue()


def test_run_check_warns_about_an_arabic_article_without_its_show_this_block(
    rewrite: Callable[[str, str, str], Path],
) -> None:
    root = rewrite("site.yaml", "locales: [en, sw, ne]", "locales: [en, sw, ne, ar]")
    english = (root / "countries/qa/en/wages/minimum-wage.md").read_text(encoding="utf-8")
    arabic = root / "countries/qa/ar/wages/minimum-wage.md"
    arabic.parent.mkdir(parents=True)
    arabic.write_text(english, encoding="utf-8")
    out = io.StringIO()
    assert run_check(root, out, today=dt.date(2025, 6, 1)) == 0
    assert "ar/wages/minimum-wage.md:2: warning: an Arabic article starts with a '> اعرض هذا:'" in (
        out.getvalue()
    )
    arabic.write_text(
        english.replace("---\nYour employer", "---\n> اعرض هذا: ملخص القانون.\n\nYour employer"),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert run_check(root, out, today=dt.date(2025, 6, 1)) == 0
    assert "warning" not in out.getvalue()
