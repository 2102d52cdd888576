"""Back that goes back: the screens a person walked through, kept in their session.

Each reading screen (country list, topics, article) records itself as it is
shown; Back returns to the screen before it. The pages of one article are one
screen, and a topic with a single article is that article, so Back from it
returns to the topic list instead of showing the same article again. A Back
button also names where to go when the trail is empty (an old button, or an
article reached from search): its parent screen.
"""

from __future__ import annotations

from bot.core import choice_ids
from bot.core.context import Ctx
from bot.core.messages import Choice

BACK = "back"
DEPTH = 8
"""Screens remembered: enough for any walk through the guides, small in the session."""


def _screen(route_id: str) -> str:
    """The screen a route shows: an article's pages are one screen."""
    parts = choice_ids.current(route_id).split(":")  # a trail saved before a rename
    return ":".join(parts[:2]) if parts[0] == "article" else ":".join(parts)


def visit(ctx: Ctx, route_id: str) -> None:
    """Record that ``route_id`` is now on screen."""
    trail = ctx.session.nav
    if trail and _screen(trail[-1]) == _screen(route_id):
        trail[-1] = route_id
    else:
        trail.append(route_id)
    del trail[:-DEPTH]


def reset(ctx: Ctx) -> None:
    """The main menu: the start of every walk."""
    ctx.session.nav.clear()


def back_choice(ctx: Ctx, parent: str) -> Choice:
    """The Back button; ``parent`` is where it leads when the trail is empty."""
    return Choice(f"{BACK}:{parent}", "↩️ " + ctx.t("Back"))


def previous(ctx: Ctx, parent: str) -> str:
    """The route Back leads to, taken off the trail (showing it records it again)."""
    trail = ctx.session.nav
    current = _screen(trail.pop()) if trail else None
    while trail:
        candidate = trail.pop()
        if _screen(candidate) != current:
            return candidate
    return parent if parent and _screen(parent) != current else "menu"
