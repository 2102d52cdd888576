"""The phrase corpora: messages as people write them, with what the bot should hear.

``danger_<locale>.yaml`` lists cries for help (with the danger category the
card should speak to) and ordinary messages that must never open the SOS
card; ``everyday_<locale>.yaml`` lists everyday questions with the topic
search should find. The tests assert the rates; ``benchmarks/bench_phrases.py``
prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import ContentTree
from bot.content.finder import find

FOLDER = Path(__file__).resolve().parent
LOCALES = ("en", "sw", "ne", "ar")


@dataclass(frozen=True)
class DangerScore:
    """How one locale's danger corpus fared."""

    locale: str
    danger: int
    recognised: int
    right_category: int
    benign: int
    false_alarms: list[str]
    missed: list[str]
    wrong_category: list[str]

    @property
    def recall(self) -> float:
        return self.recognised / self.danger

    @property
    def category_rate(self) -> float:
        return self.right_category / self.danger

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.benign


@dataclass(frozen=True)
class EverydayScore:
    """How one locale's everyday corpus fared: the expected topic in the top 3, or, for a
    topic no country has an article on yet, that search says so (``reported``)."""

    locale: str
    queries: int
    found: int
    reported: int
    missed: list[str]

    @property
    def answerable(self) -> int:
        return self.queries - self.reported

    @property
    def top3(self) -> float:
        return self.found / self.answerable if self.answerable else 1.0


def load(name: str, locale: str) -> dict[str, list]:  # type: ignore[type-arg]
    with open(FOLDER / f"{name}_{locale}.yaml", encoding="utf-8") as file:
        data: dict[str, list] = yaml.safe_load(file)  # type: ignore[type-arg]
    return data


def score_danger(content: ContentTree, locale: str) -> DangerScore:
    corpus = load("danger", locale)
    recognised = right = 0
    missed, wrong, false_alarms = [], [], []
    for text, category in corpus["danger"]:
        found = content.danger(str(text))
        if found is None:
            missed.append(str(text))
            continue
        recognised += 1
        if found.category == category:
            right += 1
        else:
            wrong.append(f"{text} -> {found.category} (expected {category})")
    for text in corpus["benign"]:
        found = content.danger(str(text))
        if found is not None:
            false_alarms.append(f"{text} -> {found.category}")
    return DangerScore(
        locale,
        len(corpus["danger"]),
        recognised,
        right,
        len(corpus["benign"]),
        false_alarms,
        missed,
        wrong,
    )


def score_everyday(content: ContentTree, locale: str) -> EverydayScore:
    corpus = load("everyday", locale)
    found = reported = 0
    missed = []
    for query, topic in corpus["queries"]:
        answer = find(content, str(query), locale, None)
        topics = [hit.topic for hit in answer.hits[:3]]
        if topic in topics:
            found += 1
        elif topic in answer.missing:
            reported += 1
        else:
            missed.append(f"{query} -> {topics} (expected {topic})")
    return EverydayScore(locale, len(corpus["queries"]), found, reported, missed)
