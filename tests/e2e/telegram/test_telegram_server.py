"""How ``serve`` starts: webhook or polling, health, metrics, and with no channel at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.web import SERVICES, ConfigurationError, make_app
from tests.e2e.telegram.conftest import BotServer, StartServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson


async def test_health_readiness_and_metrics(server: BotServer) -> None:
    status, body = await server.get("/healthz")
    assert status == 200
    status, body = await server.get("/readyz")
    assert status == 200
    assert '"store": true' in body and '"content": true' in body
    status, body = await server.get("/metrics")
    assert status == 200
    assert "# TYPE bot_updates_total counter" in body
    assert 'bot_updates_total{channel="telegram"} 0' in body


async def test_metrics_count_handled_updates_without_any_user_label(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(604_330_201)
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    _, body = await server.get("/metrics")
    assert 'bot_updates_total{channel="telegram"} 2' in body
    assert str(person.id) not in body


async def test_readiness_fails_while_the_store_is_unreachable_but_health_holds(
    server: BotServer,
) -> None:
    await server.app[SERVICES].store.close()
    status, body = await server.get("/readyz")
    assert status == 503
    assert '"store": false' in body
    assert (await server.get("/healthz"))[0] == 200


async def test_polling_mode_reads_get_updates_and_needs_no_webhook(
    start_server: StartServer, tmp_path: Path, telegram_api: FakeTelegramAPI
) -> None:
    settings = bot_settings(
        tmp_path, telegram_api, TELEGRAM_WEBHOOK_URL=None, TELEGRAM_WEBHOOK_SECRET=None
    )
    server = await start_server(settings, polling=True)
    assert telegram_api.calls_to("deleteWebhook")
    assert telegram_api.calls_to("setWebhook") == []

    person = TelegramPerson(604_330_202)
    telegram_api.push_update(person.message("/start"))
    await telegram_api.wait_for("sendMessage", count=2)
    assert ("Kiswahili", "lang:sw") in telegram_api.last_keyboard()

    telegram_api.push_update(person.press("lang:sw"))
    await telegram_api.wait_for("answerCallbackQuery")
    await telegram_api.wait_for("sendMessage", count=3)
    assert {m["chat_id"] for m in telegram_api.calls_to("sendMessage")} == {person.id}

    # No webhook route in polling mode: nobody can push updates past Telegram.
    assert await server.post_update(person.message("/start")) == 404


async def test_serve_runs_with_no_channel_configured(
    start_server: StartServer, tmp_path: Path, telegram_api: FakeTelegramAPI
) -> None:
    settings = bot_settings(tmp_path, telegram_api, TELEGRAM_BOT_TOKEN=None)
    server = await start_server(settings)
    assert (await server.get("/healthz"))[0] == 200
    assert (await server.get("/readyz"))[0] == 200
    assert await server.post_update(TelegramPerson(604_330_203).message("/start")) == 404
    assert telegram_api.calls == []


async def test_a_webhook_without_a_secret_is_refused_at_start(
    tmp_path: Path, telegram_api: FakeTelegramAPI
) -> None:
    settings = bot_settings(tmp_path, telegram_api, TELEGRAM_WEBHOOK_SECRET=None)
    with pytest.raises(ConfigurationError, match="TELEGRAM_WEBHOOK_SECRET"):
        await make_app(settings)
    assert telegram_api.calls == []


async def test_at_start_the_command_menu_is_set_in_every_language(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    menus = {call.get("language_code", ""): call["commands"]
             for call in telegram_api.calls_to("setMyCommands")}
    assert set(menus) == {"", "sw", "ne", "ar"}
    for commands in menus.values():
        names = [command["command"] for command in commands]
        assert names[0] == "sos" and {"menu", "check", "rate", "mydata", "forget"} <= set(names)
    sw = server.app[SERVICES].catalogs.translator("sw")
    described = {c["command"]: c["description"] for c in menus["sw"]}
    assert described["sos"] == sw("Help now: emergency numbers and who to call")
    assert described["sos"] != dict((c["command"], c["description"]) for c in menus[""])["sos"]
