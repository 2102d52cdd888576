"""A fake WhatsApp Cloud API (Graph API) on 127.0.0.1 for end-to-end tests.

It accepts ``POST /{version}/{phone_number_id}/messages`` like the real one:
checks the bearer token, validates each message against WhatsApp's limits
(an over-long title is refused with error 131009, as Meta does), records what
it accepted, and answers with a message id. It can be scripted to fail: a
list of (status, error code) answers is used up before it answers normally.

Template messages (``type: template``) are checked against the templates the
test approved (``approve``): an unknown name or language gets 132001 and a
wrong number of body parameters, or a payload for a quick-reply button the
template does not have, 132000, as Meta answers. A number the test
``block``s gets 131026 (undeliverable) for everything; a number whose window
the test closed (``close_window``) gets 131047 for anything but a template.

``POST /{version}/{phone_number_id}/media`` takes a multipart upload (an OGG/Opus
file of type ``audio/ogg``) and answers with a media id, which an ``audio`` message
must then name; ``expire_media`` forgets every id (Meta keeps a file 30 days) and
``fail_uploads`` refuses the next uploads.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

VERSION = "v21.0"


@dataclass(frozen=True)
class Request:
    """One request the fake received (accepted or not)."""

    path: str
    headers: dict[str, str]
    body: Any
    status: int


@dataclass
class _Script:
    answers: list[tuple[int, int | None, dict[str, str]]] = field(default_factory=list)
    skip: int = 0


class FakeGraphAPI:
    """``async with FakeGraphAPI() as api``, then WHATSAPP_API_BASE_URL=``api.base_url``."""

    def __init__(self, phone_number_id: str = "106540352242922", token: str = "test-token") -> None:
        self.phone_number_id = phone_number_id
        self.token = token
        self.requests: list[Request] = []
        self.sent: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self._script = _Script()
        self._ids = itertools.count(1)
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.delay = 0.0
        """Seconds each answer takes, to see how many requests a client keeps in flight."""
        self.most_in_flight = 0
        self._in_flight = 0
        self.templates: dict[tuple[str, str], int] = {}
        """(name, language code) -> number of body parameters, of the approved templates."""
        self.template_buttons: dict[tuple[str, str], int] = {}
        """(name, language code) -> number of quick-reply buttons of the approved templates."""
        self.blocked: set[str] = set()
        self.closed_windows: set[str] = set()
        self.media: dict[str, bytes] = {}
        """Uploaded files by media id."""
        self.uploads: list[dict[str, Any]] = []
        """Every accepted upload: its form fields and the file's size."""
        self._media_ids = itertools.count(1)
        self._failing_uploads = 0

    def approve(self, name: str, language: str = "en", params: int = 1, buttons: int = 0) -> None:
        """A template Meta approved, in one language, with ``params`` body placeholders and
        ``buttons`` quick-reply buttons."""
        self.templates[(name, language)] = params
        self.template_buttons[(name, language)] = buttons

    def block(self, wa_id: str) -> None:
        """The person blocked the business number: every send to them is undeliverable."""
        self.blocked.add(wa_id)

    def close_window(self, wa_id: str) -> None:
        """More than 24 hours since the person wrote: only templates reach them."""
        self.closed_windows.add(wa_id)

    def templates_sent(self) -> list[dict[str, Any]]:
        """The ``template`` objects of the accepted template messages, in order."""
        return [body["template"] for body in self.sent if body.get("type") == "template"]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{VERSION}"

    def fail_next(
        self, status: int, code: int | None = None, times: int = 1,
        headers: dict[str, str] | None = None, after: int = 0,
    ) -> None:
        """Answer the next ``times`` requests with ``status`` and a WhatsApp error ``code``,
        once ``after`` more requests were answered normally (a send that stops half-way)."""
        self._script.skip = after
        self._script.answers.extend([(status, code, headers or {})] * times)

    def expire_media(self) -> None:
        """Forget every uploaded file: its media id is refused from now on."""
        self.media.clear()

    def fail_uploads(self, times: int = 1) -> None:
        """Refuse the next ``times`` uploads (500), as on a bad minute of the API."""
        self._failing_uploads += times

    def audio_sent(self) -> list[dict[str, Any]]:
        """The audio messages accepted, in order."""
        return [body for body in self.sent if body.get("type") == "audio"]

    async def wait_for(self, count: int, within: float = 10.0) -> list[dict[str, Any]]:
        """The accepted messages once there are at least ``count`` (fails after ``within`` s)."""
        async with asyncio.timeout(within), self._arrived:
            await self._arrived.wait_for(lambda: len(self.sent) >= count)
        return list(self.sent)

    async def __aenter__(self) -> FakeGraphAPI:
        app = web.Application()
        app.router.add_post("/{version}/{phone}/messages", self._messages)
        app.router.add_post("/{version}/{phone}/media", self._upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _messages(self, request: web.Request) -> web.Response:
        self._in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self._in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return await self._record(request)
        finally:
            self._in_flight -= 1

    async def _upload(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response(_error(190, "Error validating access token"), status=401)
        if request.match_info["phone"] != self.phone_number_id:
            return web.json_response(_error(100, "Unsupported post request"), status=400)
        if self._failing_uploads:
            self._failing_uploads -= 1
            return web.json_response(_error(131000, "Something went wrong"), status=500)
        form = await request.post()
        upload = form.get("file")
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        if fields.get("messaging_product") != "whatsapp" or not hasattr(upload, "file"):
            return web.json_response(_error(100, "Invalid parameter"), status=400)
        data = upload.file.read()  # type: ignore[union-attr]
        if fields.get("type") != "audio/ogg" or not data.startswith(b"OggS"):
            return web.json_response(_error(131053, "Media upload error"), status=400)
        media_id = f"{next(self._media_ids):015d}"
        self.media[media_id] = data
        self.uploads.append({**fields, "size": len(data),
                             "filename": getattr(upload, "filename", "")})
        return web.json_response({"id": media_id})

    async def _record(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        status, payload, headers = self._answer(request, body)
        self.requests.append(Request(request.path, dict(request.headers), body, status))
        if status == 200:
            async with self._arrived:
                self.sent.append(body)
                self._arrived.notify_all()
        return web.json_response(payload, status=status, headers=headers)

    def _answer(
        self, request: web.Request, body: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, _error(190, "Error validating access token", "OAuthException"), {}
        if request.match_info["phone"] != self.phone_number_id:
            return 400, _error(100, "Unsupported post request", "GraphMethodException"), {}
        if self._script.answers and self._script.skip:
            self._script.skip -= 1
        elif self._script.answers:
            status, code, headers = self._script.answers.pop(0)
            return status, _error(code or 131000, "Scripted failure", "OAuthException"), headers
        if isinstance(body, dict) and body.get("type") == "audio":
            media_id = (body.get("audio") or {}).get("id")
            if media_id not in self.media:
                return 400, _error(131053, "(#131053) Media upload error: unknown media id"), {}
        problems = check_message(body)
        if problems:
            self.violations.extend(problems)
            return 400, _error(131009, "(#131009) Parameter value is not valid"), {}
        to = body["to"]
        if to in self.blocked:
            return 400, _error(131026, "(#131026) Message Undeliverable."), {}
        if body["type"] == "template":
            refused = self._check_template(body["template"])
            if refused is not None:
                return 400, refused, {}
        elif to in self.closed_windows:
            return 400, _error(131047, "(#131047) Re-engagement message"), {}
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": f"wamid.FAKE{next(self._ids):08d}"}],
        }, {}


    def _check_template(self, template: dict[str, Any]) -> dict[str, Any] | None:
        key = (template.get("name", ""), (template.get("language") or {}).get("code", ""))
        if key not in self.templates:
            return _error(132001, "(#132001) Template name does not exist in the translation")
        given = sum(len(component.get("parameters") or [])
                    for component in template.get("components") or []
                    if component.get("type") == "body")
        buttons = [component for component in template.get("components") or []
                   if component.get("type") == "button"]
        has = self.template_buttons.get(key, 0)
        if given != self.templates[key] or any(
                not str(b.get("index", "")).isdigit() or int(b["index"]) >= has for b in buttons):
            return _error(132000, "(#132000) Number of parameters does not match the "
                                  "expected number of params")
        return None


def _error(code: int, message: str, kind: str = "OAuthException") -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": code,
                      "fbtrace_id": "AbCdEf"}}


def check_message(body: Any) -> list[str]:
    """Every way ``body`` breaks the Cloud API's rules for a text or interactive message."""
    if not isinstance(body, dict):
        return ["body is not a JSON object"]
    problems: list[str] = []
    if body.get("messaging_product") != "whatsapp":
        problems.append("messaging_product must be 'whatsapp'")
    if not isinstance(body.get("to"), str) or not body["to"]:
        problems.append("to is missing")
    kind = body.get("type")
    if kind == "text":
        text = (body.get("text") or {}).get("body", "")
        _length(problems, "text.body", text, 4096)
    elif kind == "interactive":
        problems.extend(_check_interactive(body.get("interactive") or {}))
    elif kind == "template":
        problems.extend(_check_template_shape(body.get("template") or {}))
    elif kind == "audio":
        if set(body.get("audio") or {}) != {"id"}:
            problems.append("an audio message names its uploaded file by id (no caption)")
    else:
        problems.append(f"unexpected type {kind!r}")
    return problems


def _check_template_shape(template: dict[str, Any]) -> list[str]:
    """Meta's shape of a template message: a name, a language code, body text parameters
    on one line (a new line, a tab or more than four spaces in a row are refused)."""
    problems: list[str] = []
    if not isinstance(template.get("name"), str) or not template["name"]:
        problems.append("template.name is missing")
    if not isinstance((template.get("language") or {}).get("code"), str):
        problems.append("template.language.code is missing")
    for component in template.get("components") or []:
        if component.get("type") == "button":
            problems.extend(_check_template_button(component))
            continue
        for parameter in component.get("parameters") or []:
            value = parameter.get("text")
            if parameter.get("type") != "text" or not isinstance(value, str) or not value:
                problems.append("a template parameter is not non-empty text")
            elif "\n" in value or "\t" in value or "     " in value:
                problems.append("a template parameter has a new line, a tab or 5 spaces")
    return problems


def _check_template_button(component: dict[str, Any]) -> list[str]:
    """A quick-reply button's payload: ``sub_type``, an ``index`` and one payload."""
    problems: list[str] = []
    if component.get("sub_type") != "quick_reply":
        problems.append("a template button component that is not quick_reply")
    if not isinstance(component.get("index"), str):
        problems.append("a template button's index is not a string")
    parameters = component.get("parameters") or []
    if len(parameters) != 1 or parameters[0].get("type") != "payload" \
            or not isinstance(parameters[0].get("payload"), str) \
            or not 1 <= len(parameters[0]["payload"]) <= 128:
        problems.append("a quick-reply button needs one payload of 1 to 128 characters")
    return problems


def _check_interactive(interactive: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    _length(problems, "body.text", (interactive.get("body") or {}).get("text", ""), 1024)
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            problems.append(f"{len(buttons)} buttons (1 to 3 allowed)")
        titles = [b.get("reply", {}).get("title", "") for b in buttons]
        ids = [b.get("reply", {}).get("id", "") for b in buttons]
        for title in titles:
            _length(problems, "button title", title, 20)
        for choice_id in ids:
            _length(problems, "button id", choice_id, 256)
        if len(set(titles)) != len(titles) or len(set(ids)) != len(ids):
            problems.append("button titles and ids must be unique")
    elif interactive.get("type") == "list":
        _length(problems, "list button", action.get("button", ""), 20)
        sections = action.get("sections") or []
        if not 1 <= len(sections) <= 10:
            problems.append(f"{len(sections)} sections (1 to 10 allowed)")
        rows = [row for section in sections for row in section.get("rows", [])]
        if not 1 <= len(rows) <= 10:
            problems.append(f"{len(rows)} rows (1 to 10 allowed)")
        for row in rows:
            _length(problems, "row title", row.get("title", ""), 24)
            _length(problems, "row id", row.get("id", ""), 200)
            if "description" in row:
                _length(problems, "row description", row["description"], 72)
        ids = [row.get("id") for row in rows]
        if len(set(ids)) != len(ids):
            problems.append("row ids must be unique")
    else:
        problems.append(f"unexpected interactive type {interactive.get('type')!r}")
    return problems


def _length(problems: list[str], what: str, value: Any, limit: int) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        size = len(value) if isinstance(value, str) else "no"
        problems.append(f"{what} has {size} characters (1 to {limit} allowed)")


# What Meta posts to the bot's webhook -------------------------------------------------

_message_ids = itertools.count(1)


def message(
    wa_id: str,
    kind: str = "text",
    content: dict[str, Any] | None = None,
    *,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """One entry of ``value.messages``, e.g. ``message(w, "text", {"body": "hi"})``."""
    return {
        "from": wa_id,
        "id": message_id or f"wamid.HBgM{wa_id}FQIAEhgU{next(_message_ids):020d}",
        "timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "type": kind,
        kind: content if content is not None else {},
    }


def text(wa_id: str, body: str, **kw: Any) -> dict[str, Any]:
    return message(wa_id, "text", {"body": body}, **kw)


def tap(wa_id: str, choice_id: str, title: str = "", *, row: bool = False,
        **kw: Any) -> dict[str, Any]:
    """A tapped reply button (or list row with ``row=True``)."""
    kind = "list_reply" if row else "button_reply"
    return message(wa_id, "interactive",
                   {"type": kind, kind: {"id": choice_id, "title": title}}, **kw)


def template_tap(wa_id: str, payload: str, title: str, **kw: Any) -> dict[str, Any]:
    """A tapped quick-reply button of a template message (type ``button``)."""
    return message(wa_id, "button", {"payload": payload, "text": title}, **kw)


def template_payloads(body: dict[str, Any]) -> list[str]:
    """The payloads of the quick-reply buttons a sent template message carries."""
    return [parameter["payload"]
            for component in (body.get("template") or {}).get("components") or []
            if component.get("type") == "button"
            for parameter in component.get("parameters") or []]


def notification(
    *messages: dict[str, Any],
    statuses: list[dict[str, Any]] | None = None,
    phone_number_id: str = "106540352242922",
    name: str = "Amina Test",
) -> dict[str, Any]:
    """A whole webhook body carrying ``messages`` (and delivery ``statuses``)."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": m.get("from", "")}
                             for m in messages]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }


def shown_text(body: dict[str, Any]) -> str:
    """What a person reads in a sent message (text, or an interactive body)."""
    if body.get("type") == "template":
        return f"[template {body['template']['name']}]"
    if body.get("type") == "text":
        return str(body["text"]["body"])
    if body.get("type") == "audio":
        return ""
    return str(body["interactive"]["body"]["text"])


def shown_choices(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, title) of the buttons or list rows of a sent message, in order."""
    if body.get("type") != "interactive":
        return []
    interactive = body["interactive"]
    if interactive["type"] == "button":
        return [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
    return [(row["id"], row["title"]) for section in interactive["action"]["sections"]
            for row in section["rows"]]
