"""A voice note reaches a person on WhatsApp: it becomes the case message in the casework
store (kept as the Graph API's media id, sealed), and one sent later goes into the case."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.services import Services, build_services
from bot.settings import load_settings
from bot.web.app import build_app
from casework import MessageKind
from casework.models import message_context
from casework.sealing import generate_entry
from tests.e2e.whatsapp.conftest import APP_SECRET, VERIFY_TOKEN, WA_ID, Phone
from tests.fakes.graph_api import FakeGraphAPI, message, shown_choices, shown_text


@pytest.fixture
async def services(tmp_path: Path, graph: FakeGraphAPI) -> AsyncIterator[Services]:
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        PSEUDONYM_KEY="k" * 40,
        CONTACT_KEY=generate_entry("wa"),
        WHATSAPP_ACCESS_TOKEN=graph.token,
        WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_API_BASE_URL=graph.base_url,
    )
    built = await build_services(settings)
    yield built
    await built.close()


@pytest.fixture
async def voice_phone(services: Services, graph: FakeGraphAPI,
                      caplog: pytest.LogCaptureFixture) -> AsyncIterator[Phone]:
    caplog.set_level(logging.DEBUG)
    app: web.Application = build_app(services)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield Phone(client, graph, app)


def _voice(media_id: str) -> dict[str, object]:
    return message(WA_ID, "audio", {"id": media_id, "mime_type": "audio/ogg; codecs=opus",
                                    "voice": True})


async def test_a_voice_note_ends_up_in_a_caseworkers_queue(
    voice_phone: Phone, graph: FakeGraphAPI, services: Services, tmp_path: Path
) -> None:
    phone = voice_phone
    await phone.say("habari")
    await phone.tap("lang:sw")
    await phone.tap("sos:QA", row=True)
    answer = await phone.deliver(_voice("987654321001"))
    assert answer[0]["type"] == "audio"  # the spoken "I cannot listen myself"
    assert shown_text(answer[1]).startswith("Mimi ni programu ya kompyuta")
    assert shown_choices(answer[1])[0][0] == "talk:-:QA"

    stored = b"".join(p.read_bytes() for p in sorted(tmp_path.iterdir())  # noqa: ASYNC240
                      if p.name.startswith("bot.sqlite3"))
    assert b"987654321001" not in stored  # kept for the case to come, but only sealed
    await phone.tap("talk:-:QA", row=True)
    await phone.tap("talk:p:migrant-rights", row=True)
    agreed = await phone.tap("talk:ok")  # the voice note sent before agreeing is the message
    assert services.cases is not None
    queue = await services.cases.list_for_partner("migrant-rights")
    assert len(queue) == 1
    assert [m.kind for m in queue[0].messages] == [MessageKind.VOICE]
    assert queue[0].messages[0].media_type == "ref/whatsapp"
    assert services.sealer is not None
    first = queue[0].messages[0]
    assert b"987654321001" not in first.body  # sealed
    opened = services.sealer.open(first.body, context=message_context(queue[0].id, first.id))
    assert opened == b"987654321001"
    assert any(queue[0].id in shown_text(body) for body in agreed)
    await phone.deliver(_voice("987654321002"))  # a second one goes into the case
    queue = await services.cases.list_for_partner("migrant-rights")
    assert [m.kind for m in queue[0].messages] == [MessageKind.VOICE, MessageKind.VOICE]
    assert b"987654321002" not in queue[0].messages[1].body

    await phone.say("menu")
    await phone.deliver(_voice("987654321003"))  # not at the question: still into the case
    queue = await services.cases.list_for_partner("migrant-rights")
    assert [m.kind for m in queue[0].messages] == [MessageKind.VOICE] * 3
    assert not graph.violations
