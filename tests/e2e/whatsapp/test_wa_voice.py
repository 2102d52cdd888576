"""Listening on WhatsApp: the audio goes up to the media endpoint once and goes out as an
audio message (its id reused, uploaded again when it expired); the text follows with its
buttons; a failed upload sends the text with a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.whatsapp.conftest import Phone
from tests.fakes.graph_api import FakeGraphAPI, shown_choices, shown_text

LISTEN = {"en": "Listen", "sw": "Sikiliza", "ne": "सुन्नुहोस्", "ar": "استمع"}


def _bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def _ids(bodies: list[dict[str, object]]) -> list[str]:
    return [choice_id for body in bodies for choice_id, _ in shown_choices(body)]


async def test_kiswahili_saudi_passport_article_offers_listen_and_sends_an_audio_message(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    await phone.say("hi")
    await phone.tap("lang:sw")
    await phone.tap("guides", row=True)
    await phone.tap("g:SA", row=True)
    article = await phone.tap("t:SA:passport", row=True)
    assert "PASIPOTI YAKO NI MALI YAKO" in "\n".join(shown_text(b) for b in article).upper()
    listen = [(i, t) for b in article for i, t in shown_choices(b) if i.startswith("listen:")]
    assert listen == [("listen:a:sa-passport:sw", "🔊 Sikiliza")]

    replies = await phone.tap("listen:a:sa-passport:sw", row=True)
    assert replies[0]["type"] == "audio"
    media_id = replies[0]["audio"]["id"]
    assert graph.media[media_id] == _bytes("content/countries/sa/sw/passport/passport.ogg")
    assert graph.uploads[0]["type"] == "audio/ogg"
    assert graph.uploads[0]["filename"] == "passport.ogg"
    assert "Pasipoti yako ni mali yako" in shown_text(replies[1])  # the caption follows as text
    # The question, asked once, with its spoken prompt first.
    assert replies[2]["type"] == "audio" and "Ungependa" in shown_text(replies[3])
    assert "audio:on" in _ids(replies[3:4])
    assert not graph.violations


@pytest.mark.parametrize("language", ["en", "sw", "ne", "ar"])
async def test_sos_in_qatar_has_audio_in_every_language(
    phone: Phone, graph: FakeGraphAPI, language: str
) -> None:
    await phone.say("hi")
    await phone.tap(f"lang:{language}")
    card = await phone.tap("sos:QA", row=True)
    assert "999" in "\n".join(shown_text(b) for b in card)
    assert "listen:sos:QA" in _ids(card)
    assert any(title.endswith(LISTEN[language]) for b in card for i, title in shown_choices(b)
               if i == "listen:sos:QA")
    replies = await phone.tap("listen:sos:QA", row=True)
    assert replies[0]["type"] == "audio"
    expected = _bytes(f"content/countries/qa/{language}/sos.ogg")
    assert graph.media[replies[0]["audio"]["id"]] == expected


async def test_the_media_id_is_reused_and_uploaded_again_once_it_expired(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    await phone.say("hi")
    await phone.tap("lang:en")
    first = await phone.tap("listen:sos:QA", row=True)
    second = await phone.tap("listen:sos:QA", row=True)
    assert first[0]["audio"] == second[0]["audio"]
    sos_uploads = [u for u in graph.uploads if u["filename"] == "sos.ogg"]
    assert len(sos_uploads) == 1
    graph.expire_media()
    third = await phone.tap("listen:sos:QA", row=True)
    assert third[0]["type"] == "audio" and third[0]["audio"] != first[0]["audio"]
    assert len([u for u in graph.uploads if u["filename"] == "sos.ogg"]) == 2


async def test_a_failed_upload_still_sends_the_text_with_a_note(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    await phone.say("hi")
    await phone.tap("lang:sw")
    graph.fail_uploads(times=2)  # the article and the spoken question both fail
    replies = await phone.tap("listen:a:sa-passport:sw", row=True)
    assert not [b for b in replies if b["type"] == "audio"]
    shown = shown_text(replies[0])
    assert "Pasipoti yako ni mali yako" in shown
    assert "Rekodi haikuweza kutumwa sasa hivi" in shown
    assert "sos" in _ids(replies)
    assert not graph.violations
