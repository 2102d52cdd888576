"""Kind answers to messages that are not questions: "asante", "thanks", "hello", "7".

Searching "asante" finds nothing and says so, which reads as a rebuff to
someone who just said thank you. These get a short, warm answer and the menu;
a number with no button gets told which numbers there are, with the buttons
shown again.
"""

from __future__ import annotations

from bot.content.phrasebook import KindWord
from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.core.screens.start import main_menu
from bot.core.session import Session


async def answer(ctx: Ctx, kind: KindWord) -> None:
    if kind is KindWord.THANKS:
        text = ctx.t("You are welcome. I am here whenever you need me.")
    else:
        text = ctx.t("Hello! What do you need? Tap a button, or type a few words.")
    ctx.say(text, home=False)
    await main_menu(ctx, [])


def no_such_button(ctx: Ctx, number: int, session: Session) -> None:
    """A typed number beyond the buttons shown: say which numbers exist, show them again."""
    choices = [Choice(choice_id, label) for choice_id, label in session.last]
    ctx.say(
        ctx.t(
            "There is no number {number} here. Type a number from 1 to {count}, or tap a button.",
            number=ctx.t.number(number),
            count=ctx.t.number(len(choices)),
        ),
        choices,
    )
