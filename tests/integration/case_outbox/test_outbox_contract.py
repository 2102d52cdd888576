"""One contract for every case outbox adapter: leases, order per person, retries, waking."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.outbox import EntryKind, EntryStatus, OutboxEntry, OutboxStore, backoff

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
LEASE = T0 + dt.timedelta(minutes=2)


def entry(entry_id: str, person: str = "p1", *, minutes: int = 0,
          case_id: str = "C-1") -> OutboxEntry:
    at = T0 + dt.timedelta(minutes=minutes)
    return OutboxEntry(entry_id, case_id, person, EntryKind.REPLY, entry_id, at, at)


async def test_enqueue_is_idempotent(outbox: OutboxStore) -> None:
    assert await outbox.enqueue(entry("a")) is True
    assert await outbox.enqueue(entry("a")) is False
    assert [e.id for e in await outbox.of_case("C-1")] == ["a"]


async def test_only_the_oldest_of_each_person_is_claimed(outbox: OutboxStore) -> None:
    for item in (entry("b", minutes=1), entry("a"), entry("x", "p2", minutes=2)):
        await outbox.enqueue(item)
    later = T0 + dt.timedelta(minutes=5)

    claimed = await outbox.claim(later, lease_until=later + dt.timedelta(minutes=2), owner="w1")

    assert [e.id for e in claimed] == ["a", "x"]
    assert {e.owner for e in claimed} == {"w1"}


async def test_a_lease_keeps_other_workers_out_until_it_runs_out(outbox: OutboxStore) -> None:
    await outbox.enqueue(entry("a"))
    assert [e.id for e in await outbox.claim(T0, lease_until=LEASE, owner="w1")] == ["a"]

    assert await outbox.claim(T0 + dt.timedelta(minutes=1), lease_until=LEASE, owner="w2") == []
    after = LEASE + dt.timedelta(seconds=1)
    taken = await outbox.claim(after, lease_until=after + dt.timedelta(minutes=2), owner="w2")
    assert [e.owner for e in taken] == ["w2"], "the first worker died: the entry is not lost"
    assert await outbox.done("a", "w1") is False, "a worker whose lease ran out cannot finish it"
    assert await outbox.done("a", "w2") is True
    assert await outbox.of_case("C-1") == []


async def test_done_lets_the_next_of_the_person_through(outbox: OutboxStore) -> None:
    await outbox.enqueue(entry("a"))
    await outbox.enqueue(entry("b", minutes=1))
    later = T0 + dt.timedelta(minutes=2)
    lease = later + dt.timedelta(minutes=2)
    [first] = await outbox.claim(later, lease_until=lease, owner="w1")
    assert await outbox.claim(later, lease_until=lease, owner="w1") == []

    await outbox.done(first.id, "w1")

    assert [e.id for e in await outbox.claim(later, lease_until=lease, owner="w1")] == ["b"]


async def test_retry_keeps_the_order_and_says_why(outbox: OutboxStore) -> None:
    await outbox.enqueue(entry("a"))
    await outbox.enqueue(entry("b", minutes=1))
    later = T0 + dt.timedelta(minutes=2)
    await outbox.claim(later, lease_until=later + dt.timedelta(minutes=2), owner="w1")
    due = later + backoff(1)

    assert await outbox.retry("a", "w1", due_at=due, status=EntryStatus.STUCK,
                              detail="set WHATSAPP_TEMPLATE_CASE_REPLY")

    assert await outbox.claim(later, lease_until=due, owner="w1") == [], "b waits behind a"
    [a, b] = await outbox.of_case("C-1")
    assert b.attempts == 0
    assert (a.status, a.attempts, a.detail) == (
        EntryStatus.STUCK, 1, "set WHATSAPP_TEMPLATE_CASE_REPLY")
    assert a.owner == "" and a.lease_until is None
    assert [e.id for e in await outbox.claim(due, lease_until=due + (LEASE - T0), owner="w1")] == [
        "a"]


async def test_waiting_entries_are_due_when_the_person_writes(outbox: OutboxStore) -> None:
    await outbox.enqueue(entry("a"))
    await outbox.enqueue(entry("z", "p2"))
    await outbox.claim(T0, lease_until=LEASE, owner="w1")
    far = T0 + dt.timedelta(days=30)
    await outbox.retry("a", "w1", due_at=far, status=EntryStatus.WAITING, detail="template sent")
    await outbox.retry("z", "w1", due_at=far, status=EntryStatus.UNREACHABLE, detail="blocked")
    later = T0 + dt.timedelta(hours=1)
    assert await outbox.claim(later, lease_until=later + (LEASE - T0), owner="w1") == []

    assert await outbox.wake("p1", later) == 1
    assert await outbox.wake("p2", later) == 0, "a person who blocked the bot is not retried"

    [woken] = await outbox.claim(later, lease_until=later + (LEASE - T0), owner="w2")
    assert (woken.id, woken.status, woken.seen_at) == ("a", EntryStatus.PENDING, later)


async def test_forget_drops_the_person_s_entries(outbox: OutboxStore) -> None:
    await outbox.enqueue(entry("a"))
    await outbox.enqueue(entry("b", "p2", case_id="C-2"))

    assert await outbox.drop_person("p1") == 1

    assert await outbox.of_case("C-1") == []
    assert [e.id for e in await outbox.of_case("C-2")] == ["b"]


async def test_claiming_for_one_person_takes_theirs_even_when_put_off_but_never_leased(
    outbox: OutboxStore,
) -> None:
    for item in (entry("a"), entry("b", minutes=1), entry("x", "p2")):
        await outbox.enqueue(item)
    [first] = await outbox.claim(T0, lease_until=LEASE, owner="server", person="p1")
    assert first.id == "a"
    assert await outbox.claim(T0, lease_until=LEASE, owner="chat", person="p1") == []  # leased
    far = T0 + dt.timedelta(hours=5)
    await outbox.retry("a", "server", due_at=far, status=EntryStatus.PENDING, detail="no channel")

    [again] = await outbox.claim(T0, lease_until=LEASE, owner="chat", person="p1")
    assert (again.id, again.owner) == ("a", "chat")  # put off, still the person's next
    await outbox.retry("a", "chat", due_at=far, status=EntryStatus.WAITING, detail="window")
    [waiting] = await outbox.claim(T0, lease_until=LEASE, owner="chat", person="p1")
    assert waiting.id == "a"
    await outbox.retry("a", "chat", due_at=far, status=EntryStatus.UNREACHABLE, detail="blocked")
    assert await outbox.claim(T0, lease_until=LEASE, owner="chat", person="p1") == []
    assert [e.id for e in await outbox.claim(T0, lease_until=LEASE, owner="w",
                                             person="p2")] == ["x"]


@pytest.mark.parametrize("attempts", [1, 2, 3, 20])
def test_backoff_doubles_up_to_an_hour(attempts: int) -> None:
    expected = min(dt.timedelta(hours=1), dt.timedelta(seconds=10 * 2 ** (attempts - 1)))
    assert backoff(attempts) == expected
