"""Messages a person did not just ask for: the "push" contract every channel can fulfil.

A reply to a person's message goes out while their message is handled. A case
reply from a caseworker, or a check-in a month later, goes out when nobody is
writing: the sender holds only the person's *reply address* (the channel's raw
chat id or phone number, kept encrypted and opened only inside the worker at
send time) and hands the channel a ``Push``. The channel answers with a typed
``PushResult`` and never raises for a platform's refusal, so a delivery loop
can decide: done, try again later, wait for the person to write, or stop.

What the result says is about the platform, never about the person: ``detail``
is plain words for an operator (which setting is missing, what Meta refused),
without the address or the message. The address is never logged, and
``Push.__repr__`` leaves it out so a traceback cannot print it either.

Platforms that only allow free-form messages inside a window after the person's
last message (WhatsApp: 24 hours) take an approved *template* outside it: the
caller says which one it would use (``Template``: its purpose, the values of
its placeholders, the person's language) and the channel maps the purpose to
the template name the operator configured. The messages themselves are then
not sent (``TEMPLATE_SENT``): the template asks the person to write, and their
message reopens the window.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from bot.core.messages import Outbound

log = logging.getLogger(__name__)


PersonWrote = Callable[[str, str, dt.datetime], Awaitable[None]]
"""``(channel, pseudonym, when)``: a channel with a window says a person wrote, so what
waits for them (a case reply announced by a template) can go out now."""


class TemplatePurpose(enum.StrEnum):
    """What a template message is for; each maps to one configured template name."""

    CASE_REPLY = "case_reply"
    """"You have a reply from {partner}, write anything to read it"."""
    CHECKIN = "checkin"
    """"It is time for your check-in, write anything to start"."""
    REPORT_BACK = "report_back"
    """"Workers from your country shared what happened this quarter, write anything to
    read it": the quarterly report-back (``bot.web.followups.reportback``)."""
    NOTICE = "notice"
    """"You have a new message" with an "Open" button: for a person who chose discreet
    notifications, instead of either of the above (``bot.web.notice``)."""


@dataclass(frozen=True, slots=True)
class Template:
    """The template to send when the free-form window is closed.

    ``params`` fill the template's body placeholders in order ({{1}}, {{2}}...);
    ``locale`` is the bot's locale of the person, mapped by the channel to a
    language the template is approved in.
    """

    purpose: TemplatePurpose
    params: tuple[str, ...] = ()
    locale: str = "en"
    buttons: tuple[str, ...] = ()
    """The payloads of the template's quick-reply buttons, in order: a tap comes back as
    that choice id."""


@dataclass(frozen=True, slots=True)
class Push:
    """Messages for one person, in order, outside a reply to their message.

    ``address`` is the channel's raw reply address (a Telegram chat id, a
    WhatsApp number): in memory only, never logged, never in ``repr``.
    ``person`` is their pseudonym, by which a channel keeps one person's
    messages in order and knows when they last wrote; ``last_seen`` is when
    they last wrote as the sender knows it (a stored case message), for a
    channel whose window this worker did not see open.
    """

    address: str = field(repr=False)
    messages: tuple[Outbound, ...]
    person: str = ""
    last_seen: dt.datetime | None = None
    template: Template | None = None


class PushStatus(enum.StrEnum):
    """How a push ended, as a delivery loop must act on it."""

    SENT = "sent"
    """Every message was delivered to the platform."""
    TEMPLATE_SENT = "template_sent"
    """The window was closed: the template went out, the messages wait until the person writes."""
    WINDOW_CLOSED = "window_closed"
    """The window was closed and no template was asked for: send again when the person writes."""
    NO_TEMPLATE = "no_template"
    """The window was closed and the template for this purpose is not configured."""
    BLOCKED = "blocked"
    """The person blocked the bot or cannot receive messages: nothing more will reach them."""
    RETRY = "retry"
    """A passing fault (rate limit, outage, network): try again later."""
    FAILED = "failed"
    """A fault a retry cannot fix without an operator (token, template rejected, no such chat)."""
    NO_CHANNEL = "no_channel"
    """This server does not run the person's channel."""


_DELIVERED = frozenset({PushStatus.SENT})
_WAITING = frozenset({PushStatus.TEMPLATE_SENT, PushStatus.WINDOW_CLOSED})


@dataclass(frozen=True, slots=True)
class PushResult:
    """The outcome: ``status``, how many of the messages were delivered, why (no user data).

    ``sent`` counts whole messages delivered in order, so a push that stopped
    half-way is resumed at ``messages[sent:]`` without repeating one.
    """

    status: PushStatus
    sent: int = 0
    detail: str = ""
    code: int | None = None
    """The platform's error code, when it gave one (Graph API codes, Bot API HTTP status)."""

    @property
    def delivered(self) -> bool:
        return self.status in _DELIVERED

    @property
    def waiting_for_person(self) -> bool:
        """Nothing more can be sent until the person writes (the window is closed)."""
        return self.status in _WAITING

    @property
    def retryable(self) -> bool:
        """Worth trying again later without anyone changing anything."""
        return self.status in {PushStatus.RETRY, PushStatus.NO_CHANNEL}


@runtime_checkable
class Pusher(Protocol):
    """A channel that can reach a person outside a reply: ``push`` never raises for
    what the platform answers, only returns a ``PushResult``."""

    name: str

    async def push(self, push: Push) -> PushResult: ...


class Pushers(Mapping[str, Pusher]):
    """The push senders of this process by channel name (built in the composition root).

    ``push`` is the one door a delivery loop uses: a channel this server does
    not run, or one that fails in a way nobody foresaw, gives a result instead
    of an exception, so one person's message never stops the loop.
    """

    def __init__(self, pushers: Mapping[str, Pusher] | None = None) -> None:
        self._pushers: dict[str, Pusher] = dict(pushers or {})

    def add(self, pusher: Pusher) -> None:
        self._pushers[pusher.name] = pusher

    def __getitem__(self, name: str) -> Pusher:
        return self._pushers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pushers)

    def __len__(self) -> int:
        return len(self._pushers)

    async def push(self, channel: str, push: Push) -> PushResult:
        pusher = self._pushers.get(channel)
        if pusher is None:
            return PushResult(PushStatus.NO_CHANNEL, detail=f"channel {channel!r} is not running")
        try:
            return await pusher.push(push)
        except Exception as error:
            # The type only: the error text could quote the address or the message.
            log.error("push on %s failed unexpectedly: %s", channel, type(error).__name__)
            return PushResult(PushStatus.RETRY, detail=f"unexpected {type(error).__name__}")
