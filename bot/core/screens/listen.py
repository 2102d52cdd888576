"""Listening instead of reading: the "🔊 Listen" button, and "answer me with audio too".

Every article and SOS card with a current recording (``ContentTree.article_audio``,
``sos_audio``: a stale one is never offered) carries a Listen button. The first
time someone taps Listen (or sends a voice note), the bot asks once, in their
language and with a spoken prompt, whether every screen with audio should send
it beside the text (``Session.audio``); ``/audio`` asks again. Asking there, and
not on the first article, keeps the screen a person reads the last message.

Route ids: ``listen:a:<article id>:<locale>``, ``listen:sos:<cc>``, ``audio``,
``audio:on``, ``audio:off``.
"""

from __future__ import annotations

from bot.content import Article
from bot.content.audio import AudioFile
from bot.content.models import AudioKind
from bot.core import navigation
from bot.core.context import Ctx
from bot.core.messages import Audio, Choice
from bot.core.narration import ask_audio_text, prompt_text

LISTEN = "listen"
AUDIO = "audio"
ON, OFF = "on", "off"


def wants_audio(ctx: Ctx) -> bool:
    """The person asked for recordings beside the text."""
    return ctx.session.audio == ON


def article_button(ctx: Ctx, article: Article) -> Choice | None:
    if ctx.content.article_audio(article) is None:
        return None
    return Choice(f"{LISTEN}:a:{article.meta.id}:{article.locale}", "🔊 " + ctx.t("Listen"))


def sos_button(ctx: Ctx, code: str) -> Choice | None:
    if ctx.content.sos_audio(code, ctx.locale) is None:
        return None
    return Choice(f"{LISTEN}:sos:{code}", "🔊 " + ctx.t("Listen"))


def caption(ctx: Ctx, title: str, recording: AudioFile) -> str:
    """What the voice message says in writing: what it is, how long, who reads it."""
    audio = ctx.audio(recording)
    lines = [f"🔊 {title} ({audio.duration})"]
    if recording.kind is AudioKind.DRAFT:
        lines.append(ctx.t("A computer voice reads this. A person will record it soon."))
    return "\n".join(lines)


def prompt(ctx: Ctx, prompt_id: str) -> Audio | None:
    """A spoken prompt in the person's language, if one reads today's wording."""
    recording = ctx.content.prompt_audio(prompt_id, ctx.locale)
    if recording is None or not recording.narrates_text(prompt_text(ctx.t, prompt_id)):
        return None
    return ctx.audio(recording)


def article_audio_beside(ctx: Ctx, article: Article) -> None:
    """For someone who wants audio: the article's recording, just before its text."""
    recording = ctx.content.article_audio(article)
    if recording is not None and wants_audio(ctx):
        ctx.say(caption(ctx, article.meta.title, recording), home=False,
                audio=ctx.audio(recording))


def sos_audio_beside(ctx: Ctx, code: str) -> None:
    """For someone who wants audio: the SOS card's recording, right after its numbers."""
    recording = ctx.content.sos_audio(code, ctx.locale)
    if recording is not None and wants_audio(ctx):
        ctx.say(caption(ctx, ctx.country_name(code), recording), home=False,
                audio=ctx.audio(recording))


def ask_once(ctx: Ctx) -> None:
    """After the first recording someone asked for: should every screen with one send it?
    Asked once: the answer stays text only until the person says yes."""
    if ctx.session.audio is not None:
        return
    ctx.session.audio = OFF
    _ask(ctx)


def _ask(ctx: Ctx) -> None:
    choices = [
        Choice(f"{AUDIO}:{ON}", "🔊 " + ctx.t("Yes, with audio")),
        Choice(f"{AUDIO}:{OFF}", "📄 " + ctx.t("No, text only")),
    ]
    ctx.say(ask_audio_text(ctx.t), choices, audio=prompt(ctx, "ask-audio"))


async def listen(ctx: Ctx, args: list[str]) -> None:
    kind = args[0] if args else ""
    if kind == "a" and len(args) >= 3:
        article = ctx.content.article(args[1], args[2])
        recording = ctx.content.article_audio(article) if article is not None else None
        if article is not None and recording is not None:
            back = navigation.back_choice(ctx, f"article:{article.meta.id}:0")
            ctx.say(caption(ctx, article.meta.title, recording), [back],
                    audio=ctx.audio(recording))
            ask_once(ctx)
            return
    elif kind == "sos" and len(args) >= 2:
        recording = ctx.content.sos_audio(args[1], ctx.locale)
        if recording is not None:
            ctx.say(caption(ctx, ctx.country_name(args[1]), recording),
                    audio=ctx.audio(recording))
            ask_once(ctx)
            return
    ctx.say(ctx.t("Sorry, this recording is no longer available."))


async def preference(ctx: Ctx, args: list[str]) -> None:
    """``audio:on`` / ``audio:off`` set it; ``audio`` (and ``/audio``) asks again."""
    choice = args[0] if args else ""
    if choice == ON:
        ctx.session.audio = ON
        ctx.say(ctx.t("From now on I send a recording beside the text wherever there is one."))
    elif choice == OFF:
        ctx.session.audio = OFF
        ctx.say(ctx.t("Text only, then. Type /audio to change it."))
    else:
        _ask(ctx)


ROUTES = {LISTEN: listen, AUDIO: preference}
