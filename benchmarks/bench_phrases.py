"""Danger and everyday-phrase recognition on the project's own corpora, and its speed.

Targets (DESIGN.md): per locale, recall >= 95 % and false alarms <= 1 % on the
danger corpus (tests/corpora/danger_<locale>.yaml). The everyday corpus
(everyday_<locale>.yaml) reports how often the expected topic is in search's
top 3, among the queries whose topic has an article somewhere; the others
("no article yet") must be answered with search saying so. Speed:
microseconds to read one message with the compiled phrasebooks (each pattern
filed under the literal text it needs) against the obvious baseline, measured
in the same run on the same messages: every pattern compiled on its own and
tried in turn.

``python -m benchmarks phrases``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from benchmarks.table import print_table
from bot.content import ContentTree, load_content
from bot.content.patterns import compile_pattern
from recruiter_reports.textfold import fold
from tests.corpora import FOLDER, LOCALES, load, score_danger, score_everyday

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 20


def _baseline(content: ContentTree) -> list[re.Pattern[str]]:
    patterns = [p for book in content.phrasebooks.values() for ps in book.danger.values()
                for p in ps]  # fmt: skip
    patterns += [p for ps in content.emergency.triggers.values() for p in ps]
    return [re.compile(compile_pattern(pattern)) for pattern in patterns]


def _messages() -> list[str]:
    found: list[str] = []
    for locale in LOCALES:
        corpus = load("danger", locale)
        found += [str(text) for text, _ in corpus["danger"]]
        found += [str(text) for text in corpus["benign"]]
    return found


def _per_message_us(messages: list[str], read: object) -> float:
    assert callable(read)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for message in messages:
            read(message)
    return (time.perf_counter() - start) / (ROUNDS * len(messages)) * 1e6


def main() -> None:
    content = load_content(ROOT / "content")
    rows = []
    for locale in LOCALES:
        danger = score_danger(content, locale)
        everyday = (
            score_everyday(content, locale)
            if (FOLDER / f"everyday_{locale}.yaml").is_file()
            else None
        )
        rows.append(
            (
                locale,
                danger.danger,
                f"{danger.recall:.1%}",
                f"{danger.category_rate:.1%}",
                danger.benign,
                f"{danger.false_alarm_rate:.1%}",
                everyday.queries if everyday else "-",
                f"{everyday.top3:.1%}" if everyday else "-",
                everyday.reported if everyday else "-",
            )
        )
    print_table(
        "Phrase recognition per locale (targets: recall >= 95 %, false alarms <= 1 %)",
        ("locale", "danger", "recall", "category", "benign", "false alarms", "everyday",
         "topic in top 3", "no article yet"),
        rows,
    )  # fmt: skip
    messages = _messages()
    regexes = _baseline(content)

    def baseline(message: str) -> bool:
        folded = fold(message)
        return any(regex.search(folded) for regex in regexes)

    speed = [
        (
            f"baseline: {len(regexes)} patterns tried one by one",
            _per_message_us(messages, baseline),
        ),
        ("ours: literal prefilter, then regex", _per_message_us(messages, content.danger)),
    ]
    print_table(
        f"Reading one message for danger, {len(messages)} corpus messages x {ROUNDS}",
        ("matcher", "us per message"),
        speed,
    )


if __name__ == "__main__":
    main()
