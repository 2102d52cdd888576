"""Roles and country scopes for each request: one set of rules for the portal and the API.

An account sees a figure about agencies of origin ``o`` reported for
destination ``d`` when ``o`` or ``d`` is in its scope. Asking for a country
outside the scope is refused (403), never silently narrowed.
"""

from __future__ import annotations

from collections.abc import Iterable

from recruiter_reports.stakeholders import Account, Permission, can, sees_country

__all__ = ["Refused", "agency_destinations", "listing_origins", "require"]


class Refused(Exception):
    """Outside the account's role or scope; the web layers answer 403."""


def require(account: Account, permission: Permission) -> None:
    if not can(account, permission):
        raise Refused(f"your role ({account.role.value}) does not include {permission.value}")


def listing_origins(
    account: Account, known: Iterable[str], origin: str | None, destination: str | None
) -> list[str]:
    """Which origins a list or an overview covers, or Refused for a country out of scope."""
    through_destination = destination is not None and sees_country(account, destination)
    if destination is not None and not through_destination and origin is None:
        origins = [code for code in known if sees_country(account, code)]
        if not origins:
            raise Refused(f"{destination} is outside your countries")
        return origins
    if origin is not None:
        if not (sees_country(account, origin) or through_destination):
            raise Refused(f"{origin} is outside your countries")
        return [origin]
    if through_destination:
        return list(known)
    return [code for code in known if sees_country(account, code)]


def agency_destinations(
    account: Account, origin: str, origins: Iterable[str]
) -> set[str] | None:
    """None when the whole agency is in scope; else the destinations the account may see.

    Countries with a recruiter registry (``origins``) are origins, not destinations,
    so an account scoped to one origin sees nothing of another origin's agencies.
    """
    if sees_country(account, origin):
        return None
    destinations = set(account.countries) - set(origins)
    if not destinations:
        raise Refused("this agency is outside your countries")
    return destinations
