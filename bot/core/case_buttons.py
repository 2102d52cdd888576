"""The buttons under what a caseworker sends the person (a reply, "read", "closed").

These messages are pushed by the delivery loop (``bot.web.cases.delivery``),
outside any turn, but their buttons lead into the engine's case screens
(``bot.core.screens.case_chat``): this module is the one place both sides
read the route ids from, so the web layer needs no screen.

Under a reply: "Answer" (opens the case screen: what the person writes next
goes into the case), "Close this case", and the help button. Under "closed":
a new case, the menu, the help button. At most three, so WhatsApp shows them
as reply buttons.
"""

from __future__ import annotations

from bot.core.context import MENU, SOS
from bot.core.messages import Choice
from bot.i18n import Translator

__all__ = ["answer_choices", "closed_choices"]


def answer_choices(t: Translator, case_id: str) -> list[Choice]:
    """Under a caseworker's reply or a "read" notice: answer, close, help now."""
    return [
        Choice(f"case:{case_id}", "💬 " + t("Answer")),
        Choice(f"case:close:{case_id}", "✖️ " + t("Close this case")),
        Choice(SOS, "🆘 " + t("Help now")),
    ]


def closed_choices(t: Translator) -> list[Choice]:
    """Under "your case was closed": a new case, the menu, help now."""
    return [
        Choice("talk", "💬 " + t("Talk to a person")),
        Choice(MENU, "🏠 " + t("Menu")),
        Choice(SOS, "🆘 " + t("Help now")),
    ]
