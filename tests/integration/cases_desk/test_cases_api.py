"""/api/v1/cases: what a caseworker sees and does, validated against the published schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jsonschema import Draft202012Validator

from casework import CaseState, Direction
from casework.outbox import EntryKind
from recruiter_reports.audit import AuditAction
from recruiter_reports.stores.stakeholder_port import stakeholder_store_for
from tests.integration.cases_desk.conftest import PARTNER_B, Desk

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


async def _schema(desk: Desk) -> dict[str, Any]:
    response = await desk.client.get("/api/v1/openapi.json")
    document: dict[str, Any] = await response.json()
    return document


async def _valid(desk: Desk, method: str, path: str, template: str, who: str,
                 json: Any = None) -> tuple[int, Any]:
    document = await _schema(desk)
    response = await desk.client.request(method, path, headers=desk.bearer(who), json=json)
    body = await response.json()
    declared = document["paths"][template][method.lower()]["responses"][str(response.status)]
    schema = declared["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == [], (path, response.status, errors)
    return response.status, body


async def test_a_caseworker_lists_their_cases_urgent_first_then_oldest(desk: Desk) -> None:
    old = await desk.case(at=T0, text="old one")
    urgent = await desk.case(at=T0 + dt.timedelta(hours=2), urgent=True, text="urgent")
    newer = await desk.case(at=T0 + dt.timedelta(hours=1), text="newer")
    await desk.case(PARTNER_B, at=T0, text="not yours")

    status, body = await _valid(desk, "GET", "/api/v1/cases", "/cases", "a")

    assert status == 200
    assert [c["id"] for c in body["cases"]] == [urgent.id, old.id, newer.id]
    assert body["cases"][0]["urgent"] is True and body["cases"][1]["unread"] == 1


async def test_reading_a_case_shows_the_message_marks_it_read_and_tells_the_person(
    desk: Desk,
) -> None:
    case = await desk.case(text="They keep my passport at the office.")

    status, body = await _valid(desk, "GET", f"/api/v1/cases/{case.id}", "/cases/{id}", "a")

    assert status == 200
    [message] = body["messages"]
    assert message["text"] == "They keep my passport at the office."
    assert message["sender"] == "worker" and message["read_at"] is not None
    assert desk.services.outbox is not None
    [queued] = await desk.services.outbox.of_case(case.id)
    assert queued.kind is EntryKind.READ


async def test_a_reply_is_saved_sealed_queued_and_moves_the_case_on(desk: Desk) -> None:
    case = await desk.case()

    status, body = await _valid(desk, "POST", f"/api/v1/cases/{case.id}/reply",
                                "/cases/{id}/reply", "a", {"text": "We will call you today."})

    assert status == 202 and body["queued"] is True
    assert desk.services.cases is not None and desk.services.outbox is not None
    stored = await desk.services.cases.get(case.id)
    assert stored is not None and stored.state is CaseState.IN_PROGRESS
    reply = stored.messages[-1]
    assert reply.direction is Direction.CASEWORKER and b"call you" not in reply.body
    assert [e.ref for e in await desk.services.outbox.of_case(case.id)] == [body["id"]]
    _, detail = await _valid(desk, "GET", f"/api/v1/cases/{case.id}", "/cases/{id}", "a")
    assert detail["messages"][-1]["text"] == "We will call you today."
    assert detail["messages"][-1]["delivered_at"] is None
    assert detail["messages"][-1]["delivery"] in {
        "queued", "channel 'telegram' is not running"}, "this server runs no Telegram"


async def test_another_partner_s_caseworker_gets_404_and_others_403(desk: Desk) -> None:
    case = await desk.case()

    assert (await _valid(desk, "GET", f"/api/v1/cases/{case.id}", "/cases/{id}", "b"))[0] == 404
    assert (await _valid(desk, "POST", f"/api/v1/cases/{case.id}/reply", "/cases/{id}/reply",
                         "b", {"text": "hello"}))[0] == 404
    status, body = await _valid(desk, "GET", "/api/v1/cases", "/cases", "official")
    assert status == 403 and "cases" in body["error"]
    _, listing = await _valid(desk, "GET", "/api/v1/cases", "/cases", "b")
    assert listing["cases"] == []


async def test_bad_replies_are_refused_clearly(desk: Desk) -> None:
    case = await desk.case()
    path, template = f"/api/v1/cases/{case.id}/reply", "/cases/{id}/reply"

    too_long = await _valid(desk, "POST", path, template, "a", {"text": "x" * 2001})
    empty = await _valid(desk, "POST", path, template, "a", {"text": ""})
    wrong = await _valid(desk, "POST", path, template, "a", {"message": "hi"})

    assert too_long[0] == 400 and "2000" in too_long[1]["error"]
    assert empty[0] == 400 and wrong[0] == 400
    assert desk.services.outbox is not None
    assert await desk.services.outbox.of_case(case.id) == []


async def test_a_reply_to_a_closed_case_is_409(desk: Desk) -> None:
    case = await desk.case()
    assert desk.services.cases is not None
    await desk.services.cases.set_state(case.id, CaseState.CLOSED, T0)

    status, body = await _valid(desk, "POST", f"/api/v1/cases/{case.id}/reply",
                                "/cases/{id}/reply", "a", {"text": "hello"})

    assert status == 409 and "closed" in body["error"]


async def test_a_reply_to_a_case_erased_by_forget_is_409_and_one_gone_for_good_404(
    desk: Desk,
) -> None:
    case = await desk.case(pseudonym="p-forgot")
    gone = await desk.case(pseudonym="p-kept")
    cases = desk.services.cases
    assert cases is not None
    await cases.set_state(gone.id, CaseState.CLOSED, T0)
    await cases.erase_closed_before(T0 + dt.timedelta(days=365))  # the retention sweep
    await cases.erase_person(case.pseudonym, T0)  # /forget: a "withdrew" marker stays

    status, body = await _valid(desk, "POST", f"/api/v1/cases/{case.id}/reply",
                                "/cases/{id}/reply", "a", {"text": "hello"})
    assert status == 409 and "withdrew" in body["error"] and "erased" in body["error"]
    status, body = await _valid(desk, "POST", f"/api/v1/cases/{gone.id}/reply",
                                "/cases/{id}/reply", "a", {"text": "hello"})
    assert status == 404 and body["error"] == "no such case"
    assert desk.services.outbox is not None
    assert await desk.services.outbox.of_case(case.id) == []


async def test_views_and_replies_are_audited_without_what_was_written(desk: Desk) -> None:
    case = await desk.case(text="secret words")
    await desk.client.get(f"/api/v1/cases/{case.id}", headers=desk.bearer("a"))
    await desk.client.post(f"/api/v1/cases/{case.id}/reply", headers=desk.bearer("a"),
                           json={"text": "private answer"})

    entries = await stakeholder_store_for(desk.services.store).audit_entries()

    actions = {entry.action for entry in entries}
    assert {AuditAction.CASE_VIEW, AuditAction.CASE_REPLY} <= actions
    assert any(case.id in entry.target for entry in entries if entry.action is
               AuditAction.CASE_REPLY)
    assert not any("secret" in e.target or "private" in e.target for e in entries)
