"""The engine decides, the runner writes: each flow's effects, with no store at all.

The engine gets plain read answers (``Reads`` below) and returns a ``Turn``;
these tests thread the state by hand and assert on the effects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from bot.content import ContentTree
from bot.core.effects import Forget, GiveConsent, SubmitReport, WithdrawConsent
from bot.core.engine import Engine, Turn
from bot.core.messages import Inbound
from bot.i18n import Catalogs
from recruiter_reports.names import NameKind, NameRecord, NameStatus
from recruiter_reports.ratings import CONSENT_VERSION
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores.records import Consent, StoredReport
from recruiter_reports.summaries import Summary
from tests.unit.engine.conftest import ROOT, FakeClock

SUNRISE = "KE-EX-KE-0001"


class Reads:
    """What the ratings read, as plain data: a consent (or none), no reports, no summaries."""

    def __init__(self, consent: Consent | None = None) -> None:
        self.given = consent

    async def consent(self, pseudonym: str) -> Consent | None:
        return self.given

    async def reports_of(self, pseudonym: str) -> list[StoredReport]:
        return []

    async def summary(self, recruiter_id: str) -> Summary:
        return Summary(recruiter_id=recruiter_id)

    async def breakdown(self, recruiter_id: str, by: str) -> dict[str, Summary]:
        return {}

    async def published(self, groups: Sequence[str]) -> dict[str, Summary]:
        return {}

    async def published_under(self, prefix: str) -> dict[str, Summary]:
        return {}

    async def new_reports_since(self, pseudonym: str, since: dt.datetime) -> int:
        return 0

    async def recent_reports_from_new_reporters(
        self, recruiter_id: str, since: dt.datetime, reporters_since: dt.datetime
    ) -> int:
        return 0

    async def name_records(
        self, kind: NameKind, *, origin: str | None = None, status: NameStatus | None = None
    ) -> list[NameRecord]:
        return []

    async def name_record(self, kind: NameKind, key: str) -> NameRecord | None:
        return None

    async def broker_counts(self, recruiter_id: str) -> dict[str, int]:
        return {}


class Talk:
    """One person talking to the engine directly; the state is carried from turn to turn."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state: dict[str, Any] | None = None
        self.turn: Turn | None = None

    async def send(self, text: str | None = None, choice: str | None = None) -> Turn:
        inbound = Inbound("test", "amina", text=text, choice=choice)
        self.turn = await self.engine.handle(inbound, self.state, "p-amina")
        self.state = self.turn.state
        return self.turn


def _engine(content: ContentTree, catalogs: Catalogs, reads: Reads, clock: FakeClock) -> Engine:
    registries = load_registries(ROOT / "content" / "recruiters")
    return Engine(content, catalogs, reads, min_reporters=5, clock=clock, registries=registries)


async def _to_consent(talk: Talk) -> Turn:
    await talk.send("/start")
    await talk.send(choice="lang:en")
    await talk.send("/rate")
    await talk.send(choice="agencies:rate:KE")
    await talk.send("sunrise")
    return await talk.send(choice=f"pick:rate:{SUNRISE}")


async def test_agreeing_emits_consent_and_asks_the_first_question(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    talk = Talk(_engine(content, catalogs, Reads(), clock))
    assert (await _to_consent(talk)).effects == []
    turn = await talk.send(choice="consent:yes")
    assert turn.effects == [GiveConsent(CONSENT_VERSION, clock())]
    assert "Question 1 of 11" in turn.messages[-1].text


async def test_declining_emits_nothing(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    talk = Talk(_engine(content, catalogs, Reads(), clock))
    await _to_consent(talk)
    assert (await talk.send(choice="consent:no")).effects == []


async def test_sending_a_rating_emits_the_scrubbed_report_and_thanks(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    consent = Consent(CONSENT_VERSION, clock(), clock())
    talk = Talk(_engine(content, catalogs, Reads(consent), clock))
    await _to_consent(talk)
    for step, value in [("dest", "QA"), ("fee", "b2"), ("receipt", "n"), ("gap", "no-receipt"),
                        ("job", "n"), ("contract", "y"), ("passport", "y"), ("orient", "n"),
                        ("rec", "2"), ("broker", "skip")]:
        assert (await talk.send(choice=f"answer:{step}:{value}")).effects == []
    await talk.send("They kept my passport. Call me on 0712 345 678")
    turn = await talk.send(choice="answer:send")
    [effect] = turn.effects
    assert isinstance(effect, SubmitReport)
    assert effect.held is False and effect.reporter_since == clock()
    assert effect.report.recruiter_id == SUNRISE and effect.report.passport_kept is True
    assert "0712" not in (effect.report.comment or "")
    assert "When at least 5 workers have rated this agency" in turn.messages[-1].text


async def test_forget_emits_forget_only_once_confirmed(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    talk = Talk(_engine(content, catalogs, Reads(), clock))
    await talk.send("/start")
    await talk.send(choice="lang:en")
    assert (await talk.send("/forget")).effects == []
    turn = await talk.send(choice="forget:yes")
    assert turn.effects == [Forget()] and turn.forget


async def test_withdrawing_consent_emits_withdraw(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    consent = Consent(CONSENT_VERSION, clock(), clock())
    talk = Talk(_engine(content, catalogs, Reads(consent), clock))
    await talk.send("/start")
    await talk.send(choice="lang:en")
    assert (await talk.send(choice="withdraw")).effects == []
    assert (await talk.send(choice="withdraw:yes")).effects == [WithdrawConsent()]


@pytest.mark.parametrize("text", ["/start", "/sos", "menu", "wages qatar"])
async def test_reading_flows_emit_nothing(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock, text: str
) -> None:
    talk = Talk(_engine(content, catalogs, Reads(), clock))
    await talk.send("/start")
    await talk.send(choice="lang:en")
    assert (await talk.send(text)).effects == []
