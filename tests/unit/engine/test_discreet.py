"""Discreet mode in the engine: the quick exit and its neutral screen, the erase range
kept from the chat's message numbers (48 hours at most), the notification preference."""

from __future__ import annotations

import datetime as dt

from bot.core import notices
from bot.core.messages import Erase, Inbound, Outbound
from bot.core.runner import Runner
from bot.core.screens import discreet
from bot.core.session import Session
from tests.fakes.clock import FakeClock
from tests.unit.engine.conftest import Person

QUICK_EXIT = "✖ Quick exit"


class NumberedPerson(Person):
    """A person on a channel that numbers messages (as Telegram does): every message and
    every reply takes the next number of the chat."""

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner, user="numbered")
        self.number = 0

    async def send(self, text: str) -> list[Outbound]:
        self.number += 1
        return await self._numbered(Inbound("test", self.user, text=text, message_no=self.number))

    async def tap(self, choice_id: str) -> list[Outbound]:
        ids = [c.id for c in self.last.choices]
        assert choice_id in ids, f"{choice_id!r} is not offered: {ids}"
        inbound = Inbound("test", self.user, choice=choice_id, message_no=self.number)
        return await self._numbered(inbound)

    async def _numbered(self, inbound: Inbound) -> list[Outbound]:
        replies = await self._go(inbound)
        self.number += len(replies)
        return replies


async def _in_qatar(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/sos")
    await person.tap("sos:QA")


def _neutral(replies: list[Outbound]) -> Outbound:
    assert len(replies) == 1
    return replies[0]


async def test_sos_card_has_a_quick_exit_and_it_shows_a_neutral_screen(person: Person) -> None:
    await _in_qatar(person)
    labels = person.labels
    assert QUICK_EXIT in labels
    assert labels.index(QUICK_EXIT) < labels.index("🏠 Menu")
    assert labels[-1] == "🆘 Help now"

    screen = _neutral(await person.tap("exit"))
    assert screen.text == "📝 Notes\n\nNo notes yet."
    assert [c.label for c in screen.choices] == ["Continue"]  # no menu, no help button
    assert screen.erase == Erase()  # no message numbers on this channel
    await person.tap("menu")
    assert "🆘 Help now" in person.labels


async def test_exit_command_works_from_anywhere_in_the_persons_language(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:sw")
    screen = _neutral(await person.send("/exit"))
    assert screen.text.startswith("📝 ")
    assert "SOS" not in screen.text and "🆘" not in screen.text
    assert screen.choices[0].id == "menu"


async def test_quick_exit_on_rating_talk_and_mydata_but_not_on_guides(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/mydata")
    assert QUICK_EXIT in person.labels
    await person.send("/menu")
    assert QUICK_EXIT not in person.labels
    await person.send("/talk")
    assert QUICK_EXIT in person.labels
    await person.send("my boss took my passport")  # a danger phrase: the SOS card
    assert QUICK_EXIT in person.labels


async def test_the_erase_runs_from_the_first_message_to_just_after_the_last(
    runner: Runner,
) -> None:
    person = NumberedPerson(runner)
    await _in_qatar(person)
    at = person.number
    screen = _neutral(await person.tap("exit"))
    assert screen.erase == Erase(first=1, last=at + discreet.AFTER)

    await person.send("/menu")  # the conversation after the exit starts afresh
    first = person.number - len(person.replies)
    screen = _neutral(await person.send("/exit"))
    assert screen.erase is not None and screen.erase.first == first


async def test_the_erase_reaches_back_48_hours_and_no_further(
    runner: Runner, clock: FakeClock
) -> None:
    person = NumberedPerson(runner)
    await person.send("/start")
    await person.tap("lang:en")
    sent: list[tuple[dt.datetime, int]] = []
    for _ in range(20):  # a message every 4 hours for 80 hours
        clock.advance(hours=4)
        await person.send("/menu")
        sent.append((clock(), person.number - len(person.replies)))
    screen = _neutral(await person.send("/exit"))
    oldest_deletable = min(number for at, number in sent
                           if clock() - at < discreet.DELETABLE)
    assert screen.erase == Erase(first=oldest_deletable, last=person.number - 1 + discreet.AFTER)


def test_marks_change_the_session_only_every_few_hours() -> None:
    session = Session(locale="en")
    now = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    discreet.note_message(session, 10, now)
    assert session.marks == [[10, int(now.timestamp() // 60)]]
    before = [list(mark) for mark in session.marks]
    discreet.note_message(session, 14, now + dt.timedelta(hours=2))
    assert session.marks == before
    discreet.note_message(session, 20, now + dt.timedelta(hours=3))
    assert [mark[0] for mark in session.marks] == [10, 20]
    discreet.note_message(session, 90, now + dt.timedelta(hours=52))
    assert [mark[0] for mark in session.marks] == [90]  # the old ones cannot be deleted


def test_an_erase_is_never_longer_than_its_cap() -> None:
    session = Session(locale="en", marks=[[1, 0]])
    erase = discreet.erase_range(session, 100_000, dt.datetime.fromtimestamp(60, dt.UTC))
    assert erase.last is not None and erase.first is not None
    assert erase.last - erase.first + 1 == discreet.MOST


async def test_neutral_notifications_are_a_preference_shown_in_mydata(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/mydata")
    assert "Notifications: with their own words." in person.text
    await person.tap(discreet.NOTIFY)
    assert "You have a new message" in person.text
    await person.tap("notify:neutral")
    assert "the notification says only" in person.text
    state = await person.runner._storage.load_state(  # what a sender reads
        person.runner.pseudonym(Inbound("test", person.user)))
    assert notices.notify_neutral(state)
    await person.send("/mydata")
    assert 'Notifications: only "You have a new message".' in person.text
