"""Checking an access key and recording what accounts do: shared by the portal and the API."""

from __future__ import annotations

import contextlib
import logging
import secrets
from enum import Enum

from aiohttp import web
from argon2.exceptions import InvalidHashError, VerificationError

from bot.web.portal.context import PORTAL, PortalContext
from bot.web.proxies import TrustedProxies
from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.stakeholders import Account, key_fingerprint, parse_key_id, verify_key

__all__ = ["Outcome", "attempt_login", "audit", "check_key", "client_address", "is_https"]

log = logging.getLogger(__name__)


async def check_key(ctx: PortalContext, key: str) -> tuple[Account | None, str | None]:
    """``(account, None)`` for a valid key of an active account, else ``(None, account id)``.

    The account id on failure is that of the account the key id named, when
    there is one, so the audit log can show attempts against a real account.
    A key verified in the last few minutes skips argon2; the account itself is
    read every time, so a revocation holds at once. An unknown key id or a
    revoked account costs one argon2 check too, against a stand-in hash: the
    answer takes as long whether or not the key id exists.
    """
    key_id = parse_key_id(key)
    if key_id is None:
        return None, None
    account = await ctx.stakeholders.account_by_key_id(key_id)
    if account is None or not account.active:
        _verify_nothing(ctx, key)
        return None, None if account is None else account.id
    fingerprint = key_fingerprint(key)
    now = ctx.now()
    cached = ctx.verified_keys.get(fingerprint)
    if cached is not None and cached[0] == account.id and cached[1] > now:
        return account, None
    if not verify_key(account, key, ctx.hasher):
        return None, account.id
    if len(ctx.verified_keys) > 10_000:
        ctx.verified_keys.clear()
    ctx.verified_keys[fingerprint] = (account.id, now + ctx.config.key_cache_ttl)
    return account, None


def _verify_nothing(ctx: PortalContext, key: str) -> None:
    """Spend one argon2 verification, as for a real account, and fail."""
    if ctx.stand_in_hash is None:
        ctx.stand_in_hash = ctx.hasher.hash(secrets.token_urlsafe(32))
    with contextlib.suppress(VerificationError, InvalidHashError):
        ctx.hasher.verify(ctx.stand_in_hash, key)


class Outcome(Enum):
    """How a login attempt ended, for the portal's and the API's answers."""

    ACCEPTED = "accepted"
    MALFORMED = "malformed"
    """Not shaped like an access key: refused, not counted against anyone."""
    THROTTLED = "throttled"
    REFUSED = "refused"


async def attempt_login(
    ctx: PortalContext, request: web.Request, key: str, where: str
) -> tuple[Account | None, Outcome]:
    """Throttle, check and audit one login with ``key`` (the portal form or a bearer key)."""
    address = client_address(request)
    key_id = parse_key_id(key)
    limiter = ctx.limiter
    if key_id is None:
        if await limiter.first_in_window("malformed", address):
            await audit(ctx, None, AuditAction.LOGIN_FAILED, f"{where}: not an access key")
        return None, Outcome.MALFORMED
    if await limiter.blocked(address, key_id):
        if await limiter.first_in_window("throttled", address, key_id):
            await audit(ctx, None, AuditAction.LOGIN_FAILED, f"{where}: throttled")
        return None, Outcome.THROTTLED
    account, named = await check_key(ctx, key)
    if account is None:
        await limiter.fail(address, key_id)
        await audit(ctx, named, AuditAction.LOGIN_FAILED, where)
        return None, Outcome.REFUSED
    return account, Outcome.ACCEPTED


async def audit(
    ctx: PortalContext, account_id: str | None, action: AuditAction, target: str
) -> None:
    """Append one entry to the audit log (times in UTC)."""
    await ctx.stakeholders.append_audit(AuditEntry(ctx.now(), account_id, action, target[:500]))


def is_https(request: web.Request) -> bool:
    """Whether the browser reached us over HTTPS, directly or through a trusted proxy."""
    return _proxies(request).https(request)


def client_address(request: web.Request) -> str:
    """The client's address, for throttling only (never logged with anything a worker sent)."""
    return _proxies(request).client(request)


def _proxies(request: web.Request) -> TrustedProxies:
    ctx = request.config_dict.get(PORTAL)
    return ctx.config.proxies if ctx is not None else TrustedProxies()
