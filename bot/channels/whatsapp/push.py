"""Pushing to a person on WhatsApp: free text inside the 24-hour window, a template outside.

The window is open when this worker saw the person write less than 24 hours
ago (``ServiceWindow``) or the sender knows they did (``Push.last_seen``, e.g.
their last case message, which another worker may have received). Meta has
the last word: a free-form send it refuses with 131047 means the window had
closed after all, and the template is sent instead.

Graph answers are mapped to what a delivery loop must do (``PushStatus``):

| Graph answer | status |
|---|---|
| 2xx | ``SENT`` (or ``TEMPLATE_SENT``) |
| 131047 re-engagement (more than 24 hours) | template, or ``WINDOW_CLOSED`` without one |
| 131026 undeliverable (blocked the number, no WhatsApp, old app), 131050 | ``BLOCKED`` |
| 429 / 5xx after retries, no answer, 130429, 131049, 131056, 131016, 131000, 80007 | ``RETRY`` |
| anything else (token, template not found or paused, bad parameter) | ``FAILED`` |
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from bot.channels.push import Push, PushResult, PushStatus, Template
from bot.channels.whatsapp.errors import describe
from bot.channels.whatsapp.graph import GraphClient, SendResult
from bot.channels.whatsapp.render import Body
from bot.channels.whatsapp.templates import SETTING_OF, WhatsAppTemplates, template_body
from bot.channels.whatsapp.window import WINDOW, ServiceWindow

log = logging.getLogger(__name__)

RE_ENGAGEMENT = 131047
UNREACHABLE = frozenset({131026, 131050})
PASSING = frozenset({4, 80007, 130429, 131000, 131016, 131049, 131056})

def status_of(result: SendResult) -> PushStatus:
    """What one failed Graph send means for the person's messages."""
    if result.code == RE_ENGAGEMENT:
        return PushStatus.WINDOW_CLOSED
    if result.code in UNREACHABLE:
        return PushStatus.BLOCKED
    if result.retryable or result.code in PASSING:
        return PushStatus.RETRY
    return PushStatus.FAILED


class WhatsAppPusher:
    """Sends a ``Push`` for one business number (the channel's client and window)."""

    def __init__(
        self,
        client: GraphClient,
        window: ServiceWindow,
        templates: WhatsAppTemplates,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._client = client
        self._window = window
        self._templates = templates
        self._clock = clock

    def window_open(self, push: Push) -> bool:
        now = self._clock()
        if push.person and self._window.is_open(push.person, now):
            return True
        return push.last_seen is not None and now - push.last_seen < WINDOW

    async def push(self, push: Push, rendered: Sequence[list[Body]]) -> PushResult:
        """``rendered`` holds the Graph bodies of each of ``push.messages``, in order."""
        sent = 0
        if self.window_open(push):
            result = await self._free_form(rendered)
            if result.status is not PushStatus.WINDOW_CLOSED:
                return result
            sent = result.sent
        if push.template is None:
            return PushResult(
                PushStatus.WINDOW_CLOSED, sent,
                "more than 24 hours since the person last wrote; no template was given",
            )
        return await self._template(push.address, push.template, sent)

    async def _free_form(self, rendered: Sequence[list[Body]]) -> PushResult:
        for index, bodies in enumerate(rendered):
            for body in bodies:
                result = await self._client.send(body)
                if not result.ok:
                    return PushResult(
                        status_of(result), index, describe(result.status, _error(result)),
                        result.code,
                    )
        return PushResult(PushStatus.SENT, len(rendered))

    async def _template(self, to: str, template: Template, sent: int) -> PushResult:
        name = self._templates.name(template.purpose)
        if name is None:
            setting = SETTING_OF.get(template.purpose, "a WHATSAPP_TEMPLATE_* setting")
            log.error(
                "WhatsApp template for %s is not configured: set %s (the message stays queued)",
                template.purpose.value, setting,
            )
            return PushResult(
                PushStatus.NO_TEMPLATE, sent,
                f"the window is closed and no template is configured: set {setting}",
            )
        language = self._templates.language(template.locale)
        result = await self._client.send(template_body(to, name, language, template))
        if result.ok:
            return PushResult(PushStatus.TEMPLATE_SENT, sent, f"template {name} ({language}) sent")
        status = status_of(result)
        if status is PushStatus.WINDOW_CLOSED:  # a template is never refused for the window
            status = PushStatus.FAILED
        detail = f"template {name} ({language}): {describe(result.status, _error(result))}"
        return PushResult(status, sent, detail, result.code)


def _error(result: SendResult) -> dict[str, dict[str, int]] | None:
    """A body ``describe`` reads (our words for the code; Meta's text is not kept)."""
    return {"error": {"code": result.code}} if result.code is not None else None
