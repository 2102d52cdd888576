"""The country code of a WhatsApp number hints at a language; destination numbers do not."""

from __future__ import annotations

import json

import pytest

from bot.channels.whatsapp.locale_hint import locale_hint
from bot.channels.whatsapp.parse import parse_notification
from tests.fakes.graph_api import notification, text


@pytest.mark.parametrize(
    ("wa_id", "hint"),
    [
        ("254712345678", "sw-KE, en-KE"),
        ("9779812345678", "ne-NP"),
        ("97455123456", None),  # a Qatari SIM says nothing about its owner's language
        ("966501234567", None),
        ("not a number", None),
        ("", None),
    ],
)
def test_hint_from_the_country_code(wa_id: str, hint: str | None) -> None:
    assert locale_hint(wa_id) == hint


def test_every_message_carries_the_hint() -> None:
    body = json.dumps(notification(text("9779812345678", "sos"))).encode()
    [item] = parse_notification(body).received
    assert item.inbound is not None and item.inbound.locale_hint == "ne-NP"

