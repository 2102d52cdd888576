"""``/healthz`` (the process answers) and ``/readyz`` (it can serve a person now).

A load balancer restarts on the first and routes on the second: a worker whose
store is unreachable stays alive, so it can recover, but gets no traffic.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.content import ContentTree
from recruiter_reports.stores import Lifecycle

log = logging.getLogger(__name__)

STORE_PING_TIMEOUT = 2.0
"""Seconds a readiness probe waits for the store; probes must answer quickly."""


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


class Readiness:
    """Content loaded and the store answering a ping."""

    def __init__(self, content: ContentTree, store: Lifecycle) -> None:
        self._content = content
        self._store = store

    async def handle(self, request: web.Request) -> web.Response:
        content_ok = bool(self._content.site.locales) and bool(self._content.destinations())
        store_ok = await self._store_answers()
        ready = content_ok and store_ok
        body = {"status": "ready" if ready else "not ready", "content": content_ok,
                "store": store_ok}
        return web.json_response(body, status=200 if ready else 503)

    async def _store_answers(self) -> bool:
        try:
            return await asyncio.wait_for(self._store.ping(), STORE_PING_TIMEOUT)
        except Exception as error:  # a probe reports, it never raises
            log.warning("readiness: store ping failed (%s)", type(error).__name__)
            return False


def mount_health(app: web.Application, content: ContentTree, store: Lifecycle) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", Readiness(content, store).handle)
