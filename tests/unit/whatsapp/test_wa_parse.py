"""Webhook bodies -> Inbound: every message type Meta sends, and nothing that breaks on junk."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.whatsapp.parse import PayloadError, parse_notification
from bot.core.messages import Media
from tests.fakes.graph_api import message, notification, tap, text

WA_ID = "254712345678"
OURS = "106540352242922"


def parse(payload: dict, phone_number_id: str | None = OURS):
    return parse_notification(json.dumps(payload).encode(), phone_number_id)


def test_text_becomes_text_from_the_sender() -> None:
    parsed = parse(notification(text(WA_ID, "Habari", message_id="wamid.A", timestamp=1749416383)))
    [item] = parsed.received
    assert item.message_id == "wamid.A"
    assert item.inbound is not None
    assert (item.inbound.channel, item.inbound.user_ref, item.inbound.text) == (
        "whatsapp", WA_ID, "Habari")
    assert item.sent_at is not None and int(item.sent_at.timestamp()) == 1749416383


@pytest.mark.parametrize("row", [False, True])
def test_a_tapped_button_or_row_is_the_choice_id_we_gave_it(row: bool) -> None:
    [item] = parse(notification(tap(WA_ID, "lang:sw", "Kiswahili", row=row))).received
    assert item.inbound is not None
    assert item.inbound.choice == "lang:sw" and item.inbound.text is None


@pytest.mark.parametrize(("kind", "content", "media"), [
    ("audio", {"id": "1", "mime_type": "audio/ogg; codecs=opus", "voice": True}, Media.VOICE),
    ("voice", {"id": "1"}, Media.VOICE),
    ("image", {"id": "1", "mime_type": "image/jpeg", "sha256": "x"}, Media.IMAGE),
    ("location", {"latitude": 25.28, "longitude": 51.53, "name": "Doha"}, Media.LOCATION),
    ("sticker", {"id": "1", "animated": False}, Media.OTHER),
    ("document", {"id": "1", "filename": "contract.pdf"}, Media.OTHER),
    ("unsupported", {}, Media.OTHER),
    ("some_type_meta_adds_later", {"x": 1}, Media.OTHER),
])
def test_media_and_unknown_types_become_media(kind: str, content: dict, media: Media) -> None:
    [item] = parse(notification(message(WA_ID, kind, content))).received
    assert item.inbound is not None and item.inbound.media is media
    assert item.kind == kind


def test_a_template_quick_reply_is_its_payload() -> None:
    body = message(WA_ID, "button", {"text": "Stop", "payload": "menu"})
    [item] = parse(notification(body)).received
    assert item.inbound is not None and item.inbound.choice == "menu"


def test_a_reaction_needs_no_answer() -> None:
    reaction = message(WA_ID, "reaction", {"message_id": "wamid.X", "emoji": "👍"})
    removed = message(WA_ID, "reaction", {"message_id": "wamid.X"})
    items = parse(notification(reaction, removed)).received
    assert [(i.kind, i.inbound) for i in items] == [("reaction", None), ("reaction", None)]


def test_statuses_are_counted_and_failures_kept_by_code() -> None:
    statuses = [
        {"id": "wamid.1", "status": "delivered", "timestamp": "1", "recipient_id": WA_ID},
        {"id": "wamid.2", "status": "failed", "timestamp": "1", "recipient_id": WA_ID,
         "errors": [{"code": 131047, "title": "Re-engagement message"}]},
    ]
    parsed = parse(notification(statuses=statuses))
    assert parsed.received == [] and parsed.statuses == 2
    assert parsed.failed_statuses == [131047]


def test_messages_to_another_business_number_are_skipped() -> None:
    parsed = parse(notification(text(WA_ID, "hi"), phone_number_id="999"))
    assert parsed.received == [] and parsed.skipped == 1


def test_a_message_without_a_sender_number_is_skipped() -> None:
    body = text(WA_ID, "hi")
    del body["from"]
    assert parse(notification(body)).skipped == 1


def test_several_messages_in_one_delivery_keep_their_order() -> None:
    parsed = parse(notification(text(WA_ID, "one"), text(WA_ID, "two")))
    assert [i.inbound.text for i in parsed.received if i.inbound] == ["one", "two"]


def test_an_invalid_body_is_refused_without_quoting_it() -> None:
    with pytest.raises(PayloadError) as raised:
        parse_notification(b'{"entry": [{"changes": [{"value": {"messages": [{"from": "'
                           + WA_ID.encode() + b'"}]}}]}]}')
    assert WA_ID not in str(raised.value)
    with pytest.raises(PayloadError):
        parse_notification(b"not json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["entry", "changes", "value", "messages", "from", "id", "type",
                         "text", "body", "interactive", "statuses", "metadata", "timestamp"]),
        inner, max_size=5),
    max_leaves=25,
)


@given(json_values)
def test_any_json_parses_or_is_refused_cleanly(value: object) -> None:
    try:
        parsed = parse_notification(json.dumps(value).encode())
    except PayloadError:
        return
    for item in parsed.received:
        assert item.inbound is None or item.inbound.channel == "whatsapp"


@given(st.text(min_size=1, max_size=500))
def test_any_text_reaches_the_engine_unchanged(words: str) -> None:
    [item] = parse(notification(text(WA_ID, words))).received
    assert item.inbound is not None and item.inbound.text == words


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("system", {"body": "User A changed from 254712345678 to 254700000000",
                    "type": "user_changed_number"}),
        ("revoke", {"original_message_id": "wamid.OLD"}),
        ("deleted", {}),
        ("edit", {"original_message_id": "wamid.OLD",
                  "message": {"type": "text", "text": {"body": "hi again"}}}),
    ],
)
def test_notices_deletions_and_edits_are_counted_and_never_answered(
    kind: str, content: dict
) -> None:
    parsed = parse(notification(message(WA_ID, kind, content)))
    assert parsed.received == []
    assert parsed.notices == 1


def test_a_timestamp_no_clock_can_hold_keeps_the_message_without_a_time() -> None:
    for huge in (99_999_999_999_999, 10**30):
        parsed = parse(notification(text(WA_ID, "sos", timestamp=huge)))
        [item] = parsed.received
        assert item.sent_at is None and item.inbound is not None
        assert item.inbound.text == "sos"
        assert parsed.malformed == 1


def test_a_lone_surrogate_is_repaired_so_the_person_can_be_answered() -> None:
    body = json.dumps(notification(text(WA_ID, "PLACEHOLDER")))
    body = body.replace("PLACEHOLDER", "msaada \\ud83d tafadhali")
    parsed = parse_notification(body.encode(), OURS)
    [item] = parsed.received
    assert item.inbound is not None and item.inbound.text == "msaada \ufffd tafadhali"
    item.inbound.text.encode("utf-8")  # can be stored and sent
    assert parsed.repaired == 1


def test_nesting_deeper_than_any_parser_goes_is_not_a_notification() -> None:
    deep = b'{"entry": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    with pytest.raises(PayloadError):
        parse_notification(deep, OURS)
    deep_and_broken = b'{"x": "\\ud800", "entry": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    with pytest.raises(PayloadError):
        parse_notification(deep_and_broken, OURS)
