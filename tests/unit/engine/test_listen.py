"""Listen buttons, the audio the engine attaches, and "answer me with audio too" (plain data)."""

from __future__ import annotations

from bot.core.messages import Inbound, Outbound
from tests.unit.engine.conftest import Person


async def _press(person: Person, choice_id: str) -> list[Outbound]:
    """A button of an earlier message (a tap works on any message still in the chat)."""
    return await person._go(Inbound("test", person.user, choice=choice_id))


async def _swahili(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:sw")


async def test_an_article_with_a_recording_offers_listen_and_one_without_does_not(
    person: Person,
) -> None:
    await _swahili(person)
    await _press(person, "a:sa-passport:0")
    assert "listen:a:sa-passport:sw" in [c.id for c in person.last.choices]
    assert all(reply.audio is None for reply in person.replies)  # text only until asked
    await person.tap("menu")
    await person.tap("guides")
    await person.tap("guide:QA")
    await person.tap("topic:QA:wages")
    assert not [c for c in person.last.choices if c.id.startswith("listen:")]


async def test_listen_sends_the_recording_with_its_caption_then_asks_once(person: Person) -> None:
    await _swahili(person)
    await _press(person, "a:sa-passport:0")
    await person.tap("listen:a:sa-passport:sw")
    heard, asked = person.replies
    assert heard.audio is not None and heard.audio.path.endswith("sa/sw/passport/passport.ogg")
    assert heard.text.startswith("🔊 Pasipoti yako ni mali yako (Saudi Arabia) (2:")
    assert heard.audio.unavailable.startswith("(Rekodi haikuweza kutumwa")
    assert asked.audio is not None and asked.audio.path.endswith("prompts/sw/ask-audio.ogg")
    assert [c.id for c in asked.choices][:2] == ["audio:on", "audio:off"]
    await person.tap("menu")
    await _press(person, "a:sa-passport:0")
    await person.tap("listen:a:sa-passport:sw")
    assert len(person.replies) == 1  # asked once only


async def test_with_audio_on_the_sos_card_sends_its_recording_after_the_numbers(
    person: Person,
) -> None:
    await _swahili(person)
    await person.send("/audio")
    await person.tap("audio:on")
    await person.send("/sos")
    await _press(person, "sos:QA")
    assert "999" in person.replies[0].text and person.replies[0].audio is None
    assert person.replies[1].audio is not None
    assert person.replies[1].audio.path.endswith("qa/sw/sos.ogg")
    assert "listen:sos:QA" in [c.id for c in person.last.choices]
    await _press(person, "a:sa-passport:0")
    assert person.replies[0].audio is not None  # the article's recording before its text
    assert "PASIPOTI" in person.replies[1].text.upper()


async def test_audio_off_and_a_missing_recording(person: Person) -> None:
    await _swahili(person)
    await person.send("/audio")
    await person.tap("audio:off")
    assert "/audio" in person.text
    await person.send("/sos")
    await _press(person, "sos:QA")
    assert all(reply.audio is None for reply in person.replies)
    await person.tap("listen:sos:QA")
    assert person.replies[0].audio is not None
    replies = await _press(person, "listen:a:no-such-article:sw")
    assert "haipatikani tena" in replies[0].text


async def test_a_voice_note_is_answered_in_writing_and_aloud_and_offers_a_person(
    person: Person,
) -> None:
    from bot.core.messages import Media

    await _swahili(person)
    replies = await person._go(Inbound("test", person.user, media=Media.VOICE))
    answer = replies[0]
    assert answer.text.startswith("Mimi ni programu ya kompyuta")
    assert answer.audio is not None and answer.audio.path.endswith("prompts/sw/cannot-listen.ogg")
    assert [c.id for c in answer.choices][:2] == ["talk", "find"]
    assert answer.choices[0].label == "💬 Ongea na mtu"
    assert "sos" in [c.id for c in answer.choices]
    assert replies[1].audio is not None and "audio:on" in [c.id for c in replies[1].choices]
