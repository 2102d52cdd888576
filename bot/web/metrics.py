"""``/metrics``: counters, webhook latency and the process's memory, through prometheus-client.

Counters are per channel and per kind of event, never per person: a label
with a user id would be a log of who talked to the bot. The channels keep
their own plain counters (``Channel.stats``); they are read at scrape time, so
a channel needs no metrics library.

Who may read it: with ``METRICS_TOKEN`` set, a request carrying that token;
without it, only this machine itself (a scraper on localhost), never a request
relayed by a proxy. Counts of refused webhooks and failures tell an attacker
what works.
"""

from __future__ import annotations

import hmac
import time
from collections import Counter
from collections.abc import Iterator, Mapping

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.web.proxies import TrustedProxies

__all__ = ["CHANNEL_STATS", "METRICS", "ChannelStats", "Metrics", "exposition"]

HELP: Mapping[str, str] = {
    "updates": "Updates handled to the end (replies sent).",
    "ignored": "Updates with nothing to answer (groups, service messages).",
    "duplicates": "Repeated deliveries dropped.",
    "rejected": "Webhook requests refused for a missing or wrong secret or signature.",
    "malformed": "Webhook bodies that were not a valid update.",
    "blocked": "Replies dropped because the person blocked the bot.",
    "busy": "Retries of an update still being handled, answered 503 so the platform retries.",
    "repaired": "Texts with a broken character (a lone surrogate), repaired and answered.",
    "fallback": "Deliveries claimed in memory because the store could not write.",
    "recovered": "Claims of a stopped process released at start, so their retries get in.",
    "errors": "Updates or sends that failed.",
}

ChannelStats = dict[str, Counter[str]]

CHANNEL_STATS = web.AppKey("channel_stats", ChannelStats)
"""Each mounted channel registers its counters here under its channel name."""

WEBHOOK_PREFIX = "/webhooks/"


class _ChannelCounters(Collector):
    """Every channel's counters as ``bot_<name>_total{channel=...}``, read when scraped."""

    def __init__(self, stats: ChannelStats) -> None:
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        names = sorted({name for counters in self._stats.values() for name in counters})
        for name in names:
            help_text = HELP.get(name, name.replace("_", " ").capitalize())
            family = CounterMetricFamily(f"bot_{name}", help_text, labels=["channel"])
            for channel in sorted(self._stats):
                if name in self._stats[channel]:
                    family.add_metric([channel], self._stats[channel][name])
            yield family


class Metrics:
    """One registry per application (tests run several apps in one process)."""

    def __init__(
        self, stats: ChannelStats, *, token: str | None = None,
        proxies: TrustedProxies | None = None,
    ) -> None:  # fmt: skip
        self.registry = CollectorRegistry()
        self.registry.register(_ChannelCounters(stats))
        ProcessCollector(registry=self.registry)  # process_resident_memory_bytes and CPU
        self.webhook_seconds = Histogram(
            "bot_webhook_seconds",
            "Time from a webhook request's arrival to its answer, per channel.",
            labelnames=["channel"],
            registry=self.registry,
        )
        self._token = token
        self._proxies = proxies or TrustedProxies()

    def allowed(self, request: web.Request) -> bool:
        if self._token is None:
            return self._proxies.is_local(request)
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self._token.encode()
        )

    async def handle(self, request: web.Request) -> web.Response:
        if not self.allowed(request):
            # 404, not 403: nothing here for whoever is asking.
            raise web.HTTPNotFound()
        return web.Response(
            body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    @web.middleware
    async def timing(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Observe how long each webhook request takes, labelled by its channel."""
        if not request.path.startswith(WEBHOOK_PREFIX):
            return await handler(request)
        channel = request.path.removeprefix(WEBHOOK_PREFIX).split("/", 1)[0] or "unknown"
        started = time.perf_counter()
        try:
            return await handler(request)
        finally:
            if request.match_info.route.resource is not None:  # only channels that exist
                self.webhook_seconds.labels(channel).observe(time.perf_counter() - started)


METRICS = web.AppKey("metrics", Metrics)


def exposition(stats: ChannelStats) -> str:
    """The text exposition of the channels' counters alone (for a terminal or a test)."""
    registry = CollectorRegistry()
    registry.register(_ChannelCounters(stats))
    return generate_latest(registry).decode()
