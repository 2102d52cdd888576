"""The caseworker role: bound to one partner organisation, and the only role that sees cases."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher

from recruiter_reports.stakeholders import Permission, Role, can, new_account

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_a_caseworker_needs_a_partner_and_no_countries() -> None:
    account, _ = new_account("Amani", Role.CASEWORKER, [], NOW, HASHER, partner=" kituo ")
    assert account.partner == "kituo"
    with pytest.raises(ValueError, match="--partner"):
        new_account("Amani", Role.CASEWORKER, [], NOW, HASHER)


def test_no_other_role_belongs_to_a_partner() -> None:
    with pytest.raises(ValueError, match="only a caseworker"):
        new_account("Ann", Role.OFFICIAL, ["KE"], NOW, HASHER, partner="kituo")


@pytest.mark.parametrize("role", list(Role))
def test_only_caseworkers_see_cases(role: Role) -> None:
    partner = "kituo" if role is Role.CASEWORKER else None
    countries = [] if role in (Role.ADMIN, Role.CASEWORKER) else ["KE"]
    agency = "KE-EX-KE-0002" if role is Role.AGENCY else None
    account, _ = new_account("X", role, countries, NOW, HASHER, partner=partner, agency=agency)
    assert can(account, Permission.CASES) is (role is Role.CASEWORKER)
    if role is Role.CASEWORKER:
        assert not can(account, Permission.SUMMARIES), "a caseworker sees no ratings data"
