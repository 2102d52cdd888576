"""WhatsApp's 24-hour customer-service window, per person (keyed by pseudonym).

Free-form messages may only be sent within 24 hours of the person's last
message; after that only approved templates may (future work). Meta retries a
webhook for days, so a reply to a late redelivery would fail with error
131047: it is not attempted.

Kept in this worker's memory, bounded, keyed by pseudonym (never the number).
With several workers each knows only the messages it served; that is enough
for replies, which always follow a message this worker just received. Proactive
messages (follow-ups) will need the time of the last message in the store.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

WINDOW = dt.timedelta(hours=24)
_MAX_PEOPLE = 50_000


class ServiceWindow:
    """When each person last wrote, to know whether a free-form message may be sent."""

    def __init__(self, length: dt.timedelta = WINDOW, max_people: int = _MAX_PEOPLE) -> None:
        self._length = length
        self._max = max_people
        self._last: OrderedDict[str, dt.datetime] = OrderedDict()

    def note(self, pseudonym: str, at: dt.datetime) -> None:
        """Record a message the person sent at ``at`` (a late redelivery never moves it back)."""
        known = self._last.get(pseudonym)
        if known is None or at > known:
            self._last[pseudonym] = at
        self._last.move_to_end(pseudonym)
        while len(self._last) > self._max:
            self._last.popitem(last=False)

    def is_open(self, pseudonym: str, now: dt.datetime) -> bool:
        last = self._last.get(pseudonym)
        return last is not None and now - last < self._length
