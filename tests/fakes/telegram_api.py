"""A fake Telegram Bot API on 127.0.0.1 that answers like Telegram and records every call.

Point PTB at it with ``ApplicationBuilder().base_url(fake.base_url)`` (or the
``TELEGRAM_API_BASE_URL`` setting). It serves ``/bot<token>/<method>``, reads
JSON, form-encoded and multipart bodies (PTB sends forms, with reply_markup
as a JSON string inside), keeps Telegram's rules that matter to a bot (4096
characters, 64-byte callback data, no getUpdates while a webhook is set) and
can be told to fail a call the way Telegram does (403 blocked, 429 retry_after).
``sendVoice`` takes an uploaded OGG/Opus file (multipart) or the ``file_id`` of one
uploaded before, as Telegram does; ``forget_files`` makes it refuse the old ids.
It keeps each private chat as a person sees it: ``incoming`` numbers a person's
update in the same message_id sequence as the bot's messages (as Telegram does in
a private chat), ``deleteMessages`` deletes up to 100 of them per call and skips
ids it cannot delete (unknown, another chat's, older than 48 hours), and
``visible`` is what is left on the person's screen.

    async with FakeTelegramAPI() as api:
        ...
        sent = await api.wait_for("sendMessage", count=2)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web
from aiohttp.web_request import FileField

TOKEN = "123456789:TEST-fake-token-for-the-local-bot-api"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Safe Migration Bot",
    "username": "safe_migration_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

_INTEGERS = frozenset({
    "chat_id", "message_id", "offset", "limit", "timeout", "max_connections", "cache_time",
    "user_id", "from_chat_id", "message_thread_id",
})
DELETABLE_SECONDS = 48 * 3600
"""A bot may delete messages of a private chat for 48 hours."""
_BOOLEANS = frozenset({
    "drop_pending_updates", "show_alert", "disable_notification", "protect_content",
})
_TRUE_METHODS = frozenset({
    "answercallbackquery", "sendchataction", "setmycommands",
    "deletemycommands", "setchatmenubutton", "close", "logout",
})


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One request the bot made: the method as sent, its decoded parameters, our status."""

    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass(slots=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None = None
    skip: int = 0
    """Calls still answered normally before this failure."""


@dataclass
class _State:
    webhook: dict[str, Any] = field(default_factory=dict)
    updates: deque[dict[str, Any]] = field(default_factory=deque)


_RUNNING: dict[str, FakeTelegramAPI] = {}
"""Running fakes by ``base_url``."""


class FakeTelegramAPI:
    """The fake server; use as an async context manager (or ``start``/``close``)."""

    def __init__(self, token: str = TOKEN, *, max_poll_wait: float = 0.3) -> None:
        self.token = token
        self.calls: list[ApiCall] = []
        self._max_poll_wait = max_poll_wait
        self._state = _State()
        self._failures: dict[str, deque[_Failure]] = {}
        self._message_ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._held: set[str] = set()
        self._release = asyncio.Event()
        self.holding = 0
        """Calls waiting behind ``hold`` right now."""
        self._drop_held = False
        self.files: dict[str, bytes] = {}
        """Uploaded voice files by the file_id given for them."""
        self.chats: dict[int, dict[int, dict[str, Any]]] = {}
        """chat id -> message id -> the message (the person's and the bot's), not deleted."""
        self._file_ids = itertools.count(1)

    # --- life -----------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[union-attr]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        _RUNNING[self.base_url] = self

    async def close(self) -> None:
        _RUNNING.pop(self.base_url, None)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """What to give ``TELEGRAM_API_BASE_URL``: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @classmethod
    def serving(cls, base_url: str | None) -> FakeTelegramAPI | None:
        """The running fake whose ``base_url`` a bot was given (to play Telegram's part)."""
        return _RUNNING.get(base_url or "")

    # --- what tests arrange ----------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail as Telegram would, once
        ``after`` more calls of it have succeeded (a send that stops half-way)."""
        text = description or {
            403: "Forbidden: bot was blocked by the user",
            429: f"Too Many Requests: retry after {retry_after}",
        }.get(status, "Bad Request")
        queue = self._failures.setdefault(method.lower(), deque())
        queue.extend(_Failure(status, text, retry_after) for _ in range(times))
        if after:
            queue[len(queue) - times].skip = after

    def hold(self, method: str) -> None:
        """Keep calls of ``method`` waiting (the bot stuck mid-send) until ``release``."""
        self._held.add(method.lower())
        self._release.clear()

    def release(self, *, drop: bool = False) -> None:
        """Let held calls go on; with ``drop`` they fail (502) and nothing is delivered,
        as when the bot died before its request reached Telegram."""
        self._held.clear()
        self._drop_held = drop
        self._release.set()

    async def wait_holding(self, count: int = 1, *, seconds: float = 10.0) -> None:
        """Wait until ``count`` calls are held."""
        async with asyncio.timeout(seconds):
            async with self._changed:
                await self._changed.wait_for(lambda: self.holding >= count)

    def forget_files(self) -> None:
        """Refuse every file_id given so far (as for a file id from another bot)."""
        self.files.clear()

    def uploads(self) -> list[dict[str, Any]]:
        """The sendVoice calls that carried a file (not a file_id)."""
        return [c for c in self.calls_to("sendVoice") if isinstance(c.get("voice"), dict)]

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for ``getUpdates`` (polling mode)."""
        self._state.updates.append(update)

    def incoming(self, update: dict[str, Any]) -> dict[str, Any]:
        """Number a person's update as Telegram would: a message takes the chat's next
        message_id; a button press sits under the latest bot message with buttons."""
        message = update.get("message")
        if isinstance(message, dict):
            message["message_id"] = next(self._message_ids)
            self.chats.setdefault(message["chat"]["id"], {})[message["message_id"]] = message
        query = update.get("callback_query")
        if isinstance(query, dict):
            chat = self.chats.get(query["message"]["chat"]["id"], {})
            with_buttons = [number for number, sent in chat.items() if sent.get("reply_markup")]
            if with_buttons:
                query["message"]["message_id"] = max(with_buttons)
        return update

    def visible(self, chat_id: int) -> list[dict[str, Any]]:
        """The messages of a private chat still there, oldest first."""
        chat = self.chats.get(chat_id, {})
        return [chat[number] for number in sorted(chat)]

    def age(self, chat_id: int, seconds: int) -> None:
        """Make every message of a chat ``seconds`` older."""
        for message in self.chats.get(chat_id, {}).values():
            message["date"] -= seconds

    @property
    def webhook(self) -> dict[str, Any]:
        """The parameters of the last setWebhook, empty after deleteWebhook."""
        return dict(self._state.webhook)

    # --- what tests read -----------------------------------------------------------

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """Parameters of the successful calls of ``method``, in order."""
        wanted = method.lower()
        return [c.params for c in self.calls if c.method.lower() == wanted and c.status == 200]

    def messages(self) -> list[dict[str, Any]]:
        """What a person sees, in order: text messages and voice messages (with ``caption``)."""
        return [c.params for c in self.calls
                if c.method.lower() in ("sendmessage", "sendvoice") and c.status == 200]

    def sent_texts(self) -> list[str]:
        return [params["text"] for params in self.calls_to("sendMessage")]

    def last_keyboard(self) -> list[tuple[str, str]]:
        """(label, callback data) of the buttons under the latest message (text or voice)
        that has any."""
        for sent in reversed(self.messages()):
            if keyboard := buttons(sent):
                return keyboard
        raise AssertionError("no message with buttons was sent")

    def button(self, label_part: str) -> str:
        """The callback data of the latest button whose label contains ``label_part``."""
        keyboard = self.last_keyboard()
        for label, data in keyboard:
            if label_part.casefold() in label.casefold():
                return data
        raise AssertionError(f"no button {label_part!r} in {[label for label, _ in keyboard]}")

    async def wait_for(
        self, method: str, count: int = 1, *, seconds: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` successful calls of ``method`` arrived; return them all."""
        async with asyncio.timeout(seconds):
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)
        return self.calls_to(method)

    async def perform_webhook_answer(self, status: int, content_type: str, body: bytes) -> None:
        """Do what Telegram does with a webhook's answer that names a method: call it.

        The bot never learns how such a call went; the call is recorded (and
        ``fail_next`` applies) as if the bot had made it.
        """
        if status != 200 or content_type != "application/json" or not body:
            return
        params = json.loads(body)
        if not isinstance(params, dict) or "method" not in params:
            return
        method = str(params.pop("method"))
        failures = self._failures.get(method.lower())
        if failures:
            failure = failures.popleft()
            await self._record(method, params, _error(failure.status, failure.description))
            return
        try:
            result = await self._answer(method.lower(), params)
        except _ApiError as error:
            await self._record(method, params, _error(error.status, error.description))
            return
        await self._record(method, params, web.json_response({"ok": True, "result": result}))

    # --- the server --------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        if method.lower() in self._held:
            async with self._changed:
                self.holding += 1
                self._changed.notify_all()
            try:
                await self._release.wait()
            finally:
                self.holding -= 1
            if self._drop_held:
                return await self._record(method, params, _error(502, "Bad Gateway"))
        if request.match_info["token"] != self.token:
            return await self._record(method, params, _error(401, "Unauthorized"))
        failures = self._failures.get(method.lower())
        if failures and failures[0].skip:
            failures[0].skip -= 1
        elif failures:
            failure = failures.popleft()
            return await self._record(
                method, params, _error(failure.status, failure.description, failure.retry_after)
            )
        try:
            result = await self._answer(method.lower(), params)
        except _ApiError as error:
            return await self._record(method, params, _error(error.status, error.description))
        return await self._record(method, params, web.json_response({"ok": True, "result": result}))

    async def _record(
        self, method: str, params: dict[str, Any], response: web.Response
    ) -> web.Response:
        async with self._changed:
            self.calls.append(ApiCall(method, params, response.status))
            self._changed.notify_all()
        return response

    async def _answer(self, method: str, params: dict[str, Any]) -> Any:
        match method:
            case "getme":
                return BOT_USER
            case "setwebhook":
                self._state.webhook = params
                return True
            case "deletewebhook":
                self._state.webhook = {}
                if params.get("drop_pending_updates"):
                    self._state.updates.clear()
                return True
            case "getwebhookinfo":
                return {"url": self._state.webhook.get("url", ""),
                        "has_custom_certificate": False, "pending_update_count": 0}
            case "getupdates":
                return await self._get_updates(params)
            case "sendmessage":
                return self._message(params)
            case "sendvoice":
                return self._voice(params)
            case "deletemessage":
                return self._delete({**params, "message_ids": [params.get("message_id")]})
            case "deletemessages":
                return self._delete(params)
            case "editmessagetext" | "editmessagereplymarkup":
                return self._message(params, message_id=params.get("message_id"))
            case _ if method in _TRUE_METHODS:
                return True
        raise _ApiError(404, "Not Found")

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._state.webhook:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                 "active; use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        queue = self._state.updates
        while queue and queue[0]["update_id"] < offset:
            queue.popleft()  # confirmed by the offset
        if not queue:
            wait = min(float(params.get("timeout") or 0), self._max_poll_wait)
            await asyncio.sleep(wait)
        limit = int(params.get("limit") or 100)
        return [update for update in queue if update["update_id"] >= offset][:limit]

    def _message(self, params: dict[str, Any], message_id: Any = None) -> dict[str, Any]:
        text = params.get("text")
        if params.get("chat_id") in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > 64:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        message: dict[str, Any] = {
            "message_id": int(message_id) if message_id else next(self._message_ids),
            "from": BOT_USER,
            "chat": {"id": params["chat_id"], "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        if not message_id:
            self._keep(message)
        return message

    def _keep(self, message: dict[str, Any]) -> None:
        chat_id = message["chat"]["id"]
        if isinstance(chat_id, int):
            self.chats.setdefault(chat_id, {})[message["message_id"]] = message

    def _delete(self, params: dict[str, Any]) -> bool:
        ids = params.get("message_ids")
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(ids, list) or not ids or not all(type(i) is int for i in ids):
            raise _ApiError(400, "Bad Request: message identifiers are not specified")
        if len(ids) > 100:
            raise _ApiError(400, "Bad Request: too many message identifiers specified")
        chat = self.chats.get(int(chat_id), {})
        now = int(time.time())
        for number in ids:
            found = chat.get(number)
            if found is not None and now - found["date"] < DELETABLE_SECONDS:
                del chat[number]
        return True


    def _voice(self, params: dict[str, Any]) -> dict[str, Any]:
        """A voice message: a new OGG file, or a file_id given before."""
        if params.get("chat_id") in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        voice = params.get("voice")
        if isinstance(voice, dict):
            if not voice["bytes"].startswith(b"OggS"):
                raise _ApiError(400, "Bad Request: VOICE_MESSAGES_FORBIDDEN_FORMAT")
            file_id = f"AwACAgFAKE{next(self._file_ids):06d}"
            self.files[file_id] = voice["bytes"]
        elif isinstance(voice, str) and voice in self.files:
            file_id = voice
        else:
            raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = params.get("caption")
        if caption is not None and len(str(caption).encode("utf-16-le")) // 2 > 1024:
            raise _ApiError(400, "Bad Request: message caption is too long")
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": BOT_USER,
            "chat": {"id": params["chat_id"], "type": "private"},
            "date": int(time.time()),
            "voice": {"file_id": file_id, "file_unique_id": file_id[-8:],
                      "duration": int(params.get("duration") or 1), "mime_type": "audio/ogg",
                      "file_size": len(self.files[file_id])},
        }
        if caption:
            message["caption"] = caption
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._keep(message)
        return message


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def buttons(sent: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button of one sendMessage call."""
    markup = sent.get("reply_markup") or {}
    return [
        (button["text"], button.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


async def _params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, form or multipart body."""
    params: dict[str, Any] = {key: _decode(key, value) for key, value in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        params.update(body if isinstance(body, dict) else {})
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, FileField):
            params[key] = {"filename": value.filename, "content_type": value.content_type,
                           "bytes": value.file.read()}
        else:
            params[key] = _decode(key, value) if isinstance(value, str) else value
    return params


def _decode(key: str, value: str) -> Any:
    """Form values are strings; Telegram reads JSON objects, numbers and booleans from them."""
    stripped = value.strip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    if key in _INTEGERS:
        try:
            return int(stripped)
        except ValueError:
            return value
    if key in _BOOLEANS:
        return stripped == "true"
    return value
