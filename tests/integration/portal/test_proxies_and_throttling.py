"""Behind a proxy and under attack: whose headers count, who gets throttled, what is audited."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientResponse
from argon2 import PasswordHasher

from bot.web.portal import PortalConfig
from bot.web.proxies import TrustedProxies
from recruiter_reports.audit import AuditAction
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import FAST_HASHER, Portal, csrf_of, open_portal

LOCAL_PROXY = TrustedProxies((ipaddress.ip_network("127.0.0.1/32"),))
HSTS = "Strict-Transport-Security"


@pytest.fixture
async def proxied() -> AsyncIterator[Portal]:
    """The portal behind a reverse proxy on this machine, listed in TRUSTED_PROXIES."""
    async with open_portal(PortalConfig(proxies=LOCAL_PROXY)) as opened:
        yield opened


async def login(portal: Portal, key: str, **headers: str) -> ClientResponse:
    page = await portal.client.get("/portal/login", headers=headers)
    token = csrf_of(await page.text())
    return await portal.client.post(
        "/portal/login", data={"csrf_token": token, "access_key": key},
        headers=headers, allow_redirects=False,
    )  # fmt: skip


def forged(key: str) -> str:
    return key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")


def from_client(address: str, **extra: str) -> dict[str, Any]:
    return {"X-Forwarded-For": address, **extra}


async def test_https_through_a_trusted_proxy_gets_secure_cookies_and_hsts(
    proxied: Portal,
) -> None:
    key = await proxied.add("Ann", Role.OFFICIAL, ["KE"])
    page = await proxied.client.get("/portal/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in page.headers["Set-Cookie"]
    assert page.headers[HSTS].startswith("max-age=")
    token = csrf_of(await page.text())
    response = await proxied.client.post(  # a Secure cookie is not sent over the test's HTTP
        "/portal/login", data={"csrf_token": token, "access_key": key},
        headers={"X-Forwarded-Proto": "https", "Cookie": f"portal_login_csrf={token}"},
        allow_redirects=False,
    )  # fmt: skip
    assert response.status == 303
    assert "Secure" in response.headers["Set-Cookie"]
    assert HSTS in response.headers
    api = await proxied.client.get("/api/v1/recruiters", headers={
        "X-Forwarded-Proto": "https", "Authorization": f"Bearer {key}"})  # fmt: skip
    assert api.status == 200 and HSTS in api.headers
    plain = await proxied.client.get("/portal/login")
    assert HSTS not in plain.headers and "Secure" not in plain.headers["Set-Cookie"]


async def test_forwarding_headers_from_anyone_else_are_not_believed(portal: Portal) -> None:
    page = await portal.client.get("/portal/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in page.headers["Set-Cookie"]
    assert HSTS not in page.headers
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    # A guesser cannot dodge the limit by naming a new address in every request.
    for n in range(5):
        headers = from_client(f"203.0.113.{n}")
        assert (await login(portal, forged(key), **headers)).status == 401
    assert (await login(portal, forged(key), **from_client("198.51.100.1"))).status == 429


async def test_requests_without_a_well_formed_key_lock_nobody_out(portal: Portal) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    for junk in ("", "password", "rr_nothex_x", "Bearer x", "rr_" + "0" * 12):
        assert (await login(portal, junk)).status == 401
        api = await portal.client.get("/api/v1/recruiters", headers={"Authorization": junk})
        assert api.status == 401
    assert (await login(portal, key)).status == 303
    assert (await portal.client.get("/api/v1/recruiters", headers=portal.api("Ann"))).status == 200


async def test_behind_a_trusted_proxy_one_guesser_does_not_lock_out_the_others(
    proxied: Portal,
) -> None:
    key = await proxied.add("Ann", Role.OFFICIAL, ["KE"])
    guesser = from_client("203.0.113.50")
    for _ in range(5):
        assert (await login(proxied, forged(key), **guesser)).status == 401
    assert (await login(proxied, key, **guesser)).status == 429
    # Ann, behind the same proxy, from her office: her key works.
    assert (await login(proxied, key, **from_client("198.51.100.7"))).status == 303


async def test_a_key_id_guessed_from_many_addresses_is_throttled_as_a_whole(
    proxied: Portal,
) -> None:
    key = await proxied.add("Ann", Role.OFFICIAL, ["KE"])
    wrong = {"Authorization": f"Bearer {forged(key)}"}
    limit = proxied.ctx.config.login_failures_per_key
    for n in range(limit):
        headers = wrong | from_client(f"203.0.113.{n}")
        response = await proxied.client.get("/api/v1/recruiters", headers=headers)
        assert response.status == 401
    fresh = from_client("192.0.2.99") | {"Authorization": f"Bearer {forged(key)}"}
    assert (await proxied.client.get("/api/v1/recruiters", headers=fresh)).status == 429


async def test_a_throttled_window_writes_one_audit_row_not_one_per_request(
    portal: Portal,
) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    for _ in range(5):
        await login(portal, forged(key))
    for _ in range(40):
        assert (await login(portal, forged(key))).status == 429
        api = await portal.client.get("/api/v1/recruiters",
                                      headers={"Authorization": f"Bearer {forged(key)}"})
        assert api.status == 429
    for _ in range(40):
        await portal.client.get("/api/v1/recruiters", headers={"Authorization": "Bearer junk"})
    entries = await portal.ctx.stakeholders.audit_entries(limit=1000)
    failed = [e for e in entries if e.action is AuditAction.LOGIN_FAILED]
    throttled = [e for e in failed if "throttled" in e.target]
    malformed = [e for e in failed if "not an access key" in e.target]
    assert len(throttled) == 1  # the portal and the API are one source: one row for 80 refusals
    assert len(malformed) == 1
    assert len(failed) == 5 + 1 + 1
    portal.clock.advance(minutes=16)
    await login(portal, forged(key))
    for _ in range(5):
        await login(portal, forged(key))
    entries = await portal.ctx.stakeholders.audit_entries(limit=1000)
    assert len([e for e in entries if "throttled" in e.target]) == 2  # a new window, a new row


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        return super().verify(hash, password)


async def test_an_unknown_key_id_costs_the_same_argon2_check_as_a_wrong_secret(
    portal: Portal,
) -> None:
    key = await portal.add("Ann", Role.OFFICIAL, ["KE"])
    hasher = CountingHasher()
    portal.ctx.hasher = hasher
    unknown = "rr_0123456789ab_" + key.split("_", 2)[2]
    assert (await login(portal, unknown)).status == 401
    assert hasher.verified == 1
    assert (await login(portal, forged(key))).status == 401
    assert hasher.verified == 2
    await portal.ctx.stakeholders.revoke(portal.ids["Ann"], portal.clock())
    assert (await login(portal, key)).status == 401
    assert hasher.verified == 3
    assert FAST_HASHER is not hasher
