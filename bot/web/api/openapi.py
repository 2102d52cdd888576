"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

The indicators and what each means come from ``recruiter_reports.questionnaire``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from recruiter_reports import questionnaire
from recruiter_reports.disclosure import Withheld

__all__ = ["DOCUMENT", "document", "openapi"]

_NULLABLE_NUMBER = {"type": ["number", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"]}
_REASON = {"type": ["string", "null"], "enum": [*(r.value for r in Withheld), None],
           "description": "Why the value is null: too few reporters, too few answers, or "
                          "complementary suppression (it would reveal a smaller group)."}
_FIGURE = {"type": "object", "properties": {"share": _NULLABLE_NUMBER,
                                            "answered": _NULLABLE_INT, "withheld": _REASON}}
def _disclosed() -> dict[str, Any]:
    table = questionnaire.current()
    indicators = {name: {**_FIGURE, "description": table.by_field(name).api}
                  for name in table.indicators}  # fmt: skip
    return {**_DISCLOSED, "properties": {**_DISCLOSED["properties"], "indicators": {
        "type": "object", "properties": indicators}}}


_DISCLOSED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "shown": {"type": "boolean"},
        "withheld": _REASON,
        "reporters": _NULLABLE_INT,
        "recommend": {"type": ["object", "null"], "properties": {
            "average": _NULLABLE_NUMBER, "answered": _NULLABLE_INT, "withheld": _REASON}},
        "typical_fee_band": {"type": ["object", "null"], "properties": {
            "band": {"type": ["string", "null"]},
            "paid_share": {**_NULLABLE_NUMBER,
                           "description": "share of those who answered who paid any fee"},
            "answered": _NULLABLE_INT, "withheld": _REASON}},
    },
}  # fmt: skip
_AGENCY = {
    "type": "object",
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "origin": {"type": "string"},
        "licence_no": {"type": "string"},
        "licence_status": {"type": "string",
                           "enum": ["valid", "revoked", "expired", "invalid", "deregistered",
                                    "not_listed"]},
        "example": {"type": "boolean", "description": "fictional example agency"},
    },
}  # fmt: skip
_COUNTRY = {"type": "string", "pattern": "^[A-Za-z]{2}$"}


def _query(name: str, description: str, schema: dict[str, Any] = _COUNTRY) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip


def _errors() -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "400": {"description": "Bad parameter", **error},
        "401": {"description": "No valid access key", **error},
        "403": {"description": "Outside the account's role or country scope", **error},
        "429": {"description": "Too many failed attempts", **error},
    }


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def document() -> dict[str, Any]:
    """The description of the API for the questionnaire in use."""
    schemas = {**_DOCUMENT["components"]["schemas"], "Disclosed": _disclosed()}
    return {**_DOCUMENT, "components": {**_DOCUMENT["components"], "schemas": schemas}}


_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Recruiter practices API",
        "version": "1.0.0",
        "description": (
            "Aggregated, anonymous reports by migrant workers about recruitment agencies. "
            "A figure is published only when at least min_reporters different workers "
            "stand behind it; otherwise it is null and 'withheld' says why."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"accessKey": []}],
    "paths": {
        "/recruiters": {"get": {
            "summary": "Agencies in scope, with their disclosed indicators",
            "parameters": [
                _query("origin", "Origin country of the agencies"),
                _query("destination", "Count only reports about work in this country"),
                _query("q", "Name, alias or licence number", {"type": "string"}),
            ],
            "responses": {"200": _ok({"type": "object", "properties": {
                "min_reporters": {"type": "integer"},
                "recruiters": {"type": "array", "items": {"allOf": [
                    {"$ref": "#/components/schemas/Agency"},
                    {"$ref": "#/components/schemas/Disclosed"}]}}}}), **_errors()},
        }},
        "/recruiters/{id}": {"get": {
            "summary": "One agency: total, and breakdowns by destination and year where allowed",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _ok({"allOf": [
                {"$ref": "#/components/schemas/Agency"},
                {"type": "object", "properties": {
                    "total": {"oneOf": [{"$ref": "#/components/schemas/Disclosed"},
                                        {"type": "null"}]},
                    "by_destination": {"type": "object", "additionalProperties":
                                       {"$ref": "#/components/schemas/Disclosed"}},
                    "by_year": {"type": "object", "additionalProperties":
                                {"$ref": "#/components/schemas/Disclosed"}}}}]}),
                "404": {"description": "No such agency"}, **_errors()},
        }},
        "/overview": {"get": {
            "summary": "A corridor's landscape across agencies with enough reports",
            "parameters": [_query("origin", "Origin country"),
                           _query("destination", "Destination country")],
            "responses": {"200": _ok({"$ref": "#/components/schemas/Disclosed"}), **_errors()},
        }},
    },
    "components": {
        "securitySchemes": {"accessKey": {"type": "http", "scheme": "bearer",
                                          "description": "The access key issued to the account"}},
        "schemas": {
            "Disclosed": _DISCLOSED,
            "Agency": _AGENCY,
            "Error": {"type": "object", "properties": {"error": {"type": "string"},
                                                       "status": {"type": "integer"}}},
        },
    },
}  # fmt: skip


DOCUMENT: dict[str, Any] = document()
"""The description for the default questionnaire."""


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document())
