"""A report-back round over seed-demo data, in memory: nothing goes out before an admin
approves it, approving sends each person exactly the previewed words once, a second
approval sends nothing, /stop and old consents get nothing, and a person who chose
discreet notifications first gets only "You have a new message"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from bot.channels.push import Push, Pushers, PushResult, PushStatus, TemplatePurpose
from bot.content import ContentTree
from bot.core.fees import band_ids
from bot.i18n import Catalogs
from bot.web.followups.delivery import CheckinDelivery, CheckinWording
from bot.web.followups.reportback_round import Approval, ReportbackRounds
from bot.web.notice import NeutralNotices
from bot.web.portal.data import PortalData
from casework import Sealer
from casework.models import ReplyAddress
from followups import CONSENT_VERSION, Enrolment, Job, JobKind, Stage, address_context
from followups.reportback import message_key
from followups.schedule import job_id
from followups.stores.memory import MemoryFollowups
from recruiter_reports.demo import seed_demo
from recruiter_reports.quarters import Quarter
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores.memory import MemoryStore
from tests.casework_data import CONTACT_KEY
from tests.unit.engine.conftest import ROOT

NOW = dt.datetime(2027, 1, 12, 10, tzinfo=dt.UTC)
Q4 = Quarter(2026, 4)
SEALER = Sealer.from_setting(CONTACT_KEY)


@dataclass
class Recorder:
    name: str = "test"
    pushes: list[Push] = field(default_factory=list)

    async def push(self, push: Push) -> PushResult:
        self.pushes.append(push)
        return PushResult(PushStatus.SENT, len(push.messages))


@dataclass
class World:
    rounds: ReportbackRounds
    followups: MemoryFollowups
    delivery: CheckinDelivery
    recorder: Recorder
    neutral: set[str]


def person(name: str, *, locale: str = "en", origin: str = "KE", destination: str = "QA",
           consent: str = CONSENT_VERSION) -> Enrolment:
    sealed = SEALER.seal(ReplyAddress("test", f"chat-{name}").to_bytes(),
                         context=address_context(name))
    return Enrolment(name, consent, NOW - dt.timedelta(days=60), sealed, Stage.ARRIVED,
                     "2026-11", "KE-EX-KE-0001", locale, origin=origin, destination=destination)


@pytest.fixture
async def world(content: ContentTree, catalogs: Catalogs) -> World:
    store = MemoryStore(now=lambda: NOW)
    registries = load_registries(ROOT / "content" / "recruiters")
    await seed_demo(store, [r for registry in registries.values() for r in registry], NOW)
    data = PortalData(store, registries, 5,
                      {c.code: tuple(band_ids(c)) for c in content.origins()},
                      countries={c.code: c for c in [*content.origins(),
                                                     *content.destinations()]},
                      clock=lambda: NOW)
    followups = MemoryFollowups()
    for found in (person("amina"), person("baraka", locale="sw"), person("chandra", origin="NP",
                  locale="ne"), person("old", consent="followups-2026-12"),
                  person("nowhere", destination=""), person("quiet")):
        await followups.enrol(found, [])
    neutral: set[str] = set()

    async def wants(pseudonym: str) -> bool:
        return pseudonym in neutral

    recorder = Recorder()
    delivery = CheckinDelivery(followups, SEALER, Pushers({"test": recorder}),
                               CheckinWording(catalogs, lambda _rid: None), owner="w1",
                               clock=lambda: NOW, notices=NeutralNotices(catalogs, wants))
    rounds = ReportbackRounds(followups, data, content, clock=lambda: NOW)
    return World(rounds, followups, delivery, recorder, neutral)


def sent_to(world: World) -> dict[str, str]:
    return {push.address: push.messages[0].text for push in world.recorder.pushes}


async def test_the_preview_shows_each_corridor_and_language(world: World) -> None:
    assert world.rounds.quarters()[0] == Q4
    preview = await world.rounds.preview(Q4)
    kenya_qatar = preview.messages[message_key("KE", "QA", "en")]
    assert kenya_qatar.text.startswith(
        "What workers from Kenya in Qatar told us about October – December 2026:")
    assert "• Of " in kenya_qatar.text and " % paid a fee to get their job." in kenya_qatar.text
    assert ("qa-recruitment-fees", "📖 Recruitment fees") in kenya_qatar.guides
    assert message_key("KE", "QA", "sw") in preview.messages
    cells = {(c.origin, c.destination, c.locale): c for c in preview.cells}
    assert cells[("KE", "QA", "en")].people == 2 and not cells[("KE", "QA", "en")].enough(5)
    assert preview.recipients == 3 + (message_key("NP", "QA", "ne") in preview.messages)
    assert preview.left_out == 2, "the old consent and the unknown destination"
    assert preview.approved is None


async def test_nothing_is_sent_before_approval_and_nothing_twice(world: World) -> None:
    preview = await world.rounds.preview(Q4)
    assert await world.delivery.run_once() == 0, "not approved: nothing queued"
    assert world.recorder.pushes == []

    await world.followups.stop("quiet")
    assert await world.rounds.approve(Q4, "not-what-was-shown", "admin-1") is Approval.CHANGED
    assert await world.followups.round(str(Q4)) is None
    again = await world.rounds.preview(Q4)
    assert await world.rounds.approve(Q4, again.digest, "admin-1") is Approval.APPROVED

    assert await world.delivery.run_until_done() >= 2
    got = sent_to(world)
    assert got["chat-amina"] == world.recorder.pushes[0].messages[0].text
    assert got["chat-amina"] == preview.messages[message_key("KE", "QA", "en")].text
    assert got["chat-baraka"] == preview.messages[message_key("KE", "QA", "sw")].text
    assert "chat-quiet" not in got, "/stop: nothing"
    assert "chat-old" not in got and "chat-nowhere" not in got
    [amina] = [p for p in world.recorder.pushes if p.address == "chat-amina"]
    assert amina.template is not None and amina.template.purpose is TemplatePurpose.REPORT_BACK
    ids = [choice.id for choice in amina.messages[0].choices]
    assert "article:qa-recruitment-fees:0" in ids and "stop" in ids and "sos" in ids
    kept = await world.followups.enrolment("amina")
    assert kept is not None and kept.last_round == str(Q4)

    count = len(world.recorder.pushes)
    assert await world.rounds.approve(Q4, again.digest, "admin-2") is Approval.ALREADY
    assert await world.delivery.run_until_done() == 0
    assert len(world.recorder.pushes) == count, "approved twice, sent once"
    shown = await world.rounds.preview(Q4)
    assert shown.approved is not None and shown.approved.approved_by == "admin-1"


async def test_a_job_queued_again_after_it_was_sent_is_not_sent_again(world: World) -> None:
    preview = await world.rounds.preview(Q4)
    await world.rounds.approve(Q4, preview.digest, "admin-1")
    await world.delivery.run_until_done()
    count = len(world.recorder.pushes)
    kept = await world.followups.enrolment("amina")
    assert kept is not None and await world.followups.jobs_of("amina") == []
    # What an approval interrupted and finished later may do (see the MongoDB store).
    again = Job(job_id("amina", JobKind.REPORTBACK, str(Q4)), "amina", JobKind.REPORTBACK,
                str(Q4), NOW)
    await world.followups.enrol(kept, [again])
    assert await world.delivery.run_until_done() == 1
    assert len(world.recorder.pushes) == count, "last_round keeps it from going twice"
    assert await world.followups.jobs_of("amina") == []


async def test_discreet_notifications_first_say_only_that_there_is_a_message(
    world: World,
) -> None:
    world.neutral.add("amina")
    preview = await world.rounds.preview(Q4)
    await world.rounds.approve(Q4, preview.digest, "admin-1")
    await world.delivery.run_until_done()
    [notice] = [p for p in world.recorder.pushes if p.address == "chat-amina"]
    assert notice.messages[0].text == "You have a new message."
    assert notice.template is not None and notice.template.purpose is TemplatePurpose.NOTICE
    [waiting] = await world.followups.jobs_of("amina")
    assert waiting.kind is JobKind.REPORTBACK

    await world.delivery.person_wrote("test", "amina", NOW)
    await world.delivery.run_until_done()
    opened = [p for p in world.recorder.pushes if p.address == "chat-amina"][-1]
    assert opened.messages[0].text == preview.messages[message_key("KE", "QA", "en")].text
