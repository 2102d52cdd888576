"""The quick exit on WhatsApp: a bot cannot delete messages there, so it says how.

The Cloud API has no call that deletes a message from the person's phone. So
before the neutral screen (the ``Outbound`` that carries an ``Erase``) the
person reads, in their language, the steps WhatsApp itself offers: delete one
message (touch and hold it, Delete, Delete for me), or clear the whole chat
(Android: the ⋮ menu of the chat, More, Clear chat; iPhone: the name at the
top of the chat, Clear Chat). The neutral screen comes last, so it is what
shows when the chat is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.core.messages import Outbound
from bot.i18n import Translator


def by_hand(t: Translator) -> str:
    """The steps, in plain words."""
    return "\n".join((
        t("WhatsApp does not let me delete messages. To remove them from your phone:"),
        "• " + t("One message: touch and hold it, tap Delete, then Delete for me."),
        "• " + t("The whole chat on Android: in this chat tap ⋮, then More, then Clear chat."),
        "• " + t("The whole chat on iPhone: tap the name at the top of this chat, then "
                 "Clear Chat."),
    ))


def with_steps(outbounds: Sequence[Outbound], t: Translator) -> list[Outbound]:
    """The replies, with the steps just before each neutral screen (and no erase left)."""
    shown: list[Outbound] = []
    for message in outbounds:
        if message.erase is not None:
            shown.append(Outbound(by_hand(t), rtl=t.rtl))
            message = replace(message, erase=None)
        shown.append(message)
    return shown
