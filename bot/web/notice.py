"""Discreet notifications: what a push becomes for a person who chose neutral wording.

A check-in or a caseworker's reply shows its first words on the lock screen,
where an employer or a broker holding the phone can read them. A person who
chose "Only “You have a new message”" (``Session.notify``, set in the chat by
``bot.core.screens.discreet``) gets, instead of any message the bot sends
unprompted, one neutral *notice* (``bot.core.notices``): "You have a new
message." and a single "Open" button, in their language; no agency, no
partner, no case, no check-in.
On WhatsApp outside the 24-hour window that notice is the approved
``WHATSAPP_TEMPLATE_NOTICE`` template, whose quick-reply button carries the
same choice.

The real messages stay queued (a sent notice leaves them *waiting*, as a
template does) and go out when the person taps Open or writes anything: the
channel's ``PersonWrote`` wakes them, and a woken message is sent in full
(``present``), because the person is looking at the chat right then. A wake
counts for ``WOKEN_FOR`` only (``woken``): a woken message whose push failed
and is tried again later gets a notice again, as the person may have put the
phone down.

Every sender of unprompted messages goes through ``NeutralNotices``: the case
reply loop, the check-in loop, and whatever comes next.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.channels.push import Push, Template, TemplatePurpose
from bot.core import notices
from bot.i18n import Catalogs

log = logging.getLogger(__name__)

__all__ = ["NOTICE_DETAIL", "WOKEN_FOR", "NeutralNotices", "never_neutral", "wants_neutral",
           "woken"]

NOTICE_DETAIL = ("a neutral notice was sent (the person chose discreet notifications); "
                 "delivered when they open it or write")
"""Why a message waits after its notice, for the operator and the caseworker."""

WOKEN_FOR = dt.timedelta(minutes=10)
"""How long tapping Open (or writing) lets waiting messages go out in full: long enough
for a slow send and its quick retries, short of the hour-long retries after a failure."""


def woken(seen_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the person opened a notice or wrote so recently that the words may go."""
    return seen_at is not None and now - seen_at <= WOKEN_FOR


WantsNeutral = Callable[[str], Awaitable[bool]]
"""pseudonym -> did the person choose neutral notifications?"""


def wants_neutral(load_session: Callable[[str], Awaitable[dict[str, Any] | None]]) -> WantsNeutral:
    """Read the choice from the person's stored conversation state.

    A store that cannot be read answers "neutral": a notice where the person
    wanted the words costs one tap, the words where they wanted a notice can
    cost much more.
    """

    async def wants(pseudonym: str) -> bool:
        try:
            return notices.notify_neutral(await load_session(pseudonym))
        except Exception as error:  # any store's outage: the careful answer
            log.warning("notification preference unreadable (%s); sending a neutral notice",
                        type(error).__name__)
            return True

    return wants


async def never_neutral(pseudonym: str) -> bool:
    """For senders with nobody watching over the phone (tests of the words themselves)."""
    return False


@dataclass(frozen=True, slots=True)
class NeutralNotices:
    """Turns a push into its neutral notice when the person asked for that."""

    catalogs: Catalogs
    wants: WantsNeutral = never_neutral

    async def wanted(self, pseudonym: str) -> bool:
        return await self.wants(pseudonym)

    def notice(self, push: Push, locale: str) -> Push:
        """The same person, address and window, with only the neutral notice.

        A push that would not use a template outside the window (a "read" note)
        gets a notice without one either: it is dropped there, as before.
        """
        message = notices.notice_message(self.catalogs.translator(locale))
        template = None
        if push.template is not None:
            template = Template(TemplatePurpose.NOTICE, (), push.template.locale,
                                buttons=(notices.INBOX,))
        return Push(push.address, (message,), person=push.person, last_seen=push.last_seen,
                    template=template)
