"""The danger corpus of every locale, read by the shipped phrasebooks.

DESIGN.md's targets: recall >= 95 %, false alarms <= 1 %, per locale. The
corpus (tests/corpora/danger_<locale>.yaml) is written the way people write.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentTree, load_content
from tests.corpora import LOCALES, load, score_danger, score_everyday

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def shipped() -> ContentTree:
    return load_content(ROOT / "content")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_corpus_is_large_enough(locale: str) -> None:
    corpus = load("danger", locale)
    assert len(corpus["danger"]) >= 40
    assert len(corpus["benign"]) >= 40


@pytest.mark.parametrize("locale", LOCALES)
def test_recall_and_false_alarms(shipped: ContentTree, locale: str) -> None:
    score = score_danger(shipped, locale)
    assert score.recall >= 0.95, score.missed
    assert score.false_alarm_rate <= 0.01, score.false_alarms
    assert score.category_rate >= 0.95, score.wrong_category


@pytest.mark.parametrize(
    "text", ["How do I change employer", "thank you", "asante", "धन्यवाद", "Thanks!!"]
)
def test_thanks_and_everyday_questions_never_raise_sos(shipped: ContentTree, text: str) -> None:
    assert shipped.danger(text) is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he beats me", "violence"),
        ("my madam hits me every day", "violence"),
        ("I want to kill myself", "self-harm"),
        ("wananitesa", "violence"),
        ("amenibaka", "sexual-abuse"),
        ("nataka kujiua", "self-harm"),
        ("मलाई कुट्छ", "violence"),
        ("मलाई कोठामा थुनेर राखेको छ", "confinement"),
        ("nisaidie", "help"),
    ],
)
def test_the_phrases_people_reported(shipped: ContentTree, text: str, category: str) -> None:
    found = shipped.danger(text)
    assert found is not None
    assert found.category == category


@pytest.mark.parametrize(
    ("text", "locale"),
    [("nisaidie", "sw"), ("malai kutchha", "ne"), ("ضربني", "ar"), ("he hit me", "en")],
)
def test_the_language_of_the_words_is_known(shipped: ContentTree, text: str, locale: str) -> None:
    found = shipped.danger(text)
    assert found is not None
    assert found.locales[0] == locale


@pytest.mark.parametrize("locale", LOCALES)
def test_everyday_questions_find_their_topic(shipped: ContentTree, locale: str) -> None:
    """The expected topic is in the first three answers, or, while no country has an
    article on it, search reports it as missing instead of passing off another page."""
    corpus = load("everyday", locale)
    assert len(corpus["queries"]) >= 30
    score = score_everyday(shipped, locale)
    assert score.top3 >= 0.9, score.missed
