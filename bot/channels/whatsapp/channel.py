"""Accepting messages from the webhook and answering them: dedupe -> engine -> render -> send.

Why accept-then-answer-in-the-background: Meta wants a 200 quickly and
retries anything else for days, and the Graph API may need several attempts.
So the webhook only verifies, parses and claims each message id
(``bot.channels.base.Deliveries``: in the store, shared by every worker) and
answers 200; the message is then handled in a background task that retries
its sends, and the claim is marked complete when it is done. A repeated id is
dropped at the door. If the store cannot record a claim, the claim is kept in
this worker's memory and the person is answered all the same: during an
outage the SOS card, the guides and the menu still work (ratings ask to
retry), and a rare repeat is better than silence.

What is not kept: the message itself. Keeping it for a crash-safe outbox
would mean storing the sender's phone number, which this project never does.
Accepted messages still in flight are finished on a graceful shutdown
(``drain``); only a hard crash between the 200 and the reply loses one (the
person then sees no answer and writes again). Re-running the engine on a
redelivery instead would be worse: its state has moved on.

The record key is an HMAC of the message id, because a WhatsApp message id
("wamid.") encodes the sender's phone number.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import logging
import traceback
from collections import Counter, OrderedDict
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import web

from bot.channels.base import Claim, Deliveries, DeliveryLog, PersonOrder
from bot.channels.push import PersonWrote, Push, PushResult
from bot.channels.whatsapp.erase import with_steps
from bot.channels.whatsapp.graph import GraphClient
from bot.channels.whatsapp.media import AudioPart, MediaCache, render_with_audio
from bot.channels.whatsapp.parse import CHANNEL, Received
from bot.channels.whatsapp.push import WhatsAppPusher
from bot.channels.whatsapp.render import (
    BACK,
    Body,
    Labels,
    answers_alone,
    page_token,
    parse_more,
    render,
    render_page,
    typed_words,
)
from bot.channels.whatsapp.templates import WhatsAppTemplates
from bot.channels.whatsapp.webhook import WhatsAppWebhook
from bot.channels.whatsapp.window import ServiceWindow
from bot.core.context import MENU
from bot.core.messages import Choice, Inbound, Outbound
from bot.core.session import Session
from bot.i18n import Catalogs
from recruiter_reports.clock import utc_now
from recruiter_reports.stores import StoreUnavailable

log = logging.getLogger(__name__)

DELIVERY_TTL = dt.timedelta(days=8)
"""Meta retries a webhook for up to 7 days; a repeat is recognised for longer."""
DELIVERY_LEASE = dt.timedelta(minutes=5)
"""Longer than answering one message takes, send retries included."""
TOLD_MAX = 50_000
"""People remembered as told how to type Back, Menu and SOS."""


@dataclass(frozen=True, slots=True)
class WhatsAppConfig:
    """Plain values from the settings, so the channel never reads the environment."""

    access_token: str
    phone_number_id: str
    app_secret: str
    verify_token: str
    api_base_url: str = "https://graph.facebook.com/v21.0"
    worker: str = ""
    """Who holds this worker's delivery claims (``bot.channels.base.worker_name``)."""
    templates: WhatsAppTemplates = field(default_factory=WhatsAppTemplates)
    """Approved templates for messages outside the 24-hour window (none: such a push fails
    with ``NO_TEMPLATE``)."""


class Runs(Protocol):
    """What the channel needs from the runner (``bot.core.runner.Runner``)."""

    def pseudonym(self, inbound: Inbound) -> str: ...

    async def handle(self, inbound: Inbound) -> list[Outbound]: ...


class Sessions(Protocol):
    """The read of the session port used to rebuild a "More" page."""

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None: ...


class Store(DeliveryLog, Sessions, Protocol):
    """The parts of the store the channel uses."""


class WhatsAppChannel:
    """One business number's conversations, served by any worker (a ``Channel``)."""

    name = CHANNEL

    def __init__(
        self,
        config: WhatsAppConfig,
        runner: Runs,
        store: Store,
        catalogs: Catalogs,
        *,
        client: GraphClient | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        window: ServiceWindow | None = None,
        on_write: PersonWrote | None = None,
    ) -> None:
        """``on_write`` hears of every message a person sent (after it is answered), so
        messages waiting for the window to reopen are sent."""
        self.config = config
        self._on_write = on_write
        self._runner = runner
        self._store = store
        self._catalogs = catalogs
        self._client = client or GraphClient(
            config.api_base_url, config.phone_number_id, config.access_token
        )
        self._secret = config.app_secret.encode()
        self._clock = clock
        self._window = window or ServiceWindow()
        self.media = MediaCache(self._client, clock)
        self._pusher = WhatsAppPusher(self._client, self._window, config.templates, clock)
        self.stats: Counter[str] = Counter()
        """Counts per kind of event (updates, duplicates, ignored, errors...), never per person."""
        self.deliveries = Deliveries(
            store, lease=DELIVERY_LEASE, ttl=DELIVERY_TTL, owner=config.worker, clock=clock,
            stats=self.stats,
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._order = PersonOrder()
        self._told: OrderedDict[str, None] = OrderedDict()
        self._webhook = WhatsAppWebhook(
            self.accept, self.stats, app_secret=config.app_secret,
            verify_token=config.verify_token, phone_number_id=config.phone_number_id,
        )

    def routes(self) -> Sequence[web.RouteDef]:
        """``GET /webhooks/whatsapp`` (handshake) and ``POST`` (deliveries)."""
        return self._webhook.routes()

    async def start(self) -> None:
        await self._client.start()
        await self.deliveries.recover()

    async def stop(self) -> None:
        await self.close()

    def record_key(self, message_id: str) -> str:
        """The store key recording a message id, keyed so the id's phone number is not kept."""
        digest = hmac.new(self._secret, message_id.encode(), hashlib.sha256).hexdigest()
        return f"whatsapp:{digest[:40]}"

    async def accept(self, received: list[Received]) -> int:
        """Claim each new message, then handle it in the background; repeats are dropped.

        A message another worker is answering right now counts as a repeat too:
        Meta's 200 means "received", and it was.
        """
        accepted = 0
        for item in received:
            key = self.record_key(item.message_id)
            if await self.deliveries.claim(key) is not Claim.NEW:
                log.info("repeated WhatsApp message ignored (%s)", item.kind)
                self.stats["duplicates"] += 1
                continue
            accepted += 1
            self._spawn(self._handle_claimed(item, key))
        return accepted

    async def _handle_claimed(self, item: Received, key: str) -> None:
        """Handle, then mark the claim complete, even when handling failed: answering
        a message again from a state that has moved on would confuse the person more
        than the missing answer (they write again). Cancelled at shutdown, the claim
        is released, for the rare redelivery to be handled."""
        try:
            await self.handle(item)
        except asyncio.CancelledError:
            await self.deliveries.release(key)
            raise
        except Exception:
            await self.deliveries.complete(key)
            raise
        await self.deliveries.complete(key)

    async def handle(self, item: Received) -> None:
        """Answer one accepted message, keeping one person's replies in order."""
        if item.inbound is None:
            log.debug("WhatsApp %s needs no answer", item.kind)
            self.stats["ignored"] += 1
            return
        inbound = item.inbound
        pseudonym = self._runner.pseudonym(inbound)
        wrote = item.sent_at or self._clock()
        self._window.note(pseudonym, wrote)
        async with self._order.lock(pseudonym):
            bodies = await self._replies(inbound, pseudonym)
            if await self._send(bodies, pseudonym):
                self.stats["updates"] += 1
                log.info("WhatsApp %s answered with %d message(s)", item.kind, len(bodies))
        if self._on_write is not None:
            try:
                await self._on_write(CHANNEL, pseudonym, wrote)
            except StoreUnavailable:
                log.warning("could not mark waiting messages due; they go out on their retry")

    async def push(self, push: Push) -> PushResult:
        """Send messages the person did not just ask for (``bot.channels.push``), after
        any reply of theirs still being sent, so one person's messages stay in order."""
        async with self._order.lock(push.person):
            labels = Labels()
            if any(message.choices for message in push.messages):
                labels = self._labels(await self._session(push.person))
            rendered = [render(message, push.address, labels) for message in push.messages]
            result = await self._pusher.push(push, rendered)
        self.stats[f"push_{result.status.value}"] += 1
        return result

    async def drain(self, grace: float = 30.0) -> None:
        """Wait for the messages being handled (shutdown, tests); after ``grace``
        seconds the late ones are cancelled, which releases their claims."""
        pending = set(self._tasks)
        if pending:
            _, late = await asyncio.wait(pending, timeout=grace)
            if late:
                log.error("%d WhatsApp message(s) still in flight at shutdown", len(late))
                for task in late:
                    task.cancel()
                await asyncio.gather(*late, return_exceptions=True)

    async def close(self) -> None:
        await self.drain()
        await self._client.close()

    async def _replies(self, inbound: Inbound, pseudonym: str) -> list[Body | AudioPart]:
        more = parse_more(inbound.choice) if inbound.choice else None
        if more is not None:
            page = await self._next_page(inbound.user_ref, pseudonym, *more)
            if page is not None:
                return [page]
            # A "More" of a list no longer shown: the engine says the button is
            # stale and shows the menu.
        outbounds = await self._runner.handle(inbound)
        labels = Labels()
        if any(message.choices or message.erase for message in outbounds):
            session = await self._session(pseudonym)
            labels = self._labels(session, self._typed_hint(outbounds, pseudonym, session))
            if any(message.erase for message in outbounds):
                outbounds = with_steps(outbounds, self._catalogs.translator(session.locale))
        return [
            body
            for message in outbounds
            for body in render_with_audio(message, inbound.user_ref, labels)
        ]

    def _typed_hint(
        self, outbounds: list[Outbound], pseudonym: str, session: Session
    ) -> str | None:
        """How to type Back, Menu and SOS, the first time a question hides their buttons.

        Who was told is kept in this worker's memory (bounded, by pseudonym):
        after a restart a person may read it once more, which does no harm.
        """
        hidden = next((m.choices for m in outbounds if answers_alone(m.choices)), None)
        if hidden is None or pseudonym in self._told:
            return None
        self._told[pseudonym] = None
        while len(self._told) > TOLD_MAX:
            self._told.popitem(last=False)
        t = self._catalogs.translator(session.locale)
        words = typed_words(hidden)
        menu, back = words.get(MENU), words.get(BACK)
        if menu and back:
            return t("Type {back} to go back, {menu} for the menu, or SOS for help now.",
                     back=back, menu=menu)
        return t("Type {menu} for the menu, or SOS for help now.", menu=menu or "menu")

    async def _next_page(self, to: str, pseudonym: str, page: int, token: str) -> Body | None:
        """The next page of the long list shown last, rebuilt from the stored session."""
        session = await self._session(pseudonym)
        choices = [Choice(choice_id, label) for choice_id, label in session.last]
        if not choices or page_token(choices) != token:
            return None
        return render_page(choices, page, to, self._labels(session))

    async def _session(self, pseudonym: str) -> Session:
        try:
            return Session.from_dict(await self._store.load_session(pseudonym))
        except StoreUnavailable:
            return Session()

    def _labels(self, session: Session, typed: str | None = None) -> Labels:
        t = self._catalogs.translator(session.locale)

        def page(number: int, pages: int) -> str:
            return t("Page {page} of {pages}", page=t.number(number), pages=t.number(pages))

        # TRANSLATORS: WhatsApp list button that opens the choices; 20 characters at most.
        button = t("Choose")
        # TRANSLATORS: WhatsApp list row that shows the next choices; 22 characters at most.
        more = t("More") + " ▶"
        return Labels(button=button, more=more, page=page, typed=typed)

    async def _send(self, bodies: list[Body | AudioPart], pseudonym: str) -> bool:
        """Send in order; False when the reply (or part of it) could not be sent."""
        if not bodies:
            return True
        if not self._window.is_open(pseudonym, self._clock()):
            self.stats["outside_window"] += 1
            log.warning(
                "WhatsApp reply of %d message(s) not sent: more than 24 hours since the "
                "person's last message (a template would be needed)",
                len(bodies),
            )
            return False
        for index, item in enumerate(bodies):
            if isinstance(item, AudioPart):
                heard = await self.media.send(item)
                if not heard:
                    self.stats["voice_failed"] += 1
                if not await self._send_all(item.sent if heard else item.failed):
                    self.stats["errors"] += 1
                    return False
                continue
            result = await self._client.send(item)
            if not result.ok:
                # Later parts would arrive without the first: stop here.
                self.stats["errors"] += 1
                log.error("WhatsApp reply stopped at message %d of %d", index + 1, len(bodies))
                return False
        return True

    async def _send_all(self, bodies: list[Body]) -> bool:
        for body in bodies:
            if not (await self._client.send(body)).ok:
                return False
        return True

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self.stats["errors"] += 1
            # The type and where it happened; the message could quote what a person wrote.
            log.error(
                "handling a WhatsApp message failed: %s\n%s",
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
