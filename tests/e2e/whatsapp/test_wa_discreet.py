"""The quick exit on WhatsApp, end to end against the fake Graph API: a bot cannot delete
messages there, so the person reads how to do it by hand, then the neutral screen."""

from __future__ import annotations

from tests.e2e.whatsapp.conftest import Phone
from tests.fakes.graph_api import FakeGraphAPI, shown_choices, shown_text


async def test_quick_exit_explains_deleting_by_hand_then_shows_the_neutral_screen(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    await phone.say("hi")
    await phone.tap("lang:en", row=True)
    await phone.say("/sos")
    card = await phone.tap("sos:QA", row=True)
    assert "exit" in [choice_id for choice_id, _ in shown_choices(card[-1])]

    replies = await phone.tap("exit", row=True)

    steps, neutral = replies[-2:]
    said = shown_text(steps)
    assert "WhatsApp does not let me delete messages" in said
    assert "touch and hold it, tap Delete, then Delete for me" in said
    assert "tap ⋮, then More, then Clear chat" in said
    assert "Clear Chat" in said
    assert shown_text(neutral) == "📝 Notes\n\nNo notes yet."
    assert [title for _, title in shown_choices(neutral)] == ["Continue"]
    assert not graph.templates_sent()


async def test_exit_typed_in_swahili_answers_in_swahili(phone: Phone) -> None:
    await phone.say("hi")
    await phone.tap("lang:sw", row=True)
    replies = await phone.say("/exit")
    assert "WhatsApp" in shown_text(replies[-2])
    assert "WhatsApp does not let me" not in shown_text(replies[-2])
    assert shown_text(replies[-1]).startswith("📝 ")
