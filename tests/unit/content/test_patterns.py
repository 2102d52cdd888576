"""The phrasebook patterns: whole words, ``*`` inside a word, ``~`` between words."""

from __future__ import annotations

import re

import pytest

from bot.content.patterns import PatternError, PatternSet, compile_pattern
from recruiter_reports.textfold import fold


def _matches(pattern: str, text: str) -> bool:
    return re.search(compile_pattern(pattern), fold(text)) is not None


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        ("*nipiga", ["ananipiga", "wananipiga sana", "alinipiga jana", "Amenipiga!"]),
        ("*nifungia", ["wamenifungia", "wananifungia ndani", "amenifungia chumbani"]),
        ("कुट्*", ["मलाई कुट्छ", "उसले कुट्यो", "कुट्छन्"]),
        ("कुटि*", ["मलाई कुटिरहेको छ"]),
        ("थुन*", ["थुनेर राखेको", "मलाई थुनेको छ", "थुन्यो"]),
        ("beat* me", ["he beats me", "BEATING ME", "beat me"]),
        ("hit* me", ["he hit me", "she is hitting me", "my madam hits me every day"]),
        ("slap*", ["she slapped me", "slaps"]),
        ("took ~ passport", ["they took my passport", "took away my old passport"]),
    ],
)
def test_inflected_forms_match(pattern: str, texts: list[str]) -> None:
    for text in texts:
        assert _matches(pattern, text), text


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("*nipiga", "ananipigia simu"),  # he calls me: another verb form
        ("hit* me", "white metal"),
        ("beat* me", "beautiful me"),
        ("कुट्*", "मेरो कुटुम्ब"),  # family: starts like कुट but has no virama
        ("took ~ passport", "took the bus to the office and then my passport"),
    ],
)
def test_other_words_do_not_match(pattern: str, text: str) -> None:
    assert not _matches(pattern, text)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "empty"),
        ("*", "only '*'"),
        ("*a*", "fewer than 3 letters"),
        ("~ me", "between two words"),
        ("hit ~ ~ me", "two '~' in a row"),
        ("!!!", "no letters"),
    ],
)
def test_bad_patterns_are_refused_with_a_reason(pattern: str, message: str) -> None:
    with pytest.raises(PatternError, match=re.escape(message)):
        compile_pattern(pattern)


def test_a_set_gives_the_first_group_in_order() -> None:
    groups = PatternSet([("self-harm", ["kill* myself"]), ("threats", ["kill* ~ me"])])
    assert groups.first(fold("I will kill myself")) == "self-harm"
    assert groups.first(fold("he will kill me")) == "threats"
    assert groups.first(fold("nothing here")) is None
