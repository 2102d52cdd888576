"""The delivery loop's decisions on plain data: in-memory stores, a recording push sender."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

from bot.channels.push import Push, Pushers, PushResult, PushStatus
from bot.i18n import Catalogs
from bot.settings import PROJECT_ROOT
from bot.web.cases.delivery import CaseDelivery, Wording
from bot.web.notice import WOKEN_FOR, NeutralNotices, woken
from casework import CaseMessage, CaseState, Direction, MessageKind, Sealer, new_item_id
from casework.models import message_context
from casework.outbox import EntryKind, EntryStatus, OutboxEntry
from casework.sealing import generate_entry
from casework.stores.memory import MemoryCaseStore
from casework.stores.outbox_memory import MemoryOutbox
from tests.casework_data import CONTACT_KEY, open_case

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class Recorder:
    """A push sender that answers with scripted statuses and records what it got."""

    name: str = "telegram"
    answers: list[PushStatus] = field(default_factory=list)
    pushes: list[Push] = field(default_factory=list)
    delay: float = 0.0

    async def push(self, push: Push) -> PushResult:
        self.pushes.append(push)
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.answers.pop(0) if self.answers else PushStatus.SENT
        sent = len(push.messages) if status is PushStatus.SENT else 0
        return PushResult(status, sent, f"scripted {status.value}")


@dataclass
class World:
    cases: MemoryCaseStore
    outbox: MemoryOutbox
    sealer: Sealer
    recorder: Recorder

    def delivery(self, owner: str = "w1") -> CaseDelivery:
        catalogs = Catalogs.load(PROJECT_ROOT / "locales", "en")
        return CaseDelivery(self.cases, self.outbox, self.sealer,
                            Pushers({"telegram": self.recorder}),
                            Wording(catalogs, lambda pid, locale: "Kituo cha Sheria"), owner=owner,
                            clock=lambda: NOW)

    async def reply(self, case_id: str, text: str, minutes: int = 0) -> str:
        message_id = new_item_id()
        at = NOW + dt.timedelta(minutes=minutes) - dt.timedelta(hours=1)
        body = self.sealer.seal(text.encode(), context=message_context(case_id, message_id))
        await self.cases.add_message(case_id, CaseMessage(
            message_id, at, Direction.CASEWORKER, MessageKind.TEXT, body))
        case = await self.cases.get(case_id)
        assert case is not None
        await self.outbox.enqueue(OutboxEntry(message_id, case_id, case.pseudonym,
                                              EntryKind.REPLY, message_id, at, at))
        return message_id


async def world() -> tuple[World, str]:
    found = World(MemoryCaseStore(), MemoryOutbox(), Sealer.from_setting(CONTACT_KEY),
                  Recorder())
    case = await open_case(found.cases, found.sealer, partner="kituo", channel="telegram",
                           address="4242", pseudonym="p1", at=NOW - dt.timedelta(hours=2))
    return found, case.id


async def test_replies_go_out_in_order_with_the_partner_s_name() -> None:
    w, case_id = await world()
    first = await w.reply(case_id, "First answer.")
    await w.reply(case_id, "Second answer.", minutes=1)
    delivery = w.delivery()

    while await delivery.run_once():
        pass

    texts = [p.messages[0].text for p in w.recorder.pushes]
    assert texts[0].startswith("Reply from Kituo cha Sheria") and texts[0].endswith(
        "First answer.")
    assert texts[1].endswith("Second answer.")
    buttons = [(c.id, c.label) for c in w.recorder.pushes[0].messages[0].choices]
    assert buttons == [(f"case:{case_id}", "💬 Answer"),
                       (f"case:close:{case_id}", "✖️ Close this case"), ("sos", "🆘 Help now")]
    assert {p.address for p in w.recorder.pushes} == {"4242"}
    stored = await w.cases.get(case_id)
    assert stored is not None
    assert next(m for m in stored.messages if m.id == first).delivered_at == NOW
    assert await w.outbox.of_case(case_id) == []


async def test_a_failing_reply_holds_back_the_next_one() -> None:
    w, case_id = await world()
    await w.reply(case_id, "First.")
    await w.reply(case_id, "Second.", minutes=1)
    w.recorder.answers = [PushStatus.RETRY]

    await w.delivery().run_once()

    assert len(w.recorder.pushes) == 1
    first, second = await w.outbox.of_case(case_id)
    assert (first.status, first.attempts) == (EntryStatus.PENDING, 1)
    assert first.due_at > NOW and second.attempts == 0


async def test_outcomes_become_waiting_stuck_or_unreachable() -> None:
    for status, expected in ((PushStatus.TEMPLATE_SENT, EntryStatus.WAITING),
                             (PushStatus.NO_TEMPLATE, EntryStatus.STUCK),
                             (PushStatus.BLOCKED, EntryStatus.UNREACHABLE)):
        w, case_id = await world()
        await w.reply(case_id, "Hello.")
        w.recorder.answers = [status]

        await w.delivery().run_once()

        [entry] = await w.outbox.of_case(case_id)
        assert entry.status is expected, status
        assert entry.detail


async def test_a_waiting_reply_goes_out_when_the_person_writes() -> None:
    w, case_id = await world()
    await w.reply(case_id, "Hello.")
    w.recorder.answers = [PushStatus.TEMPLATE_SENT]
    delivery = w.delivery()
    await delivery.run_once()
    assert await delivery.run_once() == 0

    await delivery.person_wrote("whatsapp", "p1", NOW)
    await delivery.run_once()

    assert len(w.recorder.pushes) == 2 and w.recorder.pushes[1].last_seen == NOW
    assert await w.outbox.of_case(case_id) == []


async def test_two_workers_never_send_the_same_reply() -> None:
    w, case_id = await world()
    await w.reply(case_id, "Only once.")
    w.recorder.delay = 0.05

    await asyncio.gather(w.delivery("w1").run_once(), w.delivery("w2").run_once())

    assert len(w.recorder.pushes) == 1


async def test_a_withdrawn_person_is_not_written_to() -> None:
    w, case_id = await world()
    await w.reply(case_id, "Hello.")
    await w.cases.erase_person("p1", NOW)

    await w.delivery().run_once()

    assert w.recorder.pushes == []
    assert await w.outbox.of_case(case_id) == []
    stored = await w.cases.get(case_id)
    assert stored is not None and stored.state is CaseState.CLOSED


async def test_a_read_notice_never_holds_back_a_reply() -> None:
    w, case_id = await world()
    notice = OutboxEntry(f"{case_id}:read:x", case_id, "p1", EntryKind.READ, "x",
                         NOW - dt.timedelta(hours=2), NOW - dt.timedelta(hours=2))
    await w.outbox.enqueue(notice)
    await w.reply(case_id, "The answer.")
    w.recorder.answers = [PushStatus.WINDOW_CLOSED, PushStatus.TEMPLATE_SENT]
    delivery = w.delivery()

    while await delivery.run_once():
        pass

    assert [p.template is not None for p in w.recorder.pushes] == [False, True]
    [waiting] = await w.outbox.of_case(case_id)
    assert (waiting.kind, waiting.status) == (EntryKind.REPLY, EntryStatus.WAITING)


async def test_a_case_that_cannot_be_opened_is_stuck_not_lost() -> None:
    w, case_id = await world()
    await w.reply(case_id, "Hello.")
    other = World(w.cases, w.outbox, Sealer.from_setting(generate_entry("k2")), w.recorder)

    await other.delivery().run_once()

    [entry] = await w.outbox.of_case(case_id)
    assert entry.status is EntryStatus.STUCK and "CONTACT_KEY" in entry.detail
    assert w.recorder.pushes == []


async def test_a_woken_reply_tried_again_an_hour_later_is_a_notice_again() -> None:
    """Opening a notice lets the words go out for a few minutes only: a push that failed
    then and goes out an hour later may find the phone in someone else's hand."""
    w, case_id = await world()
    await w.reply(case_id, "Bring the copy of your passport.")
    now = [NOW]
    catalogs = Catalogs.load(PROJECT_ROOT / "locales", "en")

    async def neutral(pseudonym: str) -> bool:
        return True

    delivery = CaseDelivery(w.cases, w.outbox, w.sealer, Pushers({"telegram": w.recorder}),
                            Wording(catalogs, lambda pid, locale: "Kituo cha Sheria"),
                            owner="w1", clock=lambda: now[0],
                            notices=NeutralNotices(catalogs, neutral))

    def last_texts() -> list[str]:
        return [message.text for message in w.recorder.pushes[-1].messages]

    await delivery.run_once()
    assert last_texts() == ["You have a new message."]
    await delivery.person_wrote("telegram", "p1", NOW)  # they tap Open
    w.recorder.answers = [PushStatus.RETRY]  # the words' push fails for now
    await delivery.run_once()
    assert any("passport" in text for text in last_texts())

    now[0] = NOW + dt.timedelta(hours=1)
    assert await delivery.run_once() == 1
    assert last_texts() == ["You have a new message."]
    [entry] = await w.outbox.of_case(case_id)
    assert entry.status is EntryStatus.WAITING


def test_a_wake_lasts_minutes() -> None:
    assert woken(NOW, NOW + WOKEN_FOR)
    assert not woken(NOW, NOW + WOKEN_FOR + dt.timedelta(seconds=1))
    assert not woken(None, NOW)
