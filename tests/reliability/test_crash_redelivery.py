"""kill -9 of a real ``serve`` while it answers, then Telegram's redelivery to a new process.

Telegram retries an update until it gets a 2xx. The process dies after the
update was claimed and its turn saved, while the reply is on its way (the fake
Bot API holds the ``sendMessage``). A new process on the same port releases
the dead one's claims at start, so the redelivery is answered at once; before
that, the claim's lease would have turned the retry away as "being handled",
and with a 200 for a claimed update the /sos would never have been answered.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.core.messages import decode_replies
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.reliability.rating_chat import SAVED
from tests.reliability.served_bot import ServedBot

pytestmark = pytest.mark.reliability


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(tmp_path: Path, api: FakeTelegramAPI) -> AsyncIterator[ServedBot]:
    served = ServedBot(tmp_path, api)
    await served.start()
    yield served
    await served.stop()


async def _answered(bot: ServedBot, update: dict[str, Any]) -> None:
    status, _ = await bot.post(update)
    assert status == 200, bot.log()


async def _crash_while_answering(
    bot: ServedBot, api: FakeTelegramAPI, update: dict[str, Any]
) -> None:
    """Deliver ``update``, kill -9 the process while its turn's first call is being made
    (a press first stops its spinner; the turn is saved by then)."""
    api.hold("answerCallbackQuery" if "callback_query" in update else "sendMessage")
    delivery = asyncio.create_task(bot.post(update))
    await api.wait_holding()
    bot.kill()
    with pytest.raises(aiohttp.ClientError):
        await delivery  # Telegram sees no answer: it will send the update again
    api.release(drop=True)  # and the reply never reached the person


async def test_a_sos_cut_off_by_kill_9_is_answered_on_redelivery(
    bot: ServedBot, api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(700_100_001)
    await _answered(bot, person.message("/start"))
    await _answered(bot, person.press("lang:en"))
    sos = person.message("/sos")
    await _crash_while_answering(bot, api, sos)
    before = len(api.sent_texts())

    await bot.start()
    assert await bot.redeliver(sos) == 200
    replies = api.sent_texts()[before:]
    assert replies, "the person gets the SOS answer"
    keyboard = api.last_keyboard()
    if any(data.startswith("sos:") for _, data in keyboard):  # where are you?
        await _answered(bot, person.press("sos:QA"))
        replies = api.sent_texts()[before:]
    assert "999" in "\n".join(replies)  # Qatar's police, ambulance and fire
    assert 'bot_recovered_total{channel="telegram"} 1' in await bot.metrics()
    # Handled now: a further retry is a repeat.
    sent = len(api.sent_texts())
    assert (await bot.post(sos))[0] == 200
    assert len(api.sent_texts()) == sent


def _reports(store: Path) -> int:
    with sqlite3.connect(store) as db:
        return int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])


async def _press_first_answer(bot: ServedBot, api: FakeTelegramAPI,
                              person: TelegramPerson) -> dict[str, Any]:
    """The update a press on the first answer of the question shown last would send."""
    data = next(data for _, data in api.last_keyboard() if data.startswith("answer:"))
    return person.press(data)


async def _to_the_questions(bot: ServedBot, api: FakeTelegramAPI,
                            person: TelegramPerson) -> None:
    await _answered(bot, person.message("/start"))
    await _answered(bot, person.press("lang:en"))
    await _answered(bot, person.message("/rate"))
    if any(data == "agencies:rate:KE" for _, data in api.last_keyboard()):
        await _answered(bot, person.press("agencies:rate:KE"))
    await _answered(bot, person.message("sunrise"))
    await _answered(bot, person.press(api.button("Sunrise")))
    await _answered(bot, person.press("consent:yes"))


async def test_a_rating_cut_off_by_kill_9_goes_on_after_redelivery_and_is_kept_once(
    bot: ServedBot, api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(700_100_002)
    await _to_the_questions(bot, api, person)
    first_question = api.sent_texts()[-1]
    answer = await _press_first_answer(bot, api, person)
    await _crash_while_answering(bot, api, answer)
    before = len(api.sent_texts())

    await bot.start()
    assert await bot.redeliver(answer) == 200
    second_question = api.sent_texts()[before:]
    assert second_question and second_question[-1] != first_question
    assert any(data.startswith("answer:") for _, data in api.last_keyboard())

    # The rest of the questionnaire, then sending it; the send is cut off too.
    for _ in range(30):
        keyboard = api.last_keyboard()
        if any(data == "answer:send" for _, data in keyboard):
            break
        skip = next((data for _, data in keyboard if data == "answer:comment:skip"), None)
        await _answered(bot, person.press(skip) if skip else
                        await _press_first_answer(bot, api, person))
    # Sending is cut off after the rating and its answer were saved, before the
    # answer reached the person: the retry gets that answer, the thank-you, not a
    # second run of the turn on the closed rating ("This rating is no longer open").
    send = person.press("answer:send")
    await _crash_while_answering(bot, api, send)
    assert _reports(bot.store) == 1  # saved before the crash
    before = len(api.sent_texts())
    await bot.start()
    assert await bot.redeliver(send) == 200
    answer = "\n".join(api.sent_texts()[before:])
    assert SAVED in answer, answer
    assert "no longer open" not in answer
    assert {"menu", "sos"} <= {data for _, data in api.last_keyboard()}
    assert 'bot_resent_total{channel="telegram"} 1' in await bot.metrics()
    # Answered now: a further retry is a repeat, not a third answer.
    sent = len(api.sent_texts())
    assert (await bot.post(send))[0] == 200
    assert len(api.sent_texts()) == sent
    await bot.stop()
    assert _reports(bot.store) == 1  # acknowledged once, kept once


def _saved_replies(store: Path, update: dict[str, Any]) -> list[str]:
    with sqlite3.connect(store) as db:
        row = db.execute(
            "SELECT replies FROM deliveries WHERE key = ? AND completed = 0",
            (f"telegram:{update['update_id']}",),
        ).fetchone()
    assert row is not None and row[0] is not None, "the turn and its answer were saved"
    return [reply.text for reply in decode_replies(row[0])]


async def test_a_reply_in_the_webhook_answer_cut_off_by_kill_9_arrives_on_redelivery(
    bot: ServedBot, api: FakeTelegramAPI
) -> None:
    """A turn whose one reply rides in the webhook answer: the process dies after
    saving the turn, before writing the answer; the retry gets the saved reply."""
    person = TelegramPerson(700_100_003)
    await _answered(bot, person.message("/start"))
    await _answered(bot, person.press("lang:en"))
    bot.kill()
    await bot.start(crash_before_answer=True)
    message = person.message("/rate")
    with pytest.raises(aiohttp.ClientError):
        await bot.post(message)  # the 200 never comes: Telegram will send it again
    assert bot.wait_dead() == -signal.SIGKILL
    saved = _saved_replies(bot.store, message)
    before = len(api.sent_texts())

    await bot.start()
    assert await bot.redeliver(message) == 200
    assert api.sent_texts()[before:] == saved  # what the saved turn answered, once
    assert 'bot_resent_total{channel="telegram"} 1' in await bot.metrics()
    sent = len(api.sent_texts())
    assert (await bot.post(message))[0] == 200  # answered now: a repeat
    assert len(api.sent_texts()) == sent
