"""Search in people's words: phrasebook topics first, in the person's destination only."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.content import load_content
from bot.content.finder import find

ROOT = Path(__file__).resolve().parents[3]


def test_a_topic_not_written_for_the_destination_is_reported_not_replaced(
    tmp_path: Path,
) -> None:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    for folder in (root / "countries" / "qa").glob("*/going-home"):
        shutil.rmtree(folder)
    tree = load_content(root)
    found = find(tree, "nataka kurudi nyumbani", "sw", "QA")
    assert found.missing == ["going-home"]
    assert all(hit.article.country == "QA" for hit in found.hits)  # never another country's law
    anywhere = find(tree, "nataka kurudi nyumbani", "sw", None)
    assert anywhere.hits[0].topic == "going-home"  # a person who said nowhere sees what exists


def test_words_of_two_topics_bring_both_into_the_first_three() -> None:
    tree = load_content(ROOT / "content")
    topics = [hit.topic for hit in find(tree, "overtime not paid", "en", None).hits[:3]]
    assert {"working-hours", "wages"} <= set(topics)
