"""A store that stops answering while an official reads: every page and API call answers
503 with Retry-After and says to retry, never a 500; once it answers again, pages work."""

from __future__ import annotations

import pytest

from recruiter_reports.stakeholders import Role
from recruiter_reports.stores.port import StoreUnavailable
from tests.integration.portal.conftest import Portal

PAGES = ["/portal/agencies", "/portal/overview", "/portal/agencies/KE-EX-KE-0001",
         "/portal/export.csv", "/api/v1/recruiters", "/api/v1/overview",
         "/api/v1/recruiters/KE-EX-KE-0001"]  # fmt: skip


async def test_the_ratings_store_down_is_a_503_to_retry_on_every_page(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = await portal.add("Official", Role.OFFICIAL, ["KE"])
    assert (await portal.login(key)).status == 303

    async def down(*args: object, **kwargs: object) -> object:
        raise StoreUnavailable("disk gone")

    with monkeypatch.context() as patch:
        patch.setattr(portal.store, "summaries", down)
        patch.setattr(portal.store, "summary", down)
        for path in PAGES:
            headers = portal.api("Official") if path.startswith("/api/") else {}
            response = await portal.client.get(path, headers=headers, allow_redirects=False)
            assert response.status == 503, path
            assert response.headers["Retry-After"] == "30", path
            assert "retry in a minute" in await response.text(), path

    for path in PAGES:
        headers = portal.api("Official") if path.startswith("/api/") else {}
        response = await portal.client.get(path, headers=headers, allow_redirects=False)
        assert response.status == 200, path
