"""Trigger phrases of every locale open the SOS card, whatever the user's locale."""

from __future__ import annotations

import pytest

from bot.content import ContentTree


@pytest.mark.parametrize(
    "text",
    [
        "HELP ME!!",
        "please help me now",
        "SOS",
        "They took my passport.",
        "nisaidie tafadhali",  # Swahili
        "Msaada!",
        "मलाई मद्दत चाहिन्छ",  # Nepali, Devanagari
        "कृपया बचाउनुहोस्!",
        "ساعدني من فضلك",  # Arabic
        "سَاعِدْنِي",  # Arabic with harakat
        "النجده",  # ta marbuta typed as ha
        "A l'aide",  # no accent typed for "à l'aide"
        "AU SECOURS !",
    ],
)
def test_trigger_phrases_fire(tree: ContentTree, text: str) -> None:
    assert tree.is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "this guide was helpful",
        "help",  # the English trigger is "help me", not a bare "help"
        "my passport is at home",
        "emergencies are rare here",  # whole words only
        "मद्दतगार",
        "",
    ],
)
def test_ordinary_text_does_not_fire(tree: ContentTree, text: str) -> None:
    assert not tree.is_emergency(text)
