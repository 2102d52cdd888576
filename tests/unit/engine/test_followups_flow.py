"""A person agrees to check-ins after a rating, then a fake clock brings the 30-day and the
90-day check-in: the delivery loop pushes them, the person answers with buttons, a danger
answer brings the SOS card and a person to talk to; /stop and /forget end it all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from bot.channels.push import Push, Pushers, PushResult, PushStatus
from bot.content import ContentTree
from bot.core.engine import Engine
from bot.core.messages import Inbound
from bot.core.runner import Runner
from bot.followup_effects import FollowupEffects
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from bot.web.followups.delivery import CheckinDelivery, CheckinWording
from bot.web.notice import NeutralNotices
from casework import Sealer
from casework.models import ReplyAddress
from followups import CONSENT_VERSION, JobStatus, address_context
from followups.stores.memory import MemoryFollowups
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores.memory import MemoryStore
from tests.casework_data import CONTACT_KEY
from tests.unit.engine.conftest import ROOT, FakeClock, Person
from tests.unit.engine.test_ratings_flow import ANSWERS, SUNRISE, _english, _rate

KEY = b"k" * 32


@dataclass
class Recorder:
    """A push sender that answers with scripted statuses and records what it got."""

    name: str = "test"
    answers: list[PushStatus] = field(default_factory=list)
    pushes: list[Push] = field(default_factory=list)

    async def push(self, push: Push) -> PushResult:
        self.pushes.append(push)
        status = self.answers.pop(0) if self.answers else PushStatus.SENT
        return PushResult(status, len(push.messages) if status is PushStatus.SENT else 0)


@dataclass
class World:
    runner: Runner
    followups: MemoryFollowups
    delivery: CheckinDelivery
    recorder: Recorder
    clock: FakeClock
    sealer: Sealer


@pytest.fixture
def world(content: ContentTree, catalogs: Catalogs, store: MemoryStore,
          clock: FakeClock) -> World:
    registries = load_registries(ROOT / "content" / "recruiters")
    followups = MemoryFollowups()
    sealer = Sealer.from_setting(CONTACT_KEY)
    engine = Engine(content, catalogs, store, min_reporters=5, clock=clock,
                    registries=registries, followups=followups)
    runner = Runner(engine, StoreTurns(store, followups=FollowupEffects(followups, sealer)),
                    Pseudonymizer(KEY), clock=clock)
    recorder = Recorder()

    def agency(rid: str) -> str | None:
        found = engine.ratings.recruiter(rid)
        return found.name if found else None

    delivery = CheckinDelivery(followups, sealer, Pushers({"test": recorder}),
                               CheckinWording(catalogs, agency), owner="w1", clock=clock)
    return World(runner, followups, delivery, recorder, clock, sealer)


def pseudonym(user: str = "amina") -> str:
    return Pseudonymizer(KEY)("test", user)


async def agree(world: World, user: str = "amina") -> Person:
    person = await _english(world.runner, user)
    await _rate(person)
    await person.tap(f"fu:a:{SUNRISE}")
    assert "about 30 days and 90 days after you arrive" in person.text
    assert "Once a quarter we also send you a short message with what workers" in person.text
    assert "/stop" in person.text
    await person.tap("fu:s:before")
    assert "In which month do you plan to leave?" in person.text
    await person.tap("fu:m:2026-12")
    assert "We would write to you on December 31, 2026 and on March 1, 2027" in person.text
    await person.tap("fu:yes")
    assert "We will write to you on December 31, 2026 and on March 1, 2027" in person.text
    return person


async def test_without_a_destination_the_quarterly_message_is_not_offered(
    world: World,
) -> None:
    """The quarterly message needs both countries: a person whose rating named no
    destination is not told of one that would never come, nor of countries kept."""
    person = await _english(world.runner, "amina")
    await _rate(person, answers=[("dest", "other"), *ANSWERS[1:]])
    await person.tap(f"fu:a:{SUNRISE}")
    assert "about 30 days and 90 days after you arrive" in person.text
    assert "Once a quarter" not in person.text
    assert "/stop" in person.text
    await person.tap("fu:s:before")
    await person.tap("fu:m:2026-12")
    await person.tap("fu:yes")
    enrolled = await world.followups.enrolment(pseudonym())
    assert enrolled is not None and enrolled.destination is None
    await person.send("/mydata")
    assert "You agreed to check-ins about" in person.text
    assert "Once a quarter" not in person.text


async def tap_pushed(person: Person, push: Push, choice: str) -> None:
    ids = [c.id for message in push.messages for c in message.choices]
    assert choice in ids, ids
    await person._go(Inbound("test", person.user, choice=choice))


async def test_a_person_goes_through_both_check_ins(world: World) -> None:
    person = await agree(world)
    enrolled = await world.followups.enrolment(pseudonym())
    assert enrolled is not None and enrolled.recruiter_id == SUNRISE
    assert (enrolled.origin, enrolled.destination) == ("KE", "QA"), "the report's corridor"
    assert enrolled.consent_version == CONSENT_VERSION and enrolled.last_round is None
    assert b"amina" not in enrolled.address, "the address is kept sealed"
    opened = world.sealer.open(enrolled.address, context=address_context(pseudonym()))
    assert ReplyAddress.from_bytes(opened) == ReplyAddress("test", "amina")

    world.clock.now = dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC)
    assert await world.delivery.run_once() == 0, "not before the 30th day"
    world.clock.now = dt.datetime(2026, 12, 31, 9, 5, tzinfo=dt.UTC)
    assert await world.delivery.run_once() == 1
    [push] = world.recorder.pushes
    assert push.address == "amina"
    assert "30 days after arriving, how is it going with" in push.messages[0].text

    await tap_pushed(person, push, "ci:s:30")
    assert "Question 1 of 5" in person.text and "promised" in person.text
    await person.tap("ci:a:cjob:n")
    await person.tap("ci:a:cwage:y")
    await person.tap("ci:a:cpass:n")  # the passport is taken
    await person.tap("ci:a:ccontract:n")
    await person.tap("ci:a:crec:1")
    assert "sign of forced labour" in person.text
    assert "if you are in danger now, call" in person.text, "the SOS card"
    assert any(c.id.startswith("talk") for c in person.last.choices), "a person to talk to"
    [answers] = await world.followups.answers_of(pseudonym())
    assert answers.round == "30" and answers.reported is True
    assert answers.answers["passport_with_you"] is False
    assert answers.answers["recommend_now"] == 1
    assert answers.promised is False, "the earlier report said the job was not as promised"

    assert await world.delivery.run_once() == 0, "sent once"
    world.clock.now = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    assert await world.delivery.run_once() == 1
    second = world.recorder.pushes[-1]
    assert "90 days after arriving" in second.messages[0].text
    await tap_pushed(person, second, "ci:s:90")
    for step, value in (("cjob", "y"), ("cwage", "y"), ("cpass", "y"), ("ccontract", "y"),
                        ("crec", "5")):
        await person.tap(f"ci:a:{step}:{value}")
    assert "help other workers see whether this agency keeps its promises" in person.text
    assert [a.round for a in await world.followups.answers_of(pseudonym())] == ["30", "90"]
    assert await world.followups.jobs_of(pseudonym()) == []


async def test_mydata_lists_the_check_ins_and_stop_ends_them(world: World) -> None:
    person = await agree(world)
    await person.send("/mydata")
    assert "You agreed to check-ins about" in person.text
    assert "A check-in planned for December 31, 2026." in person.text
    assert "A check-in planned for March 1, 2027." in person.text
    assert "Once a quarter, what workers from your country in the country where you work " \
        "reported" in person.text

    await person.send("stop")
    assert "we will send you no more check-ins or quarterly messages" in person.text
    assert await world.followups.enrolment(pseudonym()) is None
    assert await world.followups.jobs_of(pseudonym()) == []
    world.clock.now = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    assert await world.delivery.run_once() == 0
    await person.send("/stop")
    assert "You have no check-ins planned." in person.text


@pytest.mark.parametrize("word", ["acha", "रोक", "توقف"])
async def test_stop_in_the_person_s_language(world: World, word: str) -> None:
    locale = {"acha": "sw", "रोक": "ne", "توقف": "ar"}[word]
    person = await agree(world)
    await person.send("/language")
    await person.tap(f"lang:{locale}")
    await person.send(word)
    assert await world.followups.enrolment(pseudonym()) is None


async def test_forget_erases_the_queue_the_address_and_the_answers(world: World) -> None:
    person = await agree(world)
    world.clock.now = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    await world.delivery.run_once()
    await tap_pushed(person, world.recorder.pushes[-1], "ci:s:30")
    for step in ("cjob", "cwage", "cpass", "ccontract", "crec"):
        await person.tap(f"ci:a:{step}:-")
    assert await world.followups.answers_of(pseudonym())

    await person.send("/forget")
    await person.tap("forget:yes")

    assert await world.followups.enrolment(pseudonym()) is None
    assert await world.followups.jobs_of(pseudonym()) == []
    assert await world.followups.answers_of(pseudonym()) == []


async def test_a_template_waits_for_the_person_and_a_block_stops_everything(
    world: World,
) -> None:
    await agree(world)
    world.clock.now = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    world.recorder.answers = [PushStatus.TEMPLATE_SENT]
    await world.delivery.run_once()
    waiting = {j.ref: j for j in await world.followups.jobs_of(pseudonym())}["30"]
    assert waiting.status is JobStatus.WAITING
    world.clock.advance(days=3)
    assert await world.delivery.run_once() == 0, "waits for the person, not for time"

    await world.delivery.person_wrote("test", pseudonym(), world.clock.now)
    world.recorder.answers = [PushStatus.BLOCKED]
    assert await world.delivery.run_once() == 1
    assert await world.followups.enrolment(pseudonym()) is None, "address dropped"
    assert await world.followups.jobs_of(pseudonym()) == [], "no more retries"


async def test_passing_faults_are_retried_with_backoff(world: World) -> None:
    await agree(world)
    world.clock.now = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    world.recorder.answers = [PushStatus.RETRY, PushStatus.RETRY]
    await world.delivery.run_once()
    world.clock.advance(seconds=5)
    assert await world.delivery.run_once() == 0
    world.clock.advance(seconds=6)
    assert await world.delivery.run_once() == 1  # after 10 s
    world.clock.advance(seconds=15)
    assert await world.delivery.run_once() == 0  # now 20 s
    world.clock.advance(seconds=6)
    assert await world.delivery.run_once() == 1
    assert len(world.recorder.pushes) == 3
    assert [j.ref for j in await world.followups.jobs_of(pseudonym())] == ["90"]


async def test_without_a_key_check_ins_are_off_and_the_bot_says_so(
    content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock,
) -> None:
    engine = Engine(content, catalogs, store, clock=clock)
    runner = Runner(engine, StoreTurns(store), Pseudonymizer(KEY), clock=clock)
    person = await _english(runner, "amina")
    await person.tap("fu")
    assert "Check-ins are not offered on this service" in person.text
    assert any(c.id == "sos" for c in person.last.choices)


class _Down(MemoryFollowups):
    async def enrol(self, enrolment: object, jobs: object) -> None:
        from followups import FollowupsUnavailable

        raise FollowupsUnavailable("the database is away")


async def test_agreeing_while_the_store_is_down_keeps_nothing_and_asks_again(
    content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock,
) -> None:
    registries = load_registries(ROOT / "content" / "recruiters")
    down = _Down()
    engine = Engine(content, catalogs, store, clock=clock, registries=registries,
                    followups=down)
    sealer = Sealer.from_setting(CONTACT_KEY)
    runner = Runner(engine, StoreTurns(store, followups=FollowupEffects(down, sealer)),
                    Pseudonymizer(KEY), clock=clock)
    person = await _english(runner, "amina")
    await _rate(person)
    await person.tap(f"fu:a:{SUNRISE}")
    await person.tap("fu:s:arrived")
    await person.tap(f"fu:m:{clock.now:%Y-%m}")
    await person.tap("fu:yes")
    assert "I could not save that just now" in person.text
    assert await down.enrolment(pseudonym()) is None
    assert "fu:yes" in [c.id for c in person.last.choices], "they can try again"


async def test_a_woken_check_in_tried_again_an_hour_later_is_a_notice_again(
    world: World, catalogs: Catalogs
) -> None:
    """For a person who chose discreet notifications, Open lets the check-in's words go
    out for a few minutes only; a send that failed then is announced again later."""
    await agree(world)

    async def neutral(pseudonym: str) -> bool:
        return True

    agency = {SUNRISE: "Sunrise"}.get
    delivery = CheckinDelivery(world.followups, world.sealer, Pushers({"test": world.recorder}),
                               CheckinWording(catalogs, agency), owner="w1", clock=world.clock,
                               notices=NeutralNotices(catalogs, neutral))
    world.clock.now = dt.datetime(2026, 12, 31, 9, 5, tzinfo=dt.UTC)
    assert await delivery.run_once() == 1
    assert [m.text for m in world.recorder.pushes[-1].messages] == ["You have a new message."]

    await delivery.person_wrote("test", pseudonym(), world.clock.now)  # they tap Open
    world.recorder.answers = [PushStatus.RETRY]
    assert await delivery.run_once() == 1
    assert "30 days after arriving" in world.recorder.pushes[-1].messages[0].text

    world.clock.now += dt.timedelta(hours=1)
    assert await delivery.run_once() == 1
    assert [m.text for m in world.recorder.pushes[-1].messages] == ["You have a new message."]
