"""A voice note outside a case: never dropped in silence.

The bot cannot listen, and says so in writing and aloud (the ``cannot-listen``
prompt, when a current recording of it exists in the person's language). Its
first button reaches a person: "Talk to a person" opens the hand-over
(``talk``), where a voice note becomes the case message; without cases (no
``CONTACT_KEY``) that screen names the partner and how to reach it directly.
"Find help" and the SOS button follow. A voice note is the sign of someone who
may read little, so it is also where the audio preference is asked, once.
"""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.core.narration import cannot_listen_text
from bot.core.screens import listen


def talk_choice(ctx: Ctx) -> Choice:
    return Choice("talk", "💬 " + ctx.t("Talk to a person"))


async def voice_note(ctx: Ctx) -> None:
    """The answer to a voice note sent while no question waits for one."""
    text = cannot_listen_text(ctx.t)
    place = ctx.session.destination
    find = Choice(f"find:{place}" if place else "find", "📞 " + ctx.t("Find help"))
    ctx.say(text, [talk_choice(ctx), find], audio=listen.prompt(ctx, "cannot-listen"))
    listen.ask_once(ctx)
