"""Vetted stakeholder accounts: roles, country scopes and access keys.

An access key is shown once, when the account is made, and only its argon2
hash is kept. A key reads ``rr_<key id>_<secret>``: the key id is not secret
and finds the one account to check, so a login costs one argon2 verification,
never one per account. The secret carries 256 bits from ``secrets``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "KEY_PREFIX",
    "Account",
    "IssuedKey",
    "Permission",
    "Role",
    "can",
    "default_hasher",
    "issue_key",
    "key_fingerprint",
    "new_account",
    "parse_countries",
    "parse_key_id",
    "sees_country",
    "verify_key",
]

KEY_PREFIX = "rr"
_KEY_PATTERN = re.compile(r"^rr_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class Role(StrEnum):
    """What an account is for; see ``PERMISSIONS`` for what each may do."""

    ADMIN = "admin"
    OFFICIAL = "official"
    EMPLOYER = "employer"
    NGO = "ngo"
    CASEWORKER = "caseworker"
    """Reads and answers the cases of one partner organisation (``Account.partner``) only."""
    AGENCY = "agency"
    """An agency's own account (``Account.agency``): reads its summary, writes its reply."""


class Permission(StrEnum):
    """One thing a page or an API route needs; checked with ``can``."""

    SUMMARIES = "summaries"
    """Agency list and agency summaries."""
    BREAKDOWNS = "breakdowns"
    """Per-destination and per-year breakdowns of one agency."""
    OVERVIEW = "overview"
    """The sector overview of a corridor."""
    EXPORT = "export"
    MODERATE = "moderate"
    AUDIT = "audit"
    ACCOUNTS = "accounts"
    CASES = "cases"
    """The cases of the account's partner organisation: no other role ever sees a case."""
    REPORT_BACK = "report_back"
    """Preview and approve the quarterly report-back to workers."""
    REPLY = "reply"
    """The account's own agency: its summary and its reply (``recruiter_reports.replies``)."""


_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset({Permission.ACCOUNTS, Permission.MODERATE, Permission.AUDIT,
                           Permission.REPORT_BACK}),
    Role.OFFICIAL: frozenset(
        {Permission.SUMMARIES, Permission.BREAKDOWNS, Permission.OVERVIEW, Permission.EXPORT}
    ),
    Role.EMPLOYER: frozenset({Permission.SUMMARIES}),
    Role.NGO: frozenset({Permission.SUMMARIES, Permission.OVERVIEW}),
    Role.CASEWORKER: frozenset({Permission.CASES}),
    Role.AGENCY: frozenset({Permission.REPLY}),
}


@dataclass(frozen=True, slots=True)
class Account:
    """A stakeholder account as stored: never the key itself, only its hash."""

    id: str
    name: str
    role: Role
    countries: frozenset[str]
    """Origin or destination countries the account may see; empty only for admins."""
    key_id: str
    key_hash: str = field(repr=False)
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    partner: str | None = None
    """The partner organisation (``content/partners.yaml`` id) a caseworker works for."""
    agency: str | None = None
    """The registry entry (recruiter id) an agency account speaks for."""

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A freshly made key: ``key`` is shown to the person once and then forgotten."""

    key: str = field(repr=False)
    key_id: str


def default_hasher() -> PasswordHasher:
    """Argon2id at OWASP's recommended minimum (19 MiB, 2 passes): slow to guess, quick to use."""
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def can(account: Account, permission: Permission) -> bool:
    """Whether the account's role allows ``permission`` (and it is not revoked)."""
    return account.active and permission in _PERMISSIONS[account.role]


def sees_country(account: Account, country: str) -> bool:
    """Whether a country (origin or destination) is within the account's scope."""
    return country.upper() in account.countries


def parse_countries(text: str) -> frozenset[str]:
    """``"KE, qa"`` -> ``{"KE", "QA"}``; raise ValueError on anything not a two-letter code."""
    codes = {part.strip().upper() for part in text.split(",") if part.strip()}
    bad = sorted(code for code in codes if not _COUNTRY.match(code))
    if bad:
        raise ValueError(f"not two-letter country codes: {', '.join(bad)}")
    return frozenset(codes)


def issue_key() -> IssuedKey:
    """A new high-entropy access key and its public key id."""
    key_id = secrets.token_hex(6)
    return IssuedKey(key=f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}", key_id=key_id)


def new_account(
    name: str,
    role: Role,
    countries: Iterable[str],
    now: dt.datetime,
    hasher: PasswordHasher,
    partner: str | None = None,
    agency: str | None = None,
) -> tuple[Account, IssuedKey]:
    """An account and its key; the caller stores the account and shows the key once.

    A caseworker belongs to exactly one partner organisation (``partner``) and
    needs no countries; no other role may name a partner. An agency account is
    bound to exactly one registry entry (``agency``, a recruiter id the caller has
    checked); its countries are that agency's origin.
    """
    name = " ".join(name.split())
    role = Role(role)
    if not name:
        raise ValueError("an account needs a name")
    scope = frozenset(code.upper() for code in countries)
    partner = (partner or "").strip() or None
    if role is Role.CASEWORKER and partner is None:
        raise ValueError("a caseworker account needs its partner organisation (--partner)")
    if role is not Role.CASEWORKER and partner is not None:
        raise ValueError("only a caseworker account belongs to a partner organisation")
    agency = (agency or "").strip() or None
    if role is Role.AGENCY and agency is None:
        raise ValueError("an agency account needs the registry entry it speaks for (--agency)")
    if role is not Role.AGENCY and agency is not None:
        raise ValueError("only an agency account is bound to a registry entry")
    if agency is not None:
        scope = frozenset({agency[:2].upper()})
    if role not in (Role.ADMIN, Role.CASEWORKER) and not scope:
        raise ValueError("an account of this role needs at least one country (--countries)")
    issued = issue_key()
    account = Account(
        id=f"acct-{secrets.token_hex(4)}",
        name=name,
        role=role,
        countries=scope,
        key_id=issued.key_id,
        key_hash=hasher.hash(issued.key),
        created_at=now,
        partner=partner,
        agency=agency,
    )
    return account, issued


def parse_key_id(key: str) -> str | None:
    """The key id of a well-formed key, or None; says nothing about whether it is valid."""
    found = _KEY_PATTERN.match(key.strip())
    return None if found is None else found.group(1)


def verify_key(account: Account, key: str, hasher: PasswordHasher) -> bool:
    """True when ``key`` is the account's key and the account is active."""
    if not account.active:
        return False
    try:
        return hasher.verify(account.key_hash, key.strip())
    except (VerificationError, InvalidHashError):
        return False


def key_fingerprint(key: str) -> str:
    """A fast one-way digest of a key for an in-process cache of keys already verified."""
    return hashlib.sha256(key.strip().encode()).hexdigest()
