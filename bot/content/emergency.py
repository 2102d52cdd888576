"""Recognise a cry for help in any language, whatever the user's chosen locale.

Someone in danger may type in their own language while the bot speaks another,
so the phrases of every locale are checked. Matching is on whole folded words,
so "help" fires on "HELP!!" and "Help me" but not on "helpful".
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.content.textfold import fold, words

__all__ = ["TriggerMatcher"]


class TriggerMatcher:
    """All trigger phrases, folded once, looked up by word n-grams."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = {folded for folded in map(fold, phrases) if folded}
        self._lengths = sorted({phrase.count(" ") + 1 for phrase in self._phrases})

    def matches(self, text: str) -> bool:
        """True when ``text`` contains one of the phrases as whole words."""
        tokens = words(text)
        for size in self._lengths:
            for start in range(len(tokens) - size + 1):
                if " ".join(tokens[start : start + size]) in self._phrases:
                    return True
        return False
