"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

The response schemas are generated from the pydantic models in ``schemas``
(which follow the questionnaire in use), so the description cannot drift from
what the API sends: the tests validate real responses against it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from bot.web.api.case_schemas import CASE_MODELS, case_paths
from bot.web.api.schemas import Error, models

__all__ = ["DOCUMENT", "document", "openapi"]

_COUNTRY = {"type": "string", "pattern": "^[A-Za-z]{2}$"}
_PERCENT = {"type": "integer", "minimum": 0, "maximum": 100}
_TEXT = {"type": "string"}


def _time() -> list[dict[str, Any]]:
    """``since``, ``until`` and ``quarter``: whole quarters only (400 otherwise)."""
    return [
        _query("quarter", "One quarter, e.g. 2026Q3 (not with since or until)", _TEXT),
        _query("since", "From this quarter on: 2026Q3, or its first day 2026-07-01", _TEXT),
        _query("until", "Up to this quarter: 2026Q3, or its last day 2026-09-30", _TEXT),
    ]
_REF = "#/components/schemas/{model}"


def _query(name: str, description: str, schema: dict[str, Any] = _COUNTRY) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": _REF.format(model=name)}


def _errors() -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": _ref("Error")}}}
    return {
        "400": {"description": "Bad parameter", **error},
        "401": {"description": "No valid access key", **error},
        "403": {"description": "Outside the account's role or country scope", **error},
        "429": {"description": "Too many failed attempts", **error},
    }


def _ok(name: str) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": _ref(name)}}}


def document() -> dict[str, Any]:
    """The description of the API for the questionnaire in use."""
    api = models()
    listed: tuple[type[BaseModel], ...] = (
        api.recruiter_list, api.recruiter_detail, api.overview, Error, *CASE_MODELS,
    )
    _, schemas = models_json_schema(
        [(model, "serialization") for model in listed], ref_template=_REF,
    )  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Recruiter practices API",
            "version": "1.0.0",
            "description": (
                "Aggregated, anonymous reports by migrant workers about recruitment agencies. "
                "A figure is published only when at least min_reporters different workers "
                "stand behind it; otherwise it is null and 'withheld' says why. Figures are "
                "sums of published cells (an agency's reports by destination and quarter): a "
                "cell is published once min_reporters workers are in it and refreshed only "
                "after min_reporters more have joined it, so every total, period, trend point "
                "and export counts only the reporters of cells published so far."
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
                    _query("q", "Name, alias or licence number; also finds unlisted agencies "
                           "by their moderated name", {"type": "string"}),
                    _query("status", "Licence status", _TEXT),
                    _query("sort", "name, reporters, an indicator, or above_limit (share who "
                           "paid above the legal limit), highest first", _TEXT),
                    _query("min_above_limit", "Keep agencies where at least this percent paid "
                           "above the legal limit", _PERCENT),
                    _query("min_passport_kept", "Keep agencies where at least this percent had "
                           "their passport kept", _PERCENT),
                    *_time(),
                ],
                "responses": {"200": _ok("RecruiterList"), **_errors()},
            }},
            "/recruiters/{id}": {"get": {
                "summary": "One agency: total, and breakdowns by destination and year where "
                           "allowed",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string"}}, *_time()],
                "responses": {"200": _ok("RecruiterDetail"),
                              "404": {"description": "No such agency",
                                      "content": {"application/json": {
                                          "schema": _ref("Error")}}},
                              **_errors()},
            }},
            "/overview": {"get": {
                "summary": "A corridor's landscape across agencies with enough reports",
                "parameters": [_query("origin", "Origin country"),
                               _query("destination", "Destination country"), *_time()],
                "responses": {"200": _ok("Overview"), **_errors()},
            }},
            **case_paths(_ref),
        },
        "components": {
            "securitySchemes": {"accessKey": {
                "type": "http", "scheme": "bearer",
                "description": "The access key issued to the account"}},
            "schemas": schemas["$defs"],
        },
    }  # fmt: skip


DOCUMENT: dict[str, Any] = document()
"""The description for the default questionnaire."""


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document())
