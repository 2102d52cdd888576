"""The case store contract: every adapter (memory, SQLite, MongoDB wire server) passes all of it.

The chat, the caseworkers' portal and the retention sweep rely only on what
is checked here, so a worker on any adapter treats a case the same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

import pytest

from casework import (
    Case,
    CaseClosed,
    CaseMessage,
    CaseNote,
    CaseNotFound,
    CaseState,
    CaseStore,
    ClosedBy,
    Direction,
    InvalidTransition,
    MessageKind,
    ReplyAddress,
    Sealer,
)
from casework.models import contact_context, message_context, reply_context
from casework.sealing import generate_entry

from .conftest import CaseAdapter

T0 = dt.datetime(2026, 5, 1, 9, 30, 0, 123457, tzinfo=dt.UTC)
ALICE = "p" * 64
BOB = "q" * 64


def at(**delta: float) -> dt.datetime:
    return T0 + dt.timedelta(**delta)


def message(
    message_id: str,
    minutes: float = 0,
    direction: Direction = Direction.WORKER,
    body: bytes = b"\x01sealed",
) -> CaseMessage:
    return CaseMessage(message_id, at(minutes=minutes), direction, MessageKind.TEXT, body)


def case(case_id: str = "C-AAAAA-AAAAA", **changes: object) -> Case:
    base = Case(
        id=case_id,
        partner_id="migrant-rights",
        pseudonym=ALICE,
        created_at=T0,
        consent_version="case-1",
        consent_at=T0,
        locale="sw",
        country="QA",
        messages=(message("m1"),),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


async def test_a_case_comes_back_exactly_as_opened(cases: CaseStore) -> None:
    opened = case(
        urgent=True,
        danger="passport_taken",
        contact=b"\x01\x05contact-sealed\x00\xff",
        reply_to=b"\x01\x05reply-sealed",
        messages=(
            message("m1"),
            CaseMessage("m2", at(seconds=1), Direction.WORKER, MessageKind.VOICE, b"\x00ogg",
                        media_type="audio/ogg"),
        ),
    )  # fmt: skip
    assert await cases.open_case(opened) == opened
    assert await cases.get(opened.id) == opened


async def test_opening_an_id_twice_keeps_the_first_case(cases: CaseStore) -> None:
    first = await cases.open_case(case())
    again = await cases.open_case(case(partner_id="someone-else", messages=()))
    assert again == first
    assert await cases.get(first.id) == first


async def test_an_unknown_case_is_none_and_changing_it_is_not_found(cases: CaseStore) -> None:
    assert await cases.get("C-NOPE") is None
    with pytest.raises(CaseNotFound):
        await cases.add_message("C-NOPE", message("m9"))
    with pytest.raises(CaseNotFound):
        await cases.set_state("C-NOPE", CaseState.CLOSED, T0)
    with pytest.raises(CaseNotFound):
        await cases.mark_read("C-NOPE", T0)


async def test_messages_stay_in_order_and_the_same_id_is_added_once(cases: CaseStore) -> None:
    await cases.open_case(case())
    await cases.add_message(case().id, message("m2", 1, Direction.CASEWORKER))
    await cases.add_message(case().id, message("m3", 2))
    again = await cases.add_message(case().id, message("m3", 2))
    assert [m.id for m in again.messages] == ["m1", "m2", "m3"]
    stored = await cases.get(case().id)
    assert stored is not None and [m.id for m in stored.messages] == ["m1", "m2", "m3"]
    assert stored.updated_at == at(minutes=2)


async def test_two_writers_at_once_lose_no_message(cases: CaseStore) -> None:
    await cases.open_case(case())
    await asyncio.gather(*(cases.add_message(case().id, message(f"n{i}", i)) for i in range(12)))
    stored = await cases.get(case().id)
    assert stored is not None
    assert sorted(m.id for m in stored.messages) == sorted(["m1", *(f"n{i}" for i in range(12))])


async def test_a_closed_case_takes_no_message(cases: CaseStore) -> None:
    await cases.open_case(case())
    closed = await cases.set_state(case().id, CaseState.CLOSED, at(hours=1), by=ClosedBy.WORKER)
    assert (closed.state, closed.closed_at, closed.closed_by) == (
        CaseState.CLOSED, at(hours=1), ClosedBy.WORKER
    )  # fmt: skip
    with pytest.raises(CaseClosed):
        await cases.add_message(case().id, message("late", 90))


async def test_state_moves_forward_only(cases: CaseStore) -> None:
    await cases.open_case(case())
    moved = await cases.set_state(case().id, CaseState.IN_PROGRESS, at(minutes=5))
    assert moved.state is CaseState.IN_PROGRESS and moved.closed_at is None
    assert (await cases.set_state(case().id, CaseState.IN_PROGRESS, at(minutes=9))) == moved
    with pytest.raises(InvalidTransition):
        await cases.set_state(case().id, CaseState.NEW, at(minutes=6))
    closed = await cases.set_state(case().id, CaseState.CLOSED, at(minutes=7))
    assert closed.closed_by is ClosedBy.CASEWORKER
    with pytest.raises(InvalidTransition):
        await cases.set_state(case().id, CaseState.IN_PROGRESS, at(minutes=8))


async def test_a_partner_sees_its_own_cases_urgent_first_then_oldest(cases: CaseStore) -> None:
    await cases.open_case(case("C-OLD", created_at=at(hours=-5)))
    await cases.open_case(case("C-URGENT-NEW", created_at=at(hours=-1), urgent=True))
    await cases.open_case(case("C-URGENT-OLD", created_at=at(hours=-3), urgent=True))
    await cases.open_case(case("C-NEW", created_at=at(hours=-2)))
    await cases.open_case(case("C-OTHER", partner_id="pncc", urgent=True))
    listed = await cases.list_for_partner("migrant-rights")
    assert [c.id for c in listed] == ["C-URGENT-OLD", "C-URGENT-NEW", "C-OLD", "C-NEW"]
    assert [c.id for c in await cases.list_for_partner("pncc")] == ["C-OTHER"]
    assert [c.id for c in await cases.list_for_partner("migrant-rights", limit=2)] == [
        "C-URGENT-OLD", "C-URGENT-NEW"
    ]  # fmt: skip
    await cases.set_state("C-OLD", CaseState.CLOSED, T0)
    open_ones = await cases.list_for_partner(
        "migrant-rights", states=(CaseState.NEW, CaseState.IN_PROGRESS)
    )
    assert [c.id for c in open_ones] == ["C-URGENT-OLD", "C-URGENT-NEW", "C-NEW"]
    closed = await cases.list_for_partner("migrant-rights", states=(CaseState.CLOSED,))
    assert [c.id for c in closed] == ["C-OLD"]
    assert await cases.list_for_partner("migrant-rights", states=()) == []


async def test_a_person_sees_their_open_cases_oldest_first(cases: CaseStore) -> None:
    await cases.open_case(case("C-2", created_at=at(minutes=2)))
    await cases.open_case(case("C-1", created_at=at(minutes=1)))
    await cases.open_case(case("C-BOB", pseudonym=BOB))
    await cases.open_case(case("C-DONE", created_at=at(minutes=3)))
    await cases.set_state("C-DONE", CaseState.CLOSED, at(minutes=4), by=ClosedBy.WORKER)
    assert [c.id for c in await cases.cases_of(ALICE)] == ["C-1", "C-2"]
    assert [c.id for c in await cases.cases_of(ALICE, open_only=False)] == ["C-1", "C-2", "C-DONE"]
    assert [c.id for c in await cases.cases_of(BOB)] == ["C-BOB"]
    assert await cases.cases_of("") == []


async def test_notes_are_added_once_each(cases: CaseStore) -> None:
    await cases.open_case(case())
    note = CaseNote("n1", at(minutes=3), "caseworker-7", b"\x01note")
    await cases.add_note(case().id, note)
    stored = await cases.add_note(case().id, note)
    assert stored.notes == (note,)
    assert (await cases.get(case().id)) == stored


async def test_reading_marks_only_the_persons_unread_messages(cases: CaseStore) -> None:
    await cases.open_case(case())
    await cases.add_message(case().id, message("r1", 1, Direction.CASEWORKER))
    await cases.add_message(case().id, message("m2", 2))
    assert await cases.mark_read(case().id, at(minutes=5)) == ("m1", "m2")
    assert await cases.mark_read(case().id, at(minutes=6)) == ()
    stored = await cases.get(case().id)
    assert stored is not None
    assert {m.id: m.read_at for m in stored.messages} == {
        "m1": at(minutes=5), "r1": None, "m2": at(minutes=5)
    }  # fmt: skip
    assert stored.unread == 0
    await cases.add_message(case().id, message("m3", 7))
    assert (await cases.get(case().id)).unread == 1  # type: ignore[union-attr]


async def test_a_reply_is_marked_delivered_once(cases: CaseStore) -> None:
    await cases.open_case(case())
    await cases.add_message(case().id, message("r1", 1, Direction.CASEWORKER))
    assert await cases.mark_delivered(case().id, "r1", at(minutes=2)) is True
    assert await cases.mark_delivered(case().id, "r1", at(minutes=3)) is False
    assert await cases.mark_delivered(case().id, "m1", at(minutes=3)) is False
    assert await cases.mark_delivered(case().id, "nope", at(minutes=3)) is False
    stored = await cases.get(case().id)
    assert stored is not None and stored.messages[1].delivered_at == at(minutes=2)


async def test_forgetting_leaves_only_a_withdrew_marker(
    cases: CaseStore, case_adapter: CaseAdapter
) -> None:
    body = b"\x01BODY-TO-ERASE-" + bytes(range(16))
    await cases.open_case(
        case(
            "C-A",
            contact=b"\x01CONTACT-TO-ERASE",
            reply_to=b"\x01REPLY-ERASE",
            danger="violence",
            urgent=True,
            messages=(message("m1", body=body),),
        )
    )
    await cases.add_note("C-A", CaseNote("n1", at(minutes=1), "cw", b"\x01NOTE-TO-ERASE"))
    await cases.open_case(case("C-B"))
    await cases.set_state("C-B", CaseState.CLOSED, at(minutes=2), by=ClosedBy.WORKER)
    await cases.open_case(case("C-BOB", pseudonym=BOB))
    assert await cases.erase_person(ALICE, at(hours=1)) == 2
    marker = await cases.get("C-A")
    assert marker is not None
    assert (marker.pseudonym, marker.withdrawn, marker.state, marker.closed_by) == (
        "", True, CaseState.CLOSED, ClosedBy.WITHDRAWN
    )  # fmt: skip
    assert (marker.messages, marker.notes, marker.contact, marker.reply_to, marker.danger) == (
        (), (), None, None, None
    )  # fmt: skip
    assert marker.closed_at == at(hours=1)
    earlier = await cases.get("C-B")
    assert earlier is not None and earlier.withdrawn and earlier.closed_at == at(minutes=2)
    assert await cases.cases_of(ALICE, open_only=False) == []
    assert [c.id for c in await cases.cases_of(BOB)] == ["C-BOB"]
    listed = await cases.list_for_partner("migrant-rights")
    assert {c.id: c.withdrawn for c in listed} == {"C-A": True, "C-B": True, "C-BOB": False}
    with pytest.raises(CaseClosed):
        await cases.add_message("C-A", message("m9"))
    with pytest.raises(CaseClosed):
        await cases.add_note("C-A", CaseNote("n2", T0, "cw", b"x"))
    assert await cases.erase_person(ALICE, at(hours=2)) == 0
    if case_adapter.name == "sqlite":
        await cases.close()  # folds the WAL back, as a backup would see the file
    dump = case_adapter.persisted_bytes(cases)
    for erased in (body, b"CONTACT-TO-ERASE", b"REPLY-ERASE", b"NOTE-TO-ERASE", ALICE.encode()):
        assert erased not in dump


async def test_closed_cases_are_erased_after_the_cutoff_and_only_they(cases: CaseStore) -> None:
    for name, closed_minutes in (("C-OLD", 0), ("C-EDGE", 10), ("C-RECENT", 11)):
        await cases.open_case(case(name))
        await cases.set_state(name, CaseState.CLOSED, at(minutes=closed_minutes))
    await cases.open_case(case("C-OPEN", created_at=at(days=-400)))
    assert await cases.erase_closed_before(at(minutes=10)) == 2
    assert await cases.erase_closed_before(at(minutes=10)) == 0
    assert await cases.get("C-OLD") is None and await cases.get("C-EDGE") is None
    assert await cases.get("C-RECENT") is not None and await cases.get("C-OPEN") is not None


async def test_the_store_holds_no_plaintext_message_contact_or_chat_id(
    cases: CaseStore, case_adapter: CaseAdapter
) -> None:
    sealer = Sealer.from_setting(generate_entry("k1"))
    case_id, text = "C-PRIV", "Boss took my passport, I am in Al Khor camp"
    phone, chat_id = "+254712345678", "5550001112"
    opened = case(
        case_id,
        contact=sealer.seal(phone.encode(), context=contact_context(case_id)),
        reply_to=sealer.seal(
            ReplyAddress("telegram", chat_id).to_bytes(), context=reply_context(case_id)
        ),
        messages=(
            CaseMessage("m1", T0, Direction.WORKER, MessageKind.TEXT,
                        sealer.seal(text.encode(), context=message_context(case_id, "m1"))),
        ),
    )  # fmt: skip
    await cases.open_case(opened)
    stored = await cases.get(case_id)
    assert stored is not None
    assert sealer.open(stored.messages[0].body, context=message_context(case_id, "m1")) == (
        text.encode()
    )
    assert ReplyAddress.from_bytes(
        sealer.open(stored.reply_to or b"", context=reply_context(case_id))
    ) == ReplyAddress("telegram", chat_id)
    if case_adapter.name == "sqlite":
        await cases.close()
    dump = case_adapter.persisted_bytes(cases)
    for secret in (text, "passport", phone, "712345678", chat_id):
        assert secret.encode() not in dump
