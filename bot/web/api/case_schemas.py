"""The case endpoints' requests and responses as pydantic models (in the OpenAPI schema).

A caseworker reads what a person wrote only through these: the text of a
message, or for a voice message the address of its audio, which the portal
serves only to that organisation's caseworkers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.web.cases.desk import REPLY_MAX, MessageView, NoteView
from casework import Case, CaseState, ClosedBy, Direction, MessageKind

__all__ = [
    "CASE_MODELS", "CaseDetail", "CaseList", "CaseSummary", "ReplyAccepted", "ReplyIn", "StateIn",
    "case_detail", "case_paths", "case_summary",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseSummary(_Strict):
    id: str = Field(description="The case number, e.g. C-7KQ2M-9XD4P")
    state: CaseState
    urgent: bool = Field(description="Opened from a danger category: answer first")
    danger: str | None
    locale: str = Field(description="The person's language")
    country: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    unread: int = Field(description="The person's messages no caseworker has read")
    withdrawn: bool = Field(description="The person used /forget: nothing they said is kept")
    closed_by: ClosedBy | None


class CaseList(_Strict):
    partner: str
    cases: list[CaseSummary] = Field(description="Urgent first, then oldest first")


class CaseMessageOut(_Strict):
    id: str
    at: dt.datetime
    sender: Direction = Field(description="worker: the person; caseworker: your organisation")
    kind: MessageKind
    text: str | None = Field(description="The text; null for a voice message")
    audio_url: str | None = Field(description="Portal address of a voice message's audio")
    read_at: dt.datetime | None
    delivered_at: dt.datetime | None = Field(description="When a reply reached the chat")
    delivery: str | None = Field(description="Why a reply has not reached the chat yet")


class CaseNoteOut(_Strict):
    id: str
    at: dt.datetime
    author: str
    text: str


class CaseDetail(CaseSummary):
    messages: list[CaseMessageOut]
    notes: list[CaseNoteOut]


class ReplyIn(_Strict):
    text: str = Field(min_length=1, max_length=REPLY_MAX,
                      description="Sent to the person's chat with your organisation's name")


class StateIn(_Strict):
    state: CaseState = Field(description="Forward only: new -> in_progress -> closed")


class ReplyAccepted(_Strict):
    id: str = Field(description="The reply's message id in the case")
    case: str
    queued: bool = Field(description="Saved and queued for delivery to the person's chat")


def case_summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id, state=case.state, urgent=case.urgent, danger=case.danger,
        locale=case.locale, country=case.country, created_at=case.created_at,
        updated_at=case.last_change, unread=case.unread, withdrawn=case.withdrawn,
        closed_by=case.closed_by,
    )


def case_detail(case: Case, messages: list[MessageView], notes: list[NoteView]) -> CaseDetail:
    return CaseDetail(
        **case_summary(case).model_dump(),
        messages=[CaseMessageOut(
            id=m.id, at=m.at, sender=m.direction, kind=m.kind, text=m.text,
            audio_url=(f"/portal/cases/{case.id}/audio/{m.id}"
                       if m.kind is MessageKind.VOICE else None),
            read_at=m.read_at, delivered_at=m.delivered_at, delivery=m.delivery,
        ) for m in messages],
        notes=[CaseNoteOut(id=n.id, at=n.at, author=n.author, text=n.text) for n in notes],
    )


CASE_MODELS: tuple[type[BaseModel], ...] = (
    CaseList, CaseDetail, CaseSummary, ReplyIn, ReplyAccepted, StateIn,
)
"""Put in the OpenAPI document's components by ``openapi.document``."""


def case_paths(ref: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The OpenAPI paths of the case endpoints (``ref("Model")`` points at a component)."""

    def answer(description: str, model: str = "Error") -> dict[str, Any]:
        return {"description": description,
                "content": {"application/json": {"schema": ref(model)}}}

    common = {
        "401": answer("No valid access key"),
        "403": answer("Not a caseworker account"),
        "429": answer("Too many failed attempts"),
        "503": answer("Cases are off (no CONTACT_KEY) or the case store is not answering"),
    }
    case_id = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    return {
        "/cases": {"get": {
            "summary": "Your organisation's cases, urgent first, then oldest first",
            "responses": {"200": answer("OK", "CaseList"), **common},
        }},
        "/cases/{id}": {"get": {
            "summary": "One case with its messages and notes; reading it marks the person's "
                       "messages read and tells them so",
            "parameters": case_id,
            "responses": {"200": answer("OK", "CaseDetail"),
                          "404": answer("No such case in your organisation"), **common},
        }},
        "/cases/{id}/reply": {"post": {
            "summary": "Reply to the person: saved, then delivered to their chat in order",
            "parameters": case_id,
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": ref("ReplyIn")}}},
            "responses": {"202": answer("Saved and queued", "ReplyAccepted"),
                          "400": answer("Empty, too long, or not a reply"),
                          "404": answer("No such case in your organisation"),
                          "409": answer("The case is closed, or the person withdrew (erased)"),
                          **common},
        }},
        "/cases/{id}/state": {"post": {
            "summary": "Move the case forward; closing it tells the person",
            "parameters": case_id,
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": ref("StateIn")}}},
            "responses": {"200": answer("The case as it is now", "CaseSummary"),
                          "400": answer("Not a state, or a step backwards"),
                          "404": answer("No such case in your organisation"), **common},
        }},
    }
