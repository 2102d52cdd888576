"""``content/reportback/``: the report-back's words are content, checked file by file and
against the tree, each problem as ``path:line: message``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content import check_content, load_content
from bot.content.reportback import FEE_PAID

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target, ignore=shutil.ignore_patterns("*.ogg"))
    return target


def _rewrite(root: Path, name: str, old: str, new: str) -> Path:
    path = root / "reportback" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def _problems(root: Path) -> list[str]:
    return [str(error) for error in check_content(root) if "audio" not in error.message
            and "recording" not in error.message]


def test_the_shipped_words_cover_every_language_and_mark_the_drafts() -> None:
    tree = load_content(ROOT / "content")
    assert tree.reportback is not None
    assert tree.reportback.figures[0].measure == FEE_PAID
    assert sorted(tree.reportback.words) == sorted(tree.site.locales) == ["ar", "en", "ne", "sw"]
    assert tree.reportback.words["en"].review_needed is False
    for locale in ("sw", "ne", "ar"):
        assert tree.reportback.words[locale].review_needed is True, "drafts say so"
    for figure in tree.reportback.figures:
        for code, article_id in figure.guides.items():
            found = tree.article(article_id, "en")
            assert found is not None and found.country == code


def test_an_unknown_placeholder_is_reported_at_its_line(copy: Path) -> None:
    path = _rewrite(copy, "sw.yaml", "asilimia {percent} walilipa", "asilimia {percnt} walilipa")
    line = _line(path, "  fee_paid:")
    assert any(p.startswith(f"content/reportback/sw.yaml:{line}: figures.fee_paid") and
               "unknown placeholder {percnt}" in p for p in _problems(copy)), _problems(copy)


def test_a_guide_that_is_not_an_article_of_its_destination_is_refused(copy: Path) -> None:
    path = _rewrite(copy, "figures.yaml", "SA: sa-passport", "SA: qa-passport")
    line = _line(path, "SA: qa-passport")
    assert f"content/reportback/figures.yaml:{line}: guides: no article 'qa-passport' in sa/" \
        in _problems(copy)


def test_a_figure_without_its_sentence_and_an_unknown_measure(copy: Path) -> None:
    path = _rewrite(copy, "ne.yaml", "  passport_kept:", "  passport_held:")
    problems = _problems(copy)
    assert f"content/reportback/ne.yaml:{_line(path, '  passport_held:')}: figures: " \
           "'passport_held' is not listed in figures.yaml" in problems
    assert any(p.startswith("content/reportback/ne.yaml:") and
               "no sentence for 'passport_kept'" in p for p in problems)

    figures = _rewrite(copy, "figures.yaml", "measure: contract_substituted", "measure: wages")
    assert any(p.startswith(f"content/reportback/figures.yaml:{_line(figures, 'wages')}:")
               and "unknown measure 'wages'" in p for p in _problems(copy))


def test_a_broken_brace_and_a_missing_review_mark(copy: Path) -> None:
    path = _rewrite(copy, "ar.yaml", "review_needed: true\n", "")
    _rewrite(copy, "ar.yaml", "{k} عمال", "{k عمال")
    problems = _problems(copy)
    assert "content/reportback/ar.yaml:2: missing required field 'review_needed'" in problems
    line = _line(path, "closing:")
    assert any(p.startswith(f"content/reportback/ar.yaml:{line}: closing") for p in problems)


def test_content_check_exits_1_with_the_line(copy: Path) -> None:
    path = _rewrite(copy, "en.yaml", "{origin} in {destination} told", "{country} told")
    done = subprocess.run([sys.executable, "-m", "bot", "content", "check", "--content",
                           str(copy)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"reportback/en.yaml:{_line(path, 'intro:')}: intro: unknown placeholder " \
           "{country}" in done.stdout + done.stderr
