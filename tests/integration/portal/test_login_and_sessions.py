"""Logging in and out, session cookies, timeouts, revocation, CSRF, headers, throttling."""

from __future__ import annotations

from http.cookies import SimpleCookie

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.api import mount_api
from bot.web.portal import mount_portal
from recruiter_reports.audit import AuditAction
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import Portal, build_context, csrf_of


def _set_cookie(response, name: str) -> str:  # type: ignore[no-untyped-def]
    for header in response.headers.getall("Set-Cookie", []):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie set")


async def test_login_makes_a_strict_httponly_session_and_logout_ends_it(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    response = await portal.login(key)
    assert response.status == 303 and response.headers["Location"] == "/portal/"
    cookie = _set_cookie(response, "portal_session")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/portal" in cookie
    assert "Secure" not in cookie  # plain HTTP on the test server
    page = await portal.client.get("/portal/agencies")
    text = await page.text()
    assert page.status == 200 and "Ann" in text
    assert "Demonstration data" not in text  # no synthetic reports in this store
    await portal.logout()
    after = await portal.client.get("/portal/agencies", allow_redirects=False)
    assert after.status == 303 and after.headers["Location"] == "/portal/login"


async def test_a_new_session_id_at_every_login(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    jar = portal.client.session.cookie_jar
    jar.update_cookies({"portal_session": "planted-by-someone-else"})
    first = SimpleCookie(_set_cookie(await portal.login(key), "portal_session"))
    old = first["portal_session"].value
    assert old != "planted-by-someone-else"
    # Logging in again from the same browser replaces the session and ends the old one.
    jar.clear()
    page = await portal.client.get("/portal/login")
    jar.update_cookies({"portal_session": old})
    second = await portal.client.post(
        "/portal/login", data={"csrf_token": csrf_of(await page.text()), "access_key": key},
        allow_redirects=False,
    )  # fmt: skip
    new = SimpleCookie(_set_cookie(second, "portal_session"))["portal_session"].value
    assert new != old
    jar.clear()
    jar.update_cookies({"portal_session": old})
    stale = await portal.client.get("/portal/agencies", allow_redirects=False)
    assert stale.status == 303


async def test_idle_and_absolute_timeouts(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    await portal.login(key)
    portal.clock.advance(minutes=29)
    assert (await portal.client.get("/portal/agencies", allow_redirects=False)).status == 200
    portal.clock.advance(minutes=31)
    assert (await portal.client.get("/portal/agencies", allow_redirects=False)).status == 303
    await portal.login(key)
    for _ in range(17):  # active every 29 minutes, past the 8-hour absolute limit
        portal.clock.advance(minutes=29)
        last = await portal.client.get("/portal/agencies", allow_redirects=False)
    assert last.status == 303


async def test_revoking_ends_sessions_and_keys_at_once(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    await portal.login(key)
    assert (await portal.client.get("/api/v1/recruiters", headers=portal.api("Ann"))).status == 200
    await portal.ctx.stakeholders.revoke(portal.ids["Ann"], portal.clock())
    assert (await portal.client.get("/portal/agencies", allow_redirects=False)).status == 303
    assert (await portal.client.get("/api/v1/recruiters", headers=portal.api("Ann"))).status == 401
    assert (await portal.login(key)).status == 401


async def test_wrong_key_is_refused_audited_and_throttled(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for _ in range(5):
        response = await portal.login(wrong)
        assert response.status == 401
        assert "not valid" in await response.text()
    blocked = await portal.login(key)  # even the right key waits now
    assert blocked.status == 429
    entries = await portal.ctx.stakeholders.audit_entries()
    failed = [e for e in entries if e.action is AuditAction.LOGIN_FAILED]
    assert len(failed) == 6 and failed[-1].account_id == portal.ids["Ann"]
    portal.clock.advance(minutes=16)
    assert (await portal.login(key)).status == 303


async def test_forms_without_the_csrf_token_are_refused(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    no_token = await portal.client.post("/portal/login", data={"access_key": key},
                                        allow_redirects=False)  # fmt: skip
    assert no_token.status == 403
    await portal.login(key)
    logout = await portal.client.post("/portal/logout", data={"csrf_token": "forged"},
                                      allow_redirects=False)  # fmt: skip
    assert logout.status == 403
    assert (await portal.client.get("/portal/agencies", allow_redirects=False)).status == 200


async def test_every_page_has_the_security_headers(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    await portal.login(key)
    for path in ("/portal/login", "/portal/agencies", "/portal/overview",
                 "/portal/agencies/KE-EX-KE-0001", "/portal/admin/audit"):  # fmt: skip
        response = await portal.client.get(path, allow_redirects=False)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src" not in csp
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "<script" not in await response.text()
    css = await portal.client.get("/portal/static/portal.css")
    assert css.status == 200 and "@media print" in await css.text()


async def test_the_key_is_never_in_a_url_or_the_audit_log(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    page = await portal.client.get("/portal/login")
    assert 'method="post"' in await page.text()
    await portal.login(key)
    await portal.client.get("/portal/agencies?origin=KE")
    entries = await portal.ctx.stakeholders.audit_entries()
    assert [e.action for e in entries][:2] == [AuditAction.PAGE_VIEW, AuditAction.LOGIN]
    assert all(key not in e.target for e in entries)
    assert entries[0].target == "/portal/agencies?origin=KE"


async def test_failed_logins_on_one_worker_count_on_every_worker(portal: Portal) -> None:
    """Two apps over one store, as two workers behind a load balancer."""
    other = web.Application()
    other_ctx = build_context(portal.store, portal.clock)
    mount_portal(other, other_ctx)
    mount_api(other, other_ctx)
    second = TestClient(TestServer(other))
    await second.start_server()
    try:
        key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
        forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
        wrong = {"Authorization": f"Bearer {forged}"}
        for n in range(5):
            client = portal.client if n % 2 else second
            assert (await client.get("/api/v1/recruiters", headers=wrong)).status == 401
        # Five failures spread over two workers: the next try waits, on either.
        for client in (portal.client, second):
            response = await client.get("/api/v1/recruiters", headers=portal.api("Ann"))
            assert response.status == 429
        portal.clock.advance(minutes=16)
        assert (await second.get("/api/v1/recruiters", headers=portal.api("Ann"))).status == 200
    finally:
        await second.close()
