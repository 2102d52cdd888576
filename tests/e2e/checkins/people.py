"""What a person does around the served app in the check-in tests: rated an agency
before, writes and taps on Telegram and WhatsApp, agrees to check-ins on WhatsApp."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from recruiter_reports.reports import Report
from tests.e2e.served import ServedApp, telegram_sends, whatsapp_sends, whatsapp_taps
from tests.fakes import FakeTelegramAPI
from tests.fakes.clock import FakeClock
from tests.fakes.graph_api import FakeGraphAPI, shown_choices, shown_text, tap

APP_SECRET = "checkins-app-secret-0123456789"
SECRET = "checkins-webhook-secret_0123456789abcdef"
WA_ID = "254712345678"
SUNRISE = "KE-EX-KE-0001"
"""An agency of the example registry (Kenya)."""


@dataclass
class People(ServedApp):
    """The served app with the fakes of both platforms and the clock its loops read."""

    telegram: FakeTelegramAPI
    graph: FakeGraphAPI
    clock: FakeClock

    async def rated(self, channel: str, user: str) -> None:
        """The person rated Sunrise before (as the chat stores a rating)."""
        report = Report(recruiter_id=SUNRISE, origin="KE", destination="QA",
                        job_as_promised=True, created_at=dt.datetime.now(dt.UTC))
        await self.services.store.save_report(self.pseudonym(channel, user), report,
                                              reporter_since=dt.datetime.now(dt.UTC))

    async def telegram_sends(self, update: dict[str, Any]) -> None:
        await telegram_sends(self.session, self.url, self.telegram, update, SECRET)

    async def whatsapp_sends(self, message: dict[str, Any]) -> None:
        await whatsapp_sends(self.session, self.url, self.app, message, APP_SECRET)

    async def whatsapp_taps(self, title_part: str) -> None:
        await whatsapp_taps(self.graph, WA_ID, title_part, self.whatsapp_sends)

    async def agree_on_whatsapp(self) -> None:
        """From the menu: check-ins later, the first month offered, yes."""
        await self.whatsapp_taps("Check-ins later")
        await self.whatsapp_taps("Not yet")
        months = shown_choices(self.graph.sent[-1])
        await self.whatsapp_sends(tap(WA_ID, months[0][0], months[0][1],
                                      row=self.graph.sent[-1]["interactive"]["type"] == "list"))
        await self.whatsapp_taps("Yes, I agree")
        assert "Type /stop at any time" in shown_text(self.graph.sent[-1])
