"""Every API response is valid against the OpenAPI schema it publishes.

The schema is generated from the pydantic models; these tests fetch it from
the server and validate real responses (lists, details with breakdowns, the
overview, errors) with a JSON Schema validator, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import Portal

AGENCY = "KE-EX-KE-0002"


async def _document(portal: Portal) -> dict[str, Any]:
    response = await portal.client.get("/api/v1/openapi.json")
    assert response.status == 200
    document: dict[str, Any] = await response.json()
    Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})
    return document


async def _valid(portal: Portal, document: dict[str, Any], path: str, template: str,
                 headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = await portal.client.get(path, headers=headers)
    body: dict[str, Any] = await response.json()
    declared = document["paths"][template]["get"]["responses"][str(response.status)]
    schema = declared["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == [], (path, response.status, errors)
    return body


async def test_every_answer_of_the_api_matches_its_schema(portal: Portal) -> None:
    await portal.report(AGENCY, 8, destination="QA")
    await portal.report(AGENCY, 2, destination="SA", start=100)
    await portal.add("ministry", Role.OFFICIAL, ["KE"])
    document = await _document(portal)
    headers = portal.api("ministry")

    listing = await _valid(portal, document, "/api/v1/recruiters?origin=KE", "/recruiters",
                           headers)  # fmt: skip
    assert any(row["shown"] for row in listing["recruiters"])
    assert any(not row["shown"] for row in listing["recruiters"])
    detail = await _valid(portal, document, f"/api/v1/recruiters/{AGENCY}", "/recruiters/{id}",
                          headers)  # fmt: skip
    assert detail["total"]["shown"] and detail["by_destination"]
    await _valid(portal, document, "/api/v1/overview?origin=KE&destination=QA", "/overview",
                 headers)  # fmt: skip


async def test_errors_match_the_error_schema(portal: Portal) -> None:
    await portal.add("ministry", Role.OFFICIAL, ["KE"])
    document = await _document(portal)
    body = await _valid(portal, document, "/api/v1/recruiters?origin=KE", "/recruiters")
    assert body["status"] == 401
    missing = await _valid(portal, document, "/api/v1/recruiters/KE-NOPE-0", "/recruiters/{id}",
                           portal.api("ministry"))  # fmt: skip
    assert missing["status"] == 404
    bad = await _valid(portal, document, "/api/v1/recruiters?origin=KENYA", "/recruiters",
                       portal.api("ministry"))  # fmt: skip
    assert bad["status"] == 400
