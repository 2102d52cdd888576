"""A person rating an agency through the Telegram webhook, typed as people type it.

Shared by the outage tests: each step is a message posted to the running
server; the replies are read back from the fake Bot API.
"""

from __future__ import annotations

from tests.e2e.telegram.conftest import BotServer
from tests.fakes import FakeTelegramAPI, TelegramPerson

RATING = ["/rate", "Kenya", "sunrise", "1", "Yes, I agree", "Qatar", "4", "No", "2", "No", "No",
          "Yes", "Yes", "1", "Skip", "Skip"]  # fmt: skip
"""From /rate to the summary with its Send button (one agency of the example registry)."""
SAVED = "Thank you. Your answers help other workers"
RETRY = "could not save that just now"


async def say(server: BotServer, api: FakeTelegramAPI, person: TelegramPerson, text: str) -> str:
    """Post one message; the bot's replies to it, joined."""
    before = len(api.calls_to("sendMessage"))
    status = await server.post_update(person.message(text))
    assert status == 200, f"{text!r} answered {status}"
    replies = [call["text"] for call in api.calls_to("sendMessage")[before:]
               if call["chat_id"] == person.id]  # fmt: skip
    assert replies, f"no answer to {text!r}"
    return "\n".join(replies)


async def rate_up_to_send(
    server: BotServer, api: FakeTelegramAPI, person: TelegramPerson
) -> str:
    """Start, choose English, answer every question; the summary shown before Send."""
    await say(server, api, person, "/start")
    await server.post_update(person.press("lang:en"))
    reply = ""
    for text in RATING:
        reply = await say(server, api, person, text)
    assert "check your answers" in reply, reply
    assert any("Send" in label for label, _ in api.last_keyboard())
    return reply


async def rate(server: BotServer, api: FakeTelegramAPI, person: TelegramPerson) -> str:
    """A whole rating, Send included; the answer to Send."""
    await rate_up_to_send(server, api, person)
    return await say(server, api, person, "Send")


async def sos(server: BotServer, api: FakeTelegramAPI, person: TelegramPerson) -> str:
    """/sos, then Qatar when the bot asks where the person is; the numbers shown."""
    reply = await say(server, api, person, "/sos")
    if "999" in reply:
        return reply
    before = len(api.calls_to("sendMessage"))
    assert await server.post_update(person.press("sos:QA")) == 200
    return "\n".join(call["text"] for call in api.calls_to("sendMessage")[before:])
