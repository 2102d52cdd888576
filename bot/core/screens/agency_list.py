"""What a check screen says about the agency list itself: how old it is, and whether
it is the regulator's list or example data.

With example data the bot never calls a missing agency unlicensed: an agency
absent from an example list may well hold a licence. Every check screen shows
the list's as-of date, so a worker knows how fresh "valid" is.
"""

from __future__ import annotations

from bot.core.context import Ctx
from recruiter_reports.registry import Registry


def note(ctx: Ctx, registry: Registry | None) -> str | None:
    """One line about the list, or nothing when there is no list for the country."""
    if registry is None:
        return None
    as_of = registry.as_of.isoformat() if registry.as_of else None
    if registry.example:
        if as_of:
            return ctx.t(
                "ℹ️ This is an example list, not the official one (as of {date}).", date=as_of
            )
        return ctx.t("ℹ️ This is an example list, not the official one.")
    if as_of:
        return ctx.t("ℹ️ Agency list as of {date}.", date=as_of)
    return None


def is_example(registry: Registry | None) -> bool:
    """True when an agency's absence from the list says nothing about its licence."""
    return registry is None or registry.example
