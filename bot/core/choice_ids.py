"""Button ids from before a rename, mapped to today's ids in this one place.

A person may tap a button sent yesterday (a Telegram keyboard stays on the
phone for weeks), and a stored session keeps the last buttons shown and the
screens walked through. The engine rewrites every id it routes through
``current``, so renaming a route never breaks a message already sent. Ids
stay short (Telegram allows 64 bytes of callback data) and carry no user data.
"""

from __future__ import annotations

from collections.abc import Mapping

ANSWER = "answer"
"""The questionnaire's route: ``answer:<step>:<value>``, ``answer:back``, ``answer:send``.
Channels may read it (WhatsApp shows a question's answers as buttons of their own)."""
ANSWER_BACK = f"{ANSWER}:back"
"""The button that takes the questionnaire one question back."""

RENAMED_ROUTES: Mapping[str, str] = {
    "g": "guide",
    "r": "rights_in",
    "t": "topic",
    "a": "article",
    "ag": "agencies",
    "nl": "unlisted",
    "cs": "consent",
    "q": "answer",
}
"""Old route names (the first part of an id) and the names that replaced them."""

RENAMED_MODES: Mapping[str, str] = {"c": "check", "r": "rate"}
"""Old names of the agency search's two modes (checking an agency, rating one)."""

_ROUTES_WITH_MODE = frozenset({"agencies", "pick", "unlisted"})
"""Routes whose first argument is the agency search's mode."""


def current(choice_id: str) -> str:
    """``choice_id`` as today's screens name it (unchanged when it is already current)."""
    name, _, rest = choice_id.partition(":")
    name = RENAMED_ROUTES.get(name, name)
    if name in _ROUTES_WITH_MODE and rest:
        mode, sep, tail = rest.partition(":")
        rest = mode_name(mode) + sep + tail
    return f"{name}:{rest}" if rest else name


def mode_name(mode: str) -> str:
    """A mode as today's screens name it (a session saved before the rename keeps "c"/"r")."""
    return RENAMED_MODES.get(mode, mode)
