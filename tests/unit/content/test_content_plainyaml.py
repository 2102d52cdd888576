"""The fast front-matter reader agrees with PyYAML, or steps aside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.content import check_content, load_content
from bot.content.plainyaml import read_plain_yaml

IN_SUBSET = {
    "scalars": "id: qa-passport\ntitle: Your passport\nlast_reviewed: 2025-01-15\n",
    "resolved types": "a: true\nb: no\nc: 12\nd: 1.5\ne: ~\nf: null\ng: 0x1F\nh: 2025-01-15\n",
    "quoted": "title: \"Qatar: wages\"\nsummary: 'It''s yours'\n",
    "flow lists": "keywords: [pay, salary, 2025-01-01, yes]\nempty: []\n",
    "block lists": "keywords:\n  - pay\n  - salary\nsources:\n- title: A\n  url: https://x.org/a#b\n",
    "list of mappings": (
        "sources:\n  - title: Law\n    url: https://example.org/x?a=1\n    confidence: official\n"
        "  - title: Press\n    date: 2024-03-11\n    confidence: press\nlast_reviewed: 2025-01-01\n"
    ),
    "comments and blanks": "# note\nid: x\n\n  # indented note\ntitle: y\n",
    "empty value": "id: x\nurl:\n",
    "non-latin": "title: तपाईंको राहदानी\nkeywords: [राहदानी, جواز]\n",
}

OUTSIDE_SUBSET = {
    "folded scalar": "summary: >\n  one\n  two\n",
    "flow mapping": "title: {en: a}\n",
    "comment after value": "id: x  # the id\n",
    "anchor": "a: &x 1\nb: *x\n",
    "nested mapping": "meta:\n  a: 1\n",
    "multi-line plain": "summary: one\n  two\n",
    "tab": "id:\tx\n",
    "duplicate key": "id: a\nid: b\n",
    "quoted list items": "keywords: ['a, b', c]\n",
    "colon in value": "title: Qatar: wages\n",
    "not a mapping": "- a\n- b\n",
    "empty": "\n",
}


@pytest.mark.parametrize("text", IN_SUBSET.values(), ids=IN_SUBSET.keys())
def test_subset_reads_like_pyyaml(text: str) -> None:
    result = read_plain_yaml(text)
    assert result is not None
    assert result[0] == yaml.safe_load(text)


@pytest.mark.parametrize("text", OUTSIDE_SUBSET.values(), ids=OUTSIDE_SUBSET.keys())
def test_anything_else_is_left_to_pyyaml(text: str) -> None:
    assert read_plain_yaml(text) is None


def test_key_lines_are_reported() -> None:
    result = read_plain_yaml("# c\nid: x\nsources:\n  - title: t\nlast_reviewed: 2025-01-15\n")
    assert result is not None
    data, lines = result
    assert lines == {"id": 1, "sources": 2, "last_reviewed": 4}
    assert data["last_reviewed"] == dt.date(2025, 1, 15)


def test_fixture_articles_take_the_fast_path(fixture_dir: Path) -> None:
    articles = sorted(fixture_dir.glob("countries/*/*/*/*.md"))
    assert len(articles) == 6
    for path in articles:
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        assert read_plain_yaml(front) is not None, path


def test_article_outside_the_subset_still_loads(content_copy: Path) -> None:
    path = content_copy / "countries/qa/en/documents/passport.md"
    text = path.read_text(encoding="utf-8")
    old = "summary: An employer may not keep your passport without your written request."
    assert old in text
    path.write_text(
        text.replace(old, "summary: >\n  An employer may not keep\n  your passport."),
        encoding="utf-8",
    )
    assert check_content(content_copy) == []
    article = load_content(content_copy).article("qa-passport", "en")
    assert article is not None
    assert article.meta.summary == "An employer may not keep your passport.\n"
