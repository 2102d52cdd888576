"""``content check`` on the phrasebooks: each mistake on its own ``path:line``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import check_content, load_content

CATEGORIES = """
categories:
  - id: violence
    says: {en: "Nobody may hit you."}
"""

GOOD = """\
danger:
  violence:
    - beat* me
topics:
  wages:
    - salary
kind:
  thanks:
    - thanks
never:
  - thank you
"""


def _with_phrasebook(content_copy: Path, text: str) -> Path:
    with open(content_copy / "emergency.yaml", "a", encoding="utf-8") as file:
        file.write(CATEGORIES)
    (content_copy / "phrases").mkdir()
    (content_copy / "phrases" / "en.yaml").write_text(text, encoding="utf-8")
    return content_copy


def test_a_good_phrasebook_loads_and_is_used(content_copy: Path) -> None:
    tree = load_content(_with_phrasebook(content_copy, GOOD))
    found = tree.danger("he is BEATING me")
    assert found is not None and found.category == "violence"
    assert tree.phrase_topics("my salary") == ["wages"]
    assert tree.kind_word("Thanks!") is not None


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("    - beat* me\n", "    - b*\n", 3, "pattern 'b*'"),
        ("  violence:\n", "  violance:\n", 2, "unknown danger category 'violance'"),
        ("  wages:\n", "  wagez:\n", 5, "unknown topic 'wagez'"),
        ("    - beat* me\n", "    - beat* me\n    - beat*  me\n", 4, "listed twice"),
        ("  - thank you\n", "  - he beats me\n", 11, "must never open the SOS card"),
    ],
)
def test_mistakes_point_at_their_line(
    content_copy: Path, old: str, new: str, line: int, message: str
) -> None:
    root = _with_phrasebook(content_copy, GOOD.replace(old, new))
    errors = [str(e) for e in check_content(root)]
    wanted = f"content/phrases/en.yaml:{line}: "
    assert any(e.startswith(wanted) and message in e for e in errors), errors


def test_a_file_for_a_locale_not_offered_is_an_error(content_copy: Path) -> None:
    root = _with_phrasebook(content_copy, GOOD)
    (root / "phrases" / "fr.yaml").write_text(GOOD, encoding="utf-8")
    errors = [str(e) for e in check_content(root)]
    assert any(e.startswith("content/phrases/fr.yaml:1: 'fr' is not one of") for e in errors)
