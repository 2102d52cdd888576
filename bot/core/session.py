"""What the engine remembers about one person between messages.

Kept small and JSON-friendly: it is stored under the person's pseudonym and
read by whichever worker serves the next message. Nothing in it names anyone.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

STATE_VERSION = 1


@dataclass
class Session:
    """One person's conversation state.

    ``last`` holds the (id, label) of the buttons shown last, so a typed number
    or label picks one on any channel; ``awaiting`` names the free-text answer
    expected next (a search, a comment); ``flow`` holds a multi-step flow's draft.
    """

    locale: str | None = None
    origin: str | None = None
    destination: str | None = None
    awaiting: str | None = None
    last: list[list[str]] = field(default_factory=list)
    flow: dict[str, Any] = field(default_factory=dict)
    nav: list[str] = field(default_factory=list)
    """The screens behind the current one (route ids, newest last), for Back."""
    audio: str | None = None
    """"Answer me with audio too": ``on``, ``off``, or None while never asked."""
    notify: str | None = None
    """How a message the person did not just ask for (a check-in, a case reply) announces
    itself: ``neutral`` ("You have a new message"), else with its own words."""
    marks: list[list[int]] = field(default_factory=list)
    """Where this conversation's messages start, for the quick exit to delete them:
    [chat message number, UTC minute] pairs, one every few hours, oldest first, only as
    far back as a bot may still delete (``bot.core.screens.discreet``). The numbers
    count messages inside one chat; they identify nobody."""

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Session:
        """Rebuild from stored state; unknown or missing keys never break a conversation."""
        if not data or data.get("v") != STATE_VERSION:
            return cls()
        return cls(
            locale=_str_or_none(data.get("locale")),
            origin=_str_or_none(data.get("origin")),
            destination=_str_or_none(data.get("destination")),
            awaiting=_str_or_none(data.get("awaiting")),
            last=[list(map(str, pair)) for pair in data.get("last", []) if len(pair) == 2],
            flow=dict(data.get("flow") or {}),
            nav=[str(item) for item in data.get("nav", []) if isinstance(item, str)],
            audio=_str_or_none(data.get("audio")),
            notify=_str_or_none(data.get("notify")),
            marks=[
                [int(pair[0]), int(pair[1])] for pair in data.get("marks", [])
                if isinstance(pair, list) and len(pair) == 2
                and all(type(value) is int for value in pair)
            ],
        )

    def to_dict(self) -> dict[str, Any]:
        """The stored form; lists are copied and ``flow`` deeply, as ``asdict`` would,
        field by field because ``asdict`` cost more than the rest of a turn's state."""
        return {
            "v": STATE_VERSION,
            "locale": self.locale,
            "origin": self.origin,
            "destination": self.destination,
            "awaiting": self.awaiting,
            "last": [list(pair) for pair in self.last],
            "flow": copy.deepcopy(self.flow),
            "nav": list(self.nav),
            "audio": self.audio,
            "notify": self.notify,
            "marks": [list(pair) for pair in self.marks],
        }

    @staticmethod
    def notify_of(data: dict[str, Any] | None) -> str | None:
        """``notify`` of a stored state, read without rebuilding the session (the runner
        and the senders ask it of every state they hold)."""
        if not data or data.get("v") != STATE_VERSION:
            return None
        return _str_or_none(data.get("notify"))

    @property
    def is_new(self) -> bool:
        return self.locale is None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
