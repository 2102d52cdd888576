"""The Telegram channel: a PTB ``Application`` whose one handler feeds the runner.

Receiving (our aiohttp webhook, or PTB's updater in polling mode) is separate
from handling: both end in ``_handle``, which parses the update's JSON, runs it
through the shared runner and sends the rendered replies, one person's updates
in order (``PersonOrder``). The webhook hands over the JSON it decoded, without
PTB's ``Update`` object or ``Application.process_update`` (``parse`` says why);
in polling mode PTB's updater builds the ``Update`` and a single ``TypeHandler``
passes its JSON on.
Outbound calls go through PTB's ``AIORateLimiter``, which also waits out a
``RetryAfter``, and over aiohttp (``AiohttpRequest``). The channel fulfils
``bot.channels.base.Channel``; its delivery claims follow ``Deliveries``.

In webhook mode one Bot API call rides in the webhook's answer instead of a
request of its own (``webhook``): the last ``sendMessage`` of a turn, once the
ones before it were sent (Telegram performs the answer's call only after it has
the answer, so the order holds). A button press first stops its spinner with an
``answerCallbackQuery`` of its own (small both ways, where a ``sendMessage``
comes back whole), or in the answer when the press brings no message. Nothing is
read back from such a call (no message id is ever needed), and Telegram's
answer to it is not seen: a person who blocked the bot is then not counted.
Telegram counts that call against the bot's flood limits like any other, and a
refusal of it would go unseen, so it waits its turn in PTB's rate limiter as a
sent one does (``_in_turn``): the overall rate, and a ``RetryAfter`` being
waited out.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from aiohttp import web
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import FloodLimit
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults, TypeHandler

from bot.channels.base import Deliveries, DeliveryLog, PersonOrder
from bot.channels.push import PersonWrote, Push, PushResult
from bot.channels.telegram.aiohttp_request import AiohttpRequest
from bot.channels.telegram.erase import erase_chat
from bot.channels.telegram.parse import (
    ALLOWED_UPDATES,
    CHANNEL,
    Json,
    callback_query_id,
    has_broken_text,
    parse_update,
    reply_chat_id,
    well_typed,
)
from bot.channels.telegram.push import push_messages
from bot.channels.telegram.render import TelegramText, render, webhook_call
from bot.channels.telegram.send import post_rendered, send_text
from bot.channels.telegram.voice import VoiceSender, caption_fits
from bot.channels.telegram.webhook import (
    DELIVERY_LEASE,
    DELIVERY_TTL,
    WEBHOOK_PATH,
    TelegramWebhook,
    delivery_key,
)
from bot.core.messages import Inbound, Outbound
from recruiter_reports.clock import utc_now

log = logging.getLogger(__name__)

PTBApplication = Application[Any, Any, Any, Any, Any, Any]

STAT_NAMES = (
    "updates", "ignored", "duplicates", "busy", "rejected", "malformed", "repaired", "blocked",
    "errors", "voice_failed", "resent", "erased", "erase_failed",
)
"""Counters every Telegram channel keeps (exported by ``/metrics``); none is per user."""


class HandlesInbound(Protocol):
    """What the channel needs from the runner (``bot.core.runner.Runner``)."""

    def pseudonym(self, inbound: Inbound) -> str: ...

    async def handle(self, inbound: Inbound, *, delivery: str | None = None) -> list[Outbound]: ...


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """Plain values from the settings, so the channel never reads the environment.

    ``api_base_url`` is passed unchanged to ``ApplicationBuilder.base_url``
    (e.g. ``http://127.0.0.1:8081/bot``), so the bot can run against a fake Bot API.
    """

    token: str
    webhook_url: str | None = None
    webhook_secret: str | None = None
    api_base_url: str | None = None
    polling: bool = False
    overall_max_rate: float = FloodLimit.MESSAGES_PER_SECOND
    max_retries: int = 3
    worker: str = ""
    """Who holds this worker's delivery claims (``bot.channels.base.worker_name``)."""
    commands: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """(language code or "" for everyone else, ((command, description), ...)) for
    ``setMyCommands``, so the "/" menu speaks the person's language."""


def protect_logs() -> None:
    """PTB logs whole updates and request parameters (ids, names, texts) at DEBUG.

    Those records must never reach a handler, whatever the root level is (a
    DEBUG root would let them through), and httpx logs request URLs, which
    carry the bot token.
    """
    telegram = logging.getLogger("telegram")
    if telegram.level == logging.NOTSET or telegram.level < logging.INFO:
        telegram.setLevel(logging.INFO)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


class TelegramChannel:
    """Parse, hand to the runner, render, send. Nothing else lives here."""

    name = CHANNEL

    def __init__(
        self, config: TelegramConfig, runner: HandlesInbound, deliveries: DeliveryLog,
        *, on_write: PersonWrote | None = None,
    ) -> None:
        """``deliveries`` is the store's delivery log, shared by every worker;
        ``on_write`` hears of every message a person sent (after it is answered), so
        what waits for them behind a neutral notice goes out when they open it."""
        protect_logs()
        self.config = config
        self._on_write = on_write
        self.stats: Counter[str] = Counter(dict.fromkeys(STAT_NAMES, 0))
        self._runner = runner
        self._order = PersonOrder()
        self.voice = VoiceSender()
        self.deliveries = Deliveries(
            deliveries, lease=DELIVERY_LEASE, ttl=DELIVERY_TTL, owner=config.worker,
            stats=self.stats,
        )
        self.application: PTBApplication = _build_application(config)
        self.application.add_handler(TypeHandler(Update, self._on_polled))
        self.application.add_error_handler(self._on_error)
        self._webhook: TelegramWebhook | None = None
        self._answers: dict[int, bytes] = {}
        """update id -> the Bot API call its webhook answer carries (webhook mode only)."""
        if not config.polling:
            self._webhook = TelegramWebhook(
                self.process, self.resend, self.stats,
                config.webhook_secret or "", self.deliveries,
            )

    def routes(self) -> Sequence[web.RouteDef]:
        """``POST /webhooks/telegram``, or nothing in polling mode."""
        if self._webhook is None:
            return []
        return [web.post(WEBHOOK_PATH, self._webhook.handle)]

    async def start(self) -> None:
        """Connect (getMe), free a crashed predecessor's claims, then register the
        commands and the webhook (or start long polling)."""
        await self.application.initialize()
        await self.deliveries.recover()
        await self._set_commands()
        if self.config.polling:
            updater = self.application.updater
            assert updater is not None  # built with one in polling mode
            await updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
            await self.application.start()
            log.info("telegram: long polling started")
        elif self.config.webhook_url:
            await self.application.bot.set_webhook(
                self.config.webhook_url,
                secret_token=self.config.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
            log.info("telegram: webhook registered")

    async def stop(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def process(self, update: Json) -> bytes | None:
        """Handle one update to the end (replies sent) before returning; the Bot API call
        left for the webhook's answer, if any. A failure is counted and logged by type,
        as PTB's error handler does in polling mode, and the update counts as handled."""
        try:
            await self._handle(update)
        except Exception as error:
            self._failed(error)
        finally:
            answer = self._answers.pop(update["update_id"], None)  # the webhook checked it
        return answer

    async def resend(self, update: Json, replies: list[Outbound]) -> None:
        """Send again what this update's saved turn answered (its turn is not run again)."""
        query_id = callback_query_id(update)
        if query_id is not None:
            await self._answer(query_id)
        inbound = parse_update(update)
        chat_id = reply_chat_id(update)
        if inbound is None or chat_id is None:
            return
        async with self._order.lock(self._runner.pseudonym(inbound)):
            await self._erase(chat_id, replies)
            await self._deliver(chat_id, replies)

    async def push(self, push: Push) -> PushResult:
        """Send messages the person did not just ask for (``bot.channels.push``), after
        any reply of theirs still being sent, so one person's messages stay in order."""
        async with self._order.lock(push.person):
            result = await push_messages(self.application.bot, push)
        self.stats[f"push_{result.status.value}"] += 1
        return result

    async def _set_commands(self) -> None:
        """The "/" menu in each language; a failure costs the menu, never the start."""
        for language, commands in self.config.commands:
            try:
                await self.application.bot.set_my_commands(
                    [BotCommand(command, description) for command, description in commands],
                    language_code=language or None,
                )
            except TelegramError as error:
                log.warning("telegram: setMyCommands failed: %s", type(error).__name__)
                return

    async def _on_polled(self, update: Update, context: object) -> None:
        """Polling mode: PTB's updater built the ``Update``; its JSON goes the same way,
        through the same type check as the webhook's (PTB checks no types)."""
        data = update.to_dict()
        problem = well_typed(data)
        if problem is not None:
            self.stats["malformed"] += 1
            log.warning("telegram: ignored an update with a mistyped field (%s)", problem)
            return
        await self._handle(data)

    async def _handle(self, update: Json) -> None:
        """Webhook mode: the turn's last message, or else a button's answer, rides in the
        webhook answer."""
        in_answer = self._webhook is not None
        update_id: int = update["update_id"]  # an int: the webhook refuses others, PTB makes one
        query_id = callback_query_id(update)
        if query_id is not None:
            if in_answer:  # until the turn's reply takes its place (below), even if it fails
                self._answers[update_id] = _callback_answer(query_id)
            else:
                await self._answer(query_id)
        inbound = parse_update(update)
        chat_id = reply_chat_id(update)
        if inbound is None or chat_id is None:
            if in_answer and query_id is not None:
                await self._in_turn("answerCallbackQuery", {"callback_query_id": query_id})
            self.stats["ignored"] += 1
            return
        if has_broken_text(update):
            self.stats["repaired"] += 1
        pseudonym = self._runner.pseudonym(inbound)
        async with self._order.lock(pseudonym):
            # Claimed deliveries only (webhook mode): the replies are saved with the turn.
            delivery = delivery_key(update_id) if in_answer else None
            replies = await self._runner.handle(inbound, delivery=delivery)
            await self._erase(chat_id, replies)
            parts = [] if any(r.audio for r in replies) else [p for r in replies for p in render(r)]
            if in_answer and parts:
                if query_id is not None:
                    # The spinner stops with a call of its own, small both ways, so that the
                    # reply, which Telegram would echo back whole, can ride in the answer.
                    self._answers.pop(update_id, None)
                    await self._answer(query_id)
                # The last message rides in the answer, which Telegram performs only after
                # it has it: after the ones before it, sent and acknowledged here.
                if await self._deliver(chat_id, replies, parts[:-1]):
                    await self._in_turn("sendMessage", {"chat_id": chat_id})
                    self._answers[update_id] = parts[-1].webhook_answer(chat_id)
            else:
                if in_answer and query_id is not None:
                    await self._in_turn("answerCallbackQuery", {"callback_query_id": query_id})
                await self._deliver(chat_id, replies, parts if parts else None)
        self.stats["updates"] += 1
        await self._wrote(pseudonym)

    async def _wrote(self, pseudonym: str) -> None:
        """Tell the senders the person is here (``on_write``); a failure costs only the
        wait until their next retry, never the reply."""
        if self._on_write is None:
            return
        try:
            await self._on_write(CHANNEL, pseudonym, utc_now())
        except Exception as error:
            log.warning("telegram: could not mark waiting messages due: %s",
                        type(error).__name__)

    async def _answer(self, query_id: str) -> None:
        """Stop the button's spinner (its JSON written here, ``send.post_rendered``); a query
        too old to answer is no reason to stop."""
        try:
            await post_rendered(
                self.application.bot, "answerCallbackQuery", _callback_body(query_id),
                {"callback_query_id": query_id},
            )  # fmt: skip
        except TelegramError as error:
            log.info("telegram: could not answer a button press: %s", type(error).__name__)

    async def _erase(self, chat_id: int, replies: list[Outbound]) -> None:
        """A quick exit: clear the conversation before its neutral screen is sent."""
        for reply in replies:
            if reply.erase is not None:
                self.stats["erased"] += 1
                self.stats["erase_failed"] += await erase_chat(
                    self.application.bot, chat_id, reply.erase)

    async def _in_turn(self, method: str, data: dict[str, object]) -> None:
        """Let PTB's rate limiter count a call that goes out in the webhook answer, and
        hold it as it would hold the call sent: under the overall rate, behind a
        ``RetryAfter``. Nothing is sent here; Telegram makes the call."""
        limiter = self.application.bot.rate_limiter
        if limiter is not None:
            await limiter.process_request(_made_by_telegram, (), {}, method, data, None)

    async def _deliver(
        self, chat_id: int, replies: list[Outbound], parts: list[TelegramText] | None = None
    ) -> bool:
        """Send replies in order (a recording first, as a voice message); stop quietly when
        the person has blocked the bot. ``parts``: the replies already rendered (none has
        a recording), sent instead. False when sending stopped before the end."""
        bot = self.application.bot
        try:
            for part in parts or ():
                await send_text(bot, chat_id, part)
            for reply in replies if parts is None else ():
                if reply.audio is not None:
                    if await self.voice.send(bot, chat_id, reply):
                        if caption_fits(reply):
                            continue
                        reply = replace(reply, audio=None)  # the text after the voice message
                    else:
                        self.stats["voice_failed"] += 1
                        note = reply.audio.unavailable
                        reply = replace(reply, audio=None, text=f"{reply.text}\n\n{note}".strip())
                for part in render(reply):
                    await send_text(bot, chat_id, part)
        except Forbidden:
            self.stats["blocked"] += 1
            log.info("telegram: a recipient has blocked the bot; replies dropped")
        except RetryAfter:
            self.stats["errors"] += 1
            log.warning("telegram: still rate limited after retries; replies dropped")
        except TelegramError as error:
            self.stats["errors"] += 1
            log.warning("telegram: sending failed: %s", type(error).__name__)
        else:
            return True
        return False

    async def _on_error(self, update: object, context: Any) -> None:
        """PTB's error handler (polling mode)."""
        self._failed(getattr(context, "error", None))

    def _failed(self, error: object) -> None:
        # The update and the error text may carry user data: log the error type only.
        self.stats["errors"] += 1
        log.error("telegram: handling an update failed: %s", type(error).__name__)


async def _made_by_telegram() -> bool:
    """What the rate limiter runs for a call in the webhook answer: nothing to send."""
    return True


def _callback_body(query_id: str) -> bytes:
    """``answerCallbackQuery``'s parameters (it stops the button's spinner)."""
    return b'{"callback_query_id":%s}' % json.dumps(query_id).encode()


def _callback_answer(query_id: str) -> bytes:
    """``answerCallbackQuery`` as a webhook answer."""
    return webhook_call("answerCallbackQuery", _callback_body(query_id))


def _build_application(config: TelegramConfig) -> PTBApplication:
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=config.overall_max_rate, max_retries=config.max_retries
            )
        )
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .request(AiohttpRequest())  # a third of httpx's CPU per call: see aiohttp_request
    )
    if config.api_base_url:
        builder = builder.base_url(config.api_base_url)
    if not config.polling:
        builder = builder.updater(None)
    return builder.build()
