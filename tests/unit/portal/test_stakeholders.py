"""Accounts, keys, roles and scopes."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher

from recruiter_reports.stakeholders import (
    Permission,
    Role,
    can,
    new_account,
    parse_countries,
    parse_key_id,
    sees_country,
    verify_key,
)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_a_key_is_high_entropy_stored_only_as_an_argon2_hash() -> None:
    account, issued = new_account("Ann", Role.OFFICIAL, ["KE"], NOW, HASHER)
    assert len(issued.key) > 50 and issued.key not in repr(account)
    assert account.key_hash.startswith("$argon2id$") and issued.key not in account.key_hash
    assert parse_key_id(issued.key) == account.key_id
    assert verify_key(account, issued.key, HASHER)
    assert not verify_key(account, issued.key[:-1] + "x", HASHER)
    _, other_key = new_account("Bob", Role.OFFICIAL, ["KE"], NOW, HASHER)
    assert other_key.key != issued.key and not verify_key(account, other_key.key, HASHER)


def test_revoked_accounts_have_no_permission_and_no_valid_key() -> None:
    account, issued = new_account("Ann", Role.OFFICIAL, ["KE"], NOW, HASHER)
    revoked = account.__class__(**{**{f: getattr(account, f) for f in account.__slots__},
                                   "revoked_at": NOW})  # fmt: skip
    assert not can(revoked, Permission.SUMMARIES)
    assert not verify_key(revoked, issued.key, HASHER)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, {Permission.ACCOUNTS, Permission.MODERATE, Permission.AUDIT,
                      Permission.REPORT_BACK}),
        (Role.OFFICIAL, {Permission.SUMMARIES, Permission.BREAKDOWNS, Permission.OVERVIEW,
                         Permission.EXPORT}),
        (Role.EMPLOYER, {Permission.SUMMARIES}),
        (Role.NGO, {Permission.SUMMARIES, Permission.OVERVIEW}),
    ],
)  # fmt: skip
def test_roles(role: Role, allowed: set[Permission]) -> None:
    account, _ = new_account("x", role, ["KE"], NOW, HASHER)
    assert {p for p in Permission if can(account, p)} == allowed


def test_scopes_and_country_parsing() -> None:
    account, _ = new_account("x", Role.NGO, parse_countries("ke, QA"), NOW, HASHER)
    assert sees_country(account, "ke") and sees_country(account, "QA")
    assert not sees_country(account, "NP")
    with pytest.raises(ValueError, match="two-letter"):
        parse_countries("KEN")
    with pytest.raises(ValueError, match="country"):
        new_account("x", Role.OFFICIAL, [], NOW, HASHER)
    with pytest.raises(ValueError, match="name"):
        new_account("  ", Role.ADMIN, [], NOW, HASHER)


@pytest.mark.parametrize(
    "text", ["", "rr_", "rr_abc_def", "Bearer x", "rr_ZZZZZZZZZZZZ_" + "a" * 43]
)
def test_malformed_keys_have_no_key_id(text: str) -> None:
    assert parse_key_id(text) is None
