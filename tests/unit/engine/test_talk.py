"""``/talk`` on plain data: who reads it, consent, the message, the case's effects.

The engine runs with the shipped content (whose partners are all ``status:
example``) or a copy with one partner onboarded, an in-memory case store and a
real sealer, through the runner, so what is asserted is what a person sees and
what the store holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.case_effects import CaseEffects
from bot.content import ContentTree, load_content
from bot.core.case_reads import CASE_CONSENT_VERSION, MAX_CASE_MESSAGE
from bot.core.effects import AddCaseMessage, CloseCase, OpenCase, SetCaseContact
from bot.core.engine import Engine
from bot.core.messages import Inbound, Media
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from casework import (
    CaseState,
    CasesUnavailable,
    ClosedBy,
    Direction,
    MessageKind,
    ReplyAddress,
    Sealer,
)
from casework.models import contact_context, message_context, reply_context
from casework.sealing import generate_entry
from casework.stores.memory import MemoryCaseStore
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import ROOT, FakeClock, Person

KEY = Pseudonymizer(b"k" * 32)
SEALER = Sealer.from_setting(generate_entry("t1"))


def _onboarded_copy(tmp: Path, partner_id: str) -> ContentTree:
    copy = tmp / "content"
    shutil.copytree(ROOT / "content", copy)
    path = copy / "partners.yaml"
    text = path.read_text(encoding="utf-8")
    marker = f"  - id: {partner_id}\n"
    head, tail = text.split(marker, 1)
    tail = tail.replace("status: example", "status: onboarded", 1)
    path.write_text(head + marker + tail, encoding="utf-8")
    return load_content(copy)


class World:
    def __init__(
        self, content: ContentTree, catalogs: Catalogs, clock: FakeClock, *, key: bool = True
    ) -> None:
        self.store = MemoryStore(now=clock)
        self.cases = MemoryCaseStore()
        self.clock = clock
        self.effects: list[object] = []
        engine = Engine(content, catalogs, self.store, clock=clock,
                        cases=self.cases if key else None, case_retention_days=90,
                        drafts=SEALER if key else None)  # fmt: skip
        turns = StoreTurns(self.store, CaseEffects(self.cases, SEALER if key else None, clock))
        self.runner = Runner(engine, turns, KEY, clock=clock)

    def person(self, user: str = "amina") -> Person:
        return Person(self.runner, user)

    async def only_case(self, user: str = "amina"):  # type: ignore[no-untyped-def]
        found = await self.cases.cases_of(KEY("test", user), open_only=False)
        assert len(found) == 1, found
        return found[0]


@pytest.fixture
def world(content: ContentTree, catalogs: Catalogs, clock: FakeClock) -> World:
    return World(content, catalogs, clock)


async def _to_qatar(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/sos")
    await person.tap("sos:QA")


async def test_talk_names_who_reads_asks_consent_and_opens_a_sealed_case(world: World) -> None:
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    assert "Who should read your message?" in person.text
    assert person.labels[:2] == [
        "Migrant-Rights.org", "Pravasi Nepali Coordination Committee (PNCC)"
    ]  # fmt: skip
    await person.tap("talk:p:migrant-rights")
    assert "Migrant-Rights.org" in person.text
    assert "Languages: English, العربية" in person.text
    assert "Hours: not stated" in person.text and "Usually answers: not stated" in person.text
    assert "Source: Human Rights and Business Award Foundation" in person.text
    # Not onboarded: said plainly, with the organisation's own contacts.
    assert "has not agreed to read messages from this service yet" in person.text
    assert "https://www.migrant-rights.org" in person.text
    assert "Do you agree to send them a message?" in person.text
    assert "deleted 90 days after it is closed" in person.text
    await person.tap("talk:ok")
    assert "Write your message now" in person.text
    await person.send("My employer keeps my salary since March")
    assert "Sent to Migrant-Rights.org" in person.text
    assert "Your case number is C-" in person.text
    labels = person.labels
    assert "📞 Yes, give a contact" in labels and any("Help now" in label for label in labels)

    case = await world.only_case()
    assert (case.partner_id, case.state, case.urgent, case.locale, case.country) == (
        "migrant-rights", CaseState.NEW, False, "en", "QA"
    )  # fmt: skip
    assert (case.consent_version, case.consent_at) == (CASE_CONSENT_VERSION, world.clock.now)
    message = case.messages[0]
    assert message.direction is Direction.WORKER and message.kind is MessageKind.TEXT
    assert b"salary" not in message.body
    opened = SEALER.open(message.body, context=message_context(case.id, message.id))
    assert opened == b"My employer keeps my salary since March"
    address = SEALER.open(case.reply_to or b"", context=reply_context(case.id))
    assert ReplyAddress.from_bytes(address) == ReplyAddress("test", "amina")
    state = await world.store.load_session(KEY("test", "amina"))
    assert "salary" not in repr(state) and "amina" not in repr(state)


async def test_the_sos_card_offers_a_person_and_a_danger_makes_the_case_urgent(
    world: World,
) -> None:
    person = world.person()
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("my boss beats me")
    await person.tap("sos:QA:violence")  # no country known yet: one tap says which
    talk = [c.id for c in person.last.choices if c.id.startswith("talk")]
    assert talk and talk[0].startswith("talk:violence")
    await person.tap(talk[0])
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("He took my phone too")
    case = await world.only_case()
    assert case.urgent and case.danger == "violence"


async def test_words_of_danger_in_the_message_make_it_urgent_and_still_send_it(
    world: World,
) -> None:
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("they beat me every day")
    assert "In Qatar, if you are in danger now, call" in person.text  # SOS first
    assert "Sent to Migrant-Rights.org" in person.text  # and the words are sent
    case = await world.only_case()
    assert case.urgent and case.danger is not None


async def test_a_message_over_the_limit_is_refused_with_the_limit_and_nothing_opens(
    world: World,
) -> None:
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("x" * (MAX_CASE_MESSAGE + 1))
    assert f"the limit is {MAX_CASE_MESSAGE}" in person.text
    assert await world.cases.cases_of(KEY("test", "amina")) == []
    await person.send("short now")
    assert "Sent to" in person.text


async def test_later_messages_go_into_the_open_case_and_the_person_can_close_it(
    world: World,
) -> None:
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("first")
    case_id = (await world.only_case()).id
    await person.tap(f"case:{case_id}")
    assert f"Case {case_id} with Migrant-Rights.org: waiting to be read" in person.text
    await person.send("second, with 2 numbers 55")
    assert "✅ Sent to Migrant-Rights.org." in person.text
    await person.send("third")
    case = await world.only_case()
    opened = [SEALER.open(m.body, context=message_context(case.id, m.id)) for m in case.messages]
    assert opened == [b"first", b"second, with 2 numbers 55", b"third"]
    # Menu still works, and what is typed after it is a search, not a case message.
    await person.tap("menu")
    await person.send("salary")
    assert len((await world.only_case()).messages) == 3
    # /talk with an open case brings it back instead of a second case.
    await person.send("/talk")
    assert f"Case {case_id}" in person.text
    await person.tap(f"case:close:{case_id}")
    await person.tap(f"case:closeok:{case_id}")
    assert f"Case {case_id} is closed" in person.text
    closed = await world.only_case()
    assert closed.state is CaseState.CLOSED and closed.closed_by is ClosedBy.WORKER


async def test_a_contact_is_asked_only_if_wanted_and_kept_sealed(world: World) -> None:
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("please call me")
    case_id = (await world.only_case()).id
    await person.tap(f"case:contact:{case_id}")
    await person.send("+974 5555 1234 after 8 pm")
    assert "Saved. Migrant-Rights.org may contact you there." in person.text
    case = await world.only_case()
    assert case.contact is not None and b"5555" not in case.contact
    assert SEALER.open(case.contact, context=contact_context(case_id)) == (
        b"+974 5555 1234 after 8 pm"
    )


async def test_a_voice_note_is_kept_as_its_sealed_reference(world: World) -> None:
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.runner.handle(
        Inbound("test", "amina", media=Media.VOICE, media_ref="AwACAgQAAx-file-id")
    )
    case = await world.only_case()
    message = case.messages[0]
    assert message.kind is MessageKind.VOICE and message.media_type == "ref/test"
    assert SEALER.open(message.body, context=message_context(case.id, message.id)) == (
        b"AwACAgQAAx-file-id"
    )


async def test_without_contact_key_the_bot_gives_the_partners_own_contacts(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    world = World(content, catalogs, clock, key=False)
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    assert "Messages to caseworkers are switched off on this service." in person.text
    assert "https://www.migrant-rights.org" in person.text
    assert "talk:ok" not in [c.id for c in person.last.choices]
    assert any("Help now" in label for label in person.labels)


async def test_an_onboarded_partner_is_not_called_a_test(
    tmp_path: Path, catalogs: Catalogs, clock: FakeClock
) -> None:
    world = World(_onboarded_copy(tmp_path, "migrant-rights"), catalogs, clock)
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    assert person.labels[0] == "Migrant-Rights.org"  # the one that agreed comes first
    await person.tap("talk:p:migrant-rights")
    assert "has not agreed" not in person.text and "test set-up" not in person.text
    assert "Do you agree to send them a message?" in person.text


async def test_a_forged_case_button_opens_nobody_elses_case(world: World) -> None:
    amina = world.person()
    await _to_qatar(amina)
    await amina.send("/talk")
    await amina.tap("talk:p:migrant-rights")
    await amina.tap("talk:ok")
    await amina.send("mine")
    case_id = (await world.only_case()).id
    other = world.person("baraka")
    await other.send("/start")
    await other.runner.handle(Inbound("test", "baraka", choice=f"case:{case_id}"))
    replies = await other.runner.handle(Inbound("test", "baraka", text="injected"))
    assert "injected" not in str([m.body for m in (await world.only_case()).messages])
    assert replies


async def test_mydata_lists_open_cases_withdrawal_closes_and_forget_leaves_a_marker(
    world: World,
) -> None:
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("help me")
    case_id = (await world.only_case()).id
    await person.send("/mydata")
    assert f"Case {case_id} with Migrant-Rights.org" in person.text
    await person.tap(f"case:withdraw:{case_id}")
    assert "you took back your agreement" in person.text
    case = await world.only_case()
    assert case.state is CaseState.CLOSED and case.closed_by is ClosedBy.WITHDRAWN
    await person.send("/mydata")
    assert f"Case {case_id}" not in person.text
    await person.send("/forget")
    await person.tap("forget:yes")
    marker = await world.cases.get(case_id)
    assert marker is not None and marker.withdrawn and marker.messages == ()
    assert marker.pseudonym == "" and marker.reply_to is None


async def test_forget_drops_the_replies_still_waiting_to_reach_the_person(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    from casework.outbox import EntryKind, OutboxEntry
    from casework.stores.outbox_memory import MemoryOutbox

    world = World(content, catalogs, clock)
    outbox = MemoryOutbox()
    engine = Engine(content, catalogs, world.store, clock=clock, cases=world.cases)
    turns = StoreTurns(world.store, CaseEffects(world.cases, SEALER, clock, outbox))
    world.runner = Runner(engine, turns, KEY, clock=clock)
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("help me")
    case = await world.only_case()
    now = clock()
    for kind, ref in ((EntryKind.READ, case.messages[0].id), (EntryKind.REPLY, "r1")):
        await outbox.enqueue(OutboxEntry(f"{case.id}-{kind}", case.id, case.pseudonym, kind,
                                         ref, created_at=now, due_at=now))  # fmt: skip
    assert len(await outbox.of_case(case.id)) == 2
    await person.send("/forget")
    await person.tap("forget:yes")
    assert await outbox.of_case(case.id) == []


async def test_the_effects_of_a_case_turn_are_typed_and_hide_the_words() -> None:
    import datetime as dt

    from bot.core.effects import CaseText

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    effects = [
        OpenCase("C-1", "pncc", at, CASE_CONSENT_VERSION, at, "ne", "QA", True, "violence",
                 CaseText("m1", at, text="secret words")),
        AddCaseMessage("C-1", CaseText("m2", at, text="more secret")),
        SetCaseContact("C-1", at, "+97755555"),
        CloseCase("C-1", at, withdrawn=True),
    ]  # fmt: skip
    shown = repr(effects)
    assert "secret" not in shown and "97755555" not in shown


class _DownOnce(MemoryCaseStore):
    """A case store that is unreachable for the first open, then back."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True

    async def open_case(self, case):  # type: ignore[no-untyped-def]
        if self.down:
            self.down = False
            raise CasesUnavailable("down")
        return await super().open_case(case)


async def test_an_outage_while_opening_keeps_the_draft_and_the_retry_opens_one_case(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    world = World(content, catalogs, clock)
    world.cases = _DownOnce()
    engine = Engine(content, catalogs, world.store, clock=clock, cases=world.cases)
    turns = StoreTurns(world.store, CaseEffects(world.cases, SEALER, clock))
    world.runner = Runner(engine, turns, KEY, clock=clock)
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("the first try")
    assert "I could not save that just now. Nothing is lost: please try again" in person.text
    assert await world.cases.cases_of(KEY("test", "amina")) == []
    await person.send("the first try")  # the draft (partner, consent, case id) was kept
    assert "Sent to Migrant-Rights.org" in person.text
    case = await world.only_case()
    assert len(case.messages) == 1


async def test_the_answer_button_under_a_pushed_reply_leads_back_into_the_case(
    world: World, catalogs: Catalogs
) -> None:
    from bot.core.case_buttons import answer_choices

    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("hello")
    case_id = (await world.only_case()).id
    await person.tap("menu")
    answer, close, _ = answer_choices(catalogs.translator("sw"), case_id)
    assert (answer.id, close.id) == (f"case:{case_id}", f"case:close:{case_id}")
    await person.runner.handle(Inbound("test", "amina", choice=answer.id))
    await person.send("thank you, I am safe now")
    assert len((await world.only_case()).messages) == 2


async def _with_a_case(world: World, person: Person) -> str:
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    await person.send("first")
    return (await world.only_case()).id


async def test_leaving_the_case_screen_is_said_and_typing_is_a_search_until_they_come_back(
    world: World,
) -> None:
    person = world.person()
    case_id = await _with_a_case(world, person)
    await person.tap(f"case:{case_id}")
    assert "What you write goes to Migrant-Rights.org until you tap Menu." in person.text

    await person.tap("menu")
    assert person.text.startswith(f"You left case {case_id}: what you type now is not sent")
    await person.send("passport")  # a search, as everywhere outside the case
    assert "Sent to" not in person.text
    assert len((await world.only_case()).messages) == 1
    await person.tap("menu")
    assert "You left case" not in person.text  # said once

    await person.send("/talk")  # back into the case
    await person.send("second")
    assert "✅ Sent to Migrant-Rights.org." in person.text
    await person.tap("sos")  # help first, then that the case screen is left
    assert "You left case" in person.replies[-1].text
    assert "You left case" not in person.replies[0].text
    assert len((await world.only_case()).messages) == 2


async def test_a_message_to_a_case_a_caseworker_closed_is_answered_not_dropped(
    world: World, clock: FakeClock
) -> None:
    person = world.person()
    case_id = await _with_a_case(world, person)
    await person.tap(f"case:{case_id}")
    await world.cases.set_state(case_id, CaseState.CLOSED, clock(), by=ClosedBy.CASEWORKER)

    await person.send("are you still there?")

    assert (f"Case {case_id} is closed, so this message was not sent to Migrant-Rights.org"
            in person.text)
    assert [c.id for c in person.last.choices] == ["talk", "exit", "menu", "sos"]
    assert len((await world.only_case()).messages) == 1


class _ClosesOnAdd(MemoryCaseStore):
    """A caseworker closes the case between the engine's read and the message's write."""

    async def add_message(self, case_id, message):  # type: ignore[no-untyped-def]
        await self.set_state(case_id, CaseState.CLOSED, message.at, by=ClosedBy.CASEWORKER)
        return await super().add_message(case_id, message)


async def test_a_case_closed_the_moment_before_the_message_says_it_was_not_sent(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    world = World(content, catalogs, clock)
    world.cases = _ClosesOnAdd()
    engine = Engine(content, catalogs, world.store, clock=clock, cases=world.cases)
    turns = StoreTurns(world.store, CaseEffects(world.cases, SEALER, clock))
    world.runner = Runner(engine, turns, KEY, clock=clock)
    person = world.person()
    case_id = await _with_a_case(world, person)

    await person.send("one more thing")

    assert "Sent to" not in person.text
    assert f"Case {case_id} is closed, so this message was not sent" in person.text
    assert len((await world.only_case()).messages) == 1


async def test_words_typed_right_after_closing_the_case_are_answered(world: World) -> None:
    person = world.person()
    case_id = await _with_a_case(world, person)
    await person.tap(f"case:{case_id}")
    await person.tap(f"case:close:{case_id}")
    await person.tap(f"case:closeok:{case_id}")

    await person.send("wait, one more thing")

    assert f"Case {case_id} is closed, so this message was not sent" in person.text
    assert "talk" in [c.id for c in person.last.choices]
    assert len((await world.only_case()).messages) == 1


async def test_a_voice_note_sent_before_agreeing_becomes_the_first_message_without_resending(
    world: World,
) -> None:
    person = world.person()
    await _to_qatar(person)
    person.replies = await person.runner.handle(
        Inbound("test", "amina", media=Media.VOICE, media_ref="AwACAgQAAx-before-consent"))
    assert "I kept your voice message" in person.text
    state = await world.store.load_session(KEY("test", "amina"))
    assert "before-consent" not in str(state)  # it waits sealed, not in clear

    assert "talk:-:QA" in [c.id for r in person.replies for c in r.choices]
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    assert await world.cases.cases_of(KEY("test", "amina")) == []  # nothing before consent
    await person.tap("talk:ok")

    assert "you do not need to send it again" in person.text
    assert "✅ Sent to Migrant-Rights.org. Your case number is C-" in person.text
    case = await world.only_case()
    [message] = case.messages
    assert message.kind is MessageKind.VOICE
    assert SEALER.open(message.body, context=message_context(case.id, message.id)) == (
        b"AwACAgQAAx-before-consent")
    assert "voice" not in str((await world.store.load_session(KEY("test", "amina")))["flow"])


async def test_a_kept_voice_note_is_dropped_when_the_person_says_not_now(world: World) -> None:
    person = world.person()
    await _to_qatar(person)
    person.replies = await person.runner.handle(
        Inbound("test", "amina", media=Media.VOICE, media_ref="AwACAgQAAx-not-now"))
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:no")
    state = await world.store.load_session(KEY("test", "amina"))
    assert state is not None and "talk" not in state["flow"]

    await person.send("/talk")  # a later /talk asks for a message again
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")
    assert "Write your message now" in person.text
    assert await world.cases.cases_of(KEY("test", "amina")) == []


def _with_opening_hours(tmp: Path) -> ContentTree:
    """A copy of the content whose Migrant-Rights.org entry states (made-up) office hours."""
    copy = tmp / "content"
    shutil.copytree(ROOT / "content", copy)
    path = copy / "partners.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  - id: migrant-rights\n"
    head, tail = text.split(marker, 1)
    tail = tail.replace("    status: example\n", "    status: example\n    hours:\n"
                        "      en: Sunday to Thursday, 8:00 to 16:00 (Qatar time)\n"
                        "    opening: {timezone: Asia/Qatar, days: [sun, mon, tue, wed, thu], "
                        "opens: '08:00', closes: '16:00'}\n", 1)
    path.write_text(head + marker + tail, encoding="utf-8")
    return load_content(copy)


async def test_outside_its_hours_the_partner_is_named_closed_with_its_hours_and_the_sos_numbers(
    catalogs: Catalogs, clock: FakeClock, tmp_path: Path
) -> None:
    world = World(_with_opening_hours(tmp_path), catalogs, clock)
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")  # Monday 12:00 in Qatar: open
    assert "is closed now" not in person.text
    assert "Hours: Sunday to Thursday, 8:00 to 16:00 (Qatar time)" in person.text

    clock.advance(hours=5)  # 17:00 in Qatar
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    assert ("🕒 Migrant-Rights.org is closed now. Hours: Sunday to Thursday, 8:00 to 16:00 "
            "(Qatar time). You can still write" in person.text)
    assert "If you are in danger now, call:" in person.text and "999" in person.text
    await person.tap("talk:ok")  # they may still write; the case waits for the morning
    await person.send("please call me tomorrow")
    assert "✅ Sent to Migrant-Rights.org" in person.text


def test_opening_hours_need_a_known_zone_the_hours_in_words_and_opens_before_closes() -> None:
    from pydantic import ValidationError

    from bot.content.partners import OpeningHours, Partner

    base = {"id": "x", "name": {"en": "X"}, "status": "example", "countries": ["QA"],
            "languages": ["en"], "direct": {"website": "https://example.org"},
            "sources": [{"title": "t"}], "confidence": "weak"}
    hours = {"timezone": "Asia/Qatar", "days": ["sun"], "opens": "08:00", "closes": "16:00"}
    with pytest.raises(ValidationError, match="opening needs hours"):
        Partner.model_validate({**base, "opening": hours})
    with pytest.raises(ValidationError, match="unknown time zone"):
        OpeningHours.model_validate({**hours, "timezone": "Qatar/Doha"})
    with pytest.raises(ValidationError, match="opens must be before closes"):
        OpeningHours.model_validate({**hours, "opens": "17:00"})


class _SaveFailsWhenArmed(MemoryStore):
    """The main store fails the turn's unit of work once, after the case was written."""

    armed = False

    async def save_session(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.armed:
            self.armed = False
            raise StoreUnavailable("down")
        return await super().save_session(*args, **kwargs)


async def test_a_failure_between_the_case_write_and_the_turn_s_unit_of_work_adds_nothing_twice(
    content: ContentTree, catalogs: Catalogs, clock: FakeClock
) -> None:
    world = World(content, catalogs, clock)
    store = _SaveFailsWhenArmed(now=clock)
    world.store = store
    engine = Engine(content, catalogs, store, clock=clock, cases=world.cases)
    world.runner = Runner(engine, StoreTurns(store, CaseEffects(world.cases, SEALER, clock)),
                          KEY, clock=clock)
    person = world.person()
    await _to_qatar(person)
    await person.send("/talk")
    await person.tap("talk:p:migrant-rights")
    await person.tap("talk:ok")

    store.armed = True
    await person.send("opening words")  # the case is written, then the state is not
    assert "I could not save that just now. Nothing is lost: please try again" in person.text
    await person.send("opening words")
    assert "Sent to Migrant-Rights.org. Your case number is" in person.text
    assert len((await world.only_case()).messages) == 1

    store.armed = True
    await person.send("a second message")
    assert "please try again" in person.text
    await person.send("a second message")
    assert "✅ Sent to Migrant-Rights.org." in person.text
    await person.send("a third one")
    case = await world.only_case()
    opened = [SEALER.open(m.body, context=message_context(case.id, m.id)) for m in case.messages]
    assert opened == [b"opening words", b"a second message", b"a third one"]
