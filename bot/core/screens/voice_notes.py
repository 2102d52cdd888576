"""A voice note is never dropped in silence.

Inside a case (the person has one open) it is added to the newest open case,
sealed like a written message (``case_chat``). Otherwise the bot cannot listen,
and says so in writing and aloud (the ``cannot-listen`` prompt, when a current
recording of it exists in the person's language). Its first button reaches a
person: "Talk to a person" opens the hand-over (``talk``), and the voice note
becomes the case's first message once the person agrees, without sending it
again: it waits as the case's draft, sealed with ``CONTACT_KEY`` (the casework
rule is that a person's words never wait unsealed in the conversation state).
Without cases (no ``CONTACT_KEY``) that screen names the partner and how to
reach it directly. "Find help" and the SOS button follow. A voice note is the
sign of someone who may read little, so it is also where the audio preference
is asked, once.
"""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.messages import Choice, Media
from bot.core.narration import cannot_listen_text
from bot.core.screens import case_chat, listen
from bot.core.screens.talk import keep_voice, talk_choice


async def voice_note(ctx: Ctx, ref: str | None) -> None:
    """The answer to a voice note sent while no question waits for one."""
    if ctx.cases is not None and ref:
        open_cases = await ctx.cases.cases_of(ctx.pseudonym, open_only=True)
        if open_cases:
            newest = max(open_cases, key=lambda case: case.created_at)
            ctx.session.flow[case_chat.FLOW] = newest.id
            await case_chat.voice(ctx, Media.VOICE, ref)
            return
    text = cannot_listen_text(ctx.t)
    if ref and keep_voice(ctx, ref):
        text += "\n\n" + ctx.t("I kept your voice message. Tap Talk to a person: once you "
                                "agree, it goes to them, and you need not send it again.")
    place = ctx.session.destination
    find = Choice(f"find:{place}" if place else "find", "📞 " + ctx.t("Find help"))
    ctx.say(text, [talk_choice(ctx, None, place), find],
            audio=listen.prompt(ctx, "cannot-listen"))
    listen.ask_once(ctx)
