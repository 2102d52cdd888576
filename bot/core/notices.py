"""The neutral notice a sender puts in place of an unprompted message, and who wants it.

Lives beside the screens rather than among them because the senders (the
delivery loops in ``bot.web``) need it too, and the screens are the engine's
own. The preference itself is chosen on the ``notify`` screen
(``bot.core.screens.discreet``) and kept in ``Session.notify``.
"""

from __future__ import annotations

from bot.core.messages import Choice, Outbound
from bot.core.session import Session
from bot.i18n import Translator

__all__ = ["INBOX", "NEUTRAL", "notice_message", "notice_text", "notify_neutral"]

NEUTRAL = "neutral"
"""``Session.notify`` of a person who wants neutral notices."""
INBOX = "inbox"
"""The button under a neutral notice: the messages that wait are sent when it is tapped."""


def notify_neutral(state: dict[str, object] | None) -> bool:
    """For a sender holding the person's stored session: do they want neutral notices?"""
    return Session.notify_of(state) == NEUTRAL


def notice_text(t: Translator) -> str:
    """The neutral notice, for a sender that has a translator ``t`` of the person."""
    return t("You have a new message.")


def notice_message(t: Translator) -> Outbound:
    """The whole neutral notice: its words and one button that opens what waits."""
    # TRANSLATORS: the one button under "You have a new message."; say nothing more.
    return Outbound(notice_text(t), (Choice(INBOX, t("Open")),), rtl=t.rtl)
