"""A report-back job's message: the approved words of the person's corridor and language.

The words were fixed when the admin approved the round (``Round.messages``),
so the person reads exactly what was previewed. The buttons open the guides
the message names, then stop, the menu and the help button, as under every
message the bot sends unprompted.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import MENU, SOS
from bot.core.messages import Choice, Outbound
from bot.i18n import Catalogs
from followups import Enrolment, FollowupStore, Job
from followups.reportback import corridor_of, message_key

__all__ = ["ReportbackWording"]


@dataclass(frozen=True, slots=True)
class ReportbackWording:
    catalogs: Catalogs

    async def messages(self, store: FollowupStore, job: Job,
                       enrolment: Enrolment) -> tuple[Outbound, ...] | None:
        """The message, or None when the round or the person's corridor has none (the
        round is unknown, or they moved to a corridor the round did not word)."""
        approved = await store.round(job.ref)
        corridor = corridor_of(enrolment)
        if approved is None or corridor is None:
            return None
        message = approved.messages.get(message_key(*corridor, enrolment.locale))
        if message is None:
            return None
        t = self.catalogs.translator(enrolment.locale)
        buttons = (
            *(Choice(f"article:{article}:0", label) for article, label in message.guides),
            Choice("stop", "🔕 " + t("No more messages")),
            Choice(MENU, "🏠 " + t("Menu")),
            Choice(SOS, "🆘 " + t("Help now")),
        )
        return (Outbound(t.isolate(message.text), buttons, rtl=t.rtl),)
