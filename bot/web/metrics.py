"""``/metrics``: a few counters in the Prometheus text format.

Counters are per channel and per kind of event, never per person: a label
with a user id would be a log of who talked to the bot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from aiohttp import web

CONTENT_TYPE = "text/plain; version=0.0.4"

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


def exposition(stats: ChannelStats) -> str:
    """The Prometheus text exposition of every channel's counters."""
    names = sorted({name for counters in stats.values() for name in counters})
    lines: list[str] = []
    for name in names:
        metric = f"bot_{name}_total"
        lines.append(f"# HELP {metric} {HELP.get(name, name.replace('_', ' ').capitalize())}")
        lines.append(f"# TYPE {metric} counter")
        for channel in sorted(stats):
            if name in stats[channel]:
                lines.append(f'{metric}{{channel="{channel}"}} {stats[channel][name]}')
    return "\n".join(lines) + "\n"


async def metrics(request: web.Request) -> web.Response:
    body = exposition(request.app[CHANNEL_STATS])
    return web.Response(text=body, headers={"Content-Type": CONTENT_TYPE})
