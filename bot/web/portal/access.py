"""Checking an access key and recording what accounts do: shared by the portal and the API."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.web.portal.context import PortalContext
from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.stakeholders import Account, key_fingerprint, parse_key_id, verify_key

__all__ = ["audit", "check_key", "client_address", "is_https"]

log = logging.getLogger(__name__)


async def check_key(ctx: PortalContext, key: str) -> tuple[Account | None, str | None]:
    """``(account, None)`` for a valid key of an active account, else ``(None, account id)``.

    The account id on failure is that of the account the key id named, when
    there is one, so the audit log can show attempts against a real account.
    A key verified in the last few minutes skips argon2; the account itself is
    read every time, so a revocation holds at once.
    """
    key_id = parse_key_id(key)
    if key_id is None:
        return None, None
    account = await ctx.stakeholders.account_by_key_id(key_id)
    if account is None:
        return None, None
    if not account.active:
        return None, account.id
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


async def audit(
    ctx: PortalContext, account_id: str | None, action: AuditAction, target: str
) -> None:
    """Append one entry to the audit log (times in UTC)."""
    await ctx.stakeholders.append_audit(AuditEntry(ctx.now(), account_id, action, target[:500]))


def is_https(request: web.Request) -> bool:
    """Whether the browser reached us over HTTPS, directly or through a proxy that says so."""
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.secure or forwarded == "https"


def client_address(request: web.Request) -> str:
    """The peer address, for throttling only (never logged with anything a worker sent)."""
    return request.remote or "unknown"
