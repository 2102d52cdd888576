"""The conversation engine: one ``Inbound`` and the stored session in, a ``Turn`` out.

It knows no channel and does no network I/O of its own; it reads content from
memory and, for ratings, reads through a narrow query port (``RatingReads``).
It never writes: a ``Turn`` carries the new state, the replies and the typed
effects (``bot.core.effects``) the runner applies with the state in one unit
of work. Every button id is a route ("name:arg:arg") handled by a screen
module, so every channel gets every flow; an id from before a rename is mapped
to its current name (``bot.core.choice_ids``), so an old button keeps working.

Order of precedence for a message, so that safety always wins:
1. an emergency (``/sos``, the help button, a trigger phrase) from anywhere;
2. a command (``/start``, ``/menu``...);
3. a button, or a typed number or label of the last buttons shown;
4. the free-text answer a flow is waiting for (a comment...);
5. otherwise the text is a search.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content import ContentTree
from bot.content.phrasebook import KindWord
from bot.core import choice_ids, navigation
from bot.core.case_reads import CaseReads
from bot.core.context import EXIT, MENU, SOS, Ctx, Route, TextHandler
from bot.core.effects import Effect, Forget
from bot.core.followup_reads import FollowupReads
from bot.core.messages import Choice, Inbound, Media, Outbound
from bot.core.numbers import typed_number
from bot.core.screens import (
    case_chat,
    directory,
    discreet,
    followups,
    guides,
    listen,
    privacy,
    ratings,
    search,
    smalltalk,
    sos,
    start,
    talk,
    voice_notes,
)
from bot.core.session import Session
from bot.i18n import Catalogs
from casework.sealing import Sealer
from recruiter_reports.clock import utc_now
from recruiter_reports.ratings import RatingReads, Ratings
from recruiter_reports.registry import Registry
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.replies_port import ReplyReads

log = logging.getLogger(__name__)

COMMANDS: Mapping[str, str] = {
    "/start": "start",
    "/menu": "menu",
    "/language": "language",
    "/help": "usage",
    "/privacy": "about",
    "/sos": SOS,
    "/forget": "forget",
    "/mydata": "mydata",
    "/check": "check",
    "/rate": "rate",
    "/talk": "talk",
    "/audio": "audio",
    "/stop": "stop",
    "/exit": EXIT,
}
"""Slash commands and the route each opens (DESIGN.md fixes these names)."""

_SCREENS = (start, guides, directory, search, sos, privacy, ratings, talk, case_chat, listen,
            followups, discreet)

VoiceHandler = Callable[[Ctx, Media, "str | None"], Awaitable[None]]
"""The answer to a question that also takes a voice note (a message to a caseworker)."""


ANSWERS_KEPT_THROUGH_SOS = frozenset({"comment", talk.AWAIT_MESSAGE, case_chat.AWAIT_MESSAGE})
"""Typed answers that still count when they also contain an emergency phrase: a
worker describing abuse in a comment gets the SOS card and keeps their comment; one
writing to a caseworker gets the card and their message is sent."""


@dataclass
class Turn:
    """The result of one message: the new state, the replies, the effects to apply."""

    state: dict[str, Any]
    messages: list[Outbound] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    @property
    def forget(self) -> bool:
        """True when the turn erases the person: no state is saved after it."""
        return any(isinstance(effect, Forget) for effect in self.effects)


class Engine:
    """Routes each message to a screen and collects the replies."""

    def __init__(
        self,
        content: ContentTree,
        catalogs: Catalogs,
        reads: RatingReads,
        *,
        min_reporters: int = 5,
        clock: Callable[[], dt.datetime] = utc_now,
        registries: Mapping[str, Registry] | None = None,
        cases: CaseReads | None = None,
        case_retention_days: int = 90,
        followups: FollowupReads | None = None,
        drafts: Sealer | None = None,
        replies: ReplyReads | None = None,
    ) -> None:
        """``reads`` answers the ratings' questions (consent, reports, summaries; never a write);
        ``registries`` are the recruiter registries by origin country (none: nothing to rate);
        ``cases`` reads the person's cases, None when cases are off (no ``CONTACT_KEY``);
        ``replies`` reads agencies' approved replies for the check screen;
        ``drafts`` seals a case's first message kept before the person agreed (a voice note)."""
        self.content = content
        self.cases = cases
        self.drafts = drafts
        self.case_retention_days = case_retention_days
        self.followups = followups
        self.catalogs = catalogs
        self.min_reporters = min_reporters
        self.clock = clock
        self._routes: dict[str, Route] = {}
        self._text: dict[str, TextHandler] = {}
        self._voice: dict[str, VoiceHandler] = {}
        for screen in _SCREENS:
            self._routes.update(screen.ROUTES)
            self._text.update(getattr(screen, "TEXT", {}))
            self._voice.update(getattr(screen, "VOICE", {}))
        self.ratings = Ratings(reads, registries or {}, min_reporters=min_reporters, clock=clock,
                               replies=replies)  # fmt: skip
        self._routes.update(ratings.routes(self.ratings))
        self._text.update(ratings.text_handlers(self.ratings))
        self._routes[navigation.BACK] = self._back
        self._sensitive_text = frozenset(ratings.text_handlers(self.ratings)) - {"agency"} | {
            talk.AWAIT_MESSAGE, case_chat.AWAIT_MESSAGE, case_chat.AWAIT_CONTACT
        }  # fmt: skip
        """Typed answers inside a sensitive flow (a rating's comment, a case message)."""
        self._numbers = ratings.NUMBER_ANSWERS | {
            talk.AWAIT_MESSAGE, case_chat.AWAIT_MESSAGE, case_chat.AWAIT_CONTACT
        }  # fmt: skip

    async def handle(self, inbound: Inbound, state: dict[str, Any] | None, pseudonym: str) -> Turn:
        session = Session.from_dict(state)
        ctx = Ctx(
            content=self.content,
            catalogs=self.catalogs,
            t=self.catalogs.translator(self._locale(session, inbound)),
            session=session,
            pseudonym=pseudonym,
            clock=self.clock,
            min_reporters=self.min_reporters,
            ratings=self.ratings,
            cases=self.cases,
            case_retention_days=self.case_retention_days,
            message_no=inbound.message_no,
            followups=self.followups,
            drafts=self.drafts if self.cases is not None else None,
        )
        discreet.note_message(session, inbound.message_no, self.clock())
        try:
            await self._dispatch(ctx, inbound)
            if ctx.sensitive:
                discreet.add_quick_exit(ctx)
        except StoreUnavailable:
            log.warning("store unavailable during a turn; the turn is rolled back")
            return self.could_not_save(inbound, state)
        except Exception as error:  # a person always gets an answer, never silence
            log.error("unexpected %s during a turn, at %s", type(error).__name__, _where(error))
            return self.went_wrong(inbound, state)
        shown = [message for message in ctx.out if message.choices]
        if shown:
            session.last = [[choice.id, choice.label] for choice in shown[-1].choices]
        return Turn(state=session.to_dict(), messages=ctx.out, effects=ctx.effects)

    def could_not_save(self, inbound: Inbound, state: dict[str, Any] | None) -> Turn:
        """The turn rolled back: the old state, no effects, and a request to try again."""
        session = Session.from_dict(state)
        t = self.catalogs.translator(self._locale(session, inbound))
        message = t(
            "Sorry, I could not save that just now. Nothing is lost: please try again in a minute."
        )
        again = [Choice(i, label) for i, label in session.last if i not in (MENU, SOS)]
        again += [Choice(MENU, "🏠 " + t("Menu")), Choice(SOS, "🆘 " + t("Help now"))]
        session.last = [[choice.id, choice.label] for choice in again]
        return Turn(state=session.to_dict(), messages=[Outbound(text=message,
                    choices=tuple(again), rtl=t.rtl)])  # fmt: skip

    def went_wrong(self, inbound: Inbound, state: dict[str, Any] | None) -> Turn:
        """An unexpected error: the old state, no effects, an apology, Menu and SOS."""
        session = Session.from_dict(state)
        t = self.catalogs.translator(self._locale(session, inbound))
        message = t("Sorry, something went wrong. Please try again, or use the menu.")
        choices = (Choice(MENU, "🏠 " + t("Menu")), Choice(SOS, "🆘 " + t("Help now")))
        session.last = [[choice.id, choice.label] for choice in choices]
        return Turn(
            state=session.to_dict(),
            messages=[Outbound(text=message, choices=choices, rtl=t.rtl)],
        )

    def _locale(self, session: Session, inbound: Inbound) -> str:
        """The person's chosen language, else the channel's hint, else the default."""
        if session.locale in self.content.site.locales:
            return session.locale
        hinted = self.catalogs.negotiate(inbound.locale_hint, self.content.site.locales)
        return hinted or self.content.default_locale

    async def _dispatch(self, ctx: Ctx, inbound: Inbound) -> None:
        if inbound.choice:
            await self._route(ctx, inbound.choice)
            return
        if inbound.media is not None and ctx.session.awaiting in self._voice:
            answer = self._voice[ctx.session.awaiting]
            ctx.session.awaiting = None
            await answer(ctx, inbound.media, inbound.media_ref)
            return
        if inbound.media is not None and not inbound.text:
            await self._media(ctx, inbound.media, inbound.media_ref)
            return
        text = (inbound.text or "").strip()
        if not text:
            await self._route(ctx, "menu" if ctx.session.locale else "start")
            return
        if text.startswith("/"):
            await self._command(ctx, text)
        elif (danger := self.content.danger(text)) is not None:
            awaiting = ctx.session.awaiting
            ctx.session.awaiting = None
            ctx.sensitive = True
            await sos.danger(ctx, danger)
            if awaiting in ANSWERS_KEPT_THROUGH_SOS and awaiting in self._text:
                await self._text[awaiting](ctx, text)  # SOS first, and their words are kept
        elif followups.is_stop_word(ctx, text):
            await self._route(ctx, followups.STOP)  # "stop" ends check-ins from anywhere
        elif (picked := _typed_choice(ctx.session, text, self._numbers)) is not None:
            await self._route(ctx, picked)
        elif (kind := self.content.kind_word(text)) is KindWord.MENU:
            await self._route(ctx, MENU)  # "menu" in English works in every language
        elif ctx.session.is_new and (code := start.language_named(ctx, text)):
            await self._route(ctx, f"lang:{code}")
        elif ctx.session.is_new:
            await self._route(ctx, "start")
        elif ctx.session.awaiting in self._text:
            ctx.sensitive = ctx.sensitive or ctx.session.awaiting in self._sensitive_text
            handler = self._text[ctx.session.awaiting]
            ctx.session.awaiting = None
            await handler(ctx, text)
        elif (number := typed_number(text)) is not None:
            if ctx.session.last:
                smalltalk.no_such_button(ctx, number, ctx.session)
            else:
                await self._route(ctx, MENU)
        elif kind is not None:
            await smalltalk.answer(ctx, kind)
        else:
            await search.run(ctx, text)

    async def _command(self, ctx: Ctx, text: str) -> None:
        word = text.split()[0].split("@")[0].casefold()
        route = COMMANDS.get(word)
        if route is None:
            ctx.say(ctx.t("I don't know that command. Here is the menu."))
            route = "menu"
        await self._route(ctx, route)

    async def _route(self, ctx: Ctx, choice_id: str) -> None:
        name, *args = choice_ids.current(choice_id).split(":")
        handler = self._routes.get(name)
        if handler is None:
            log.info("unknown route %r", name[:20])
            ctx.say(ctx.t("That button no longer works. Here is the menu."), home=False)
            handler, args = self._routes["menu"], []
        leaving = name not in case_chat.STAYS_IN_CASE and case_chat.in_case(ctx)
        ctx.session.awaiting = None  # a tap leaves any question unanswered; drafts stay in flow
        ctx.sensitive = ctx.sensitive or name in discreet.SENSITIVE_ROUTES
        if leaving and name != SOS:
            case_chat.left(ctx)  # typing no longer goes into the case: said before the screen
        await handler(ctx, args)
        if leaving and name == SOS:
            case_chat.left(ctx)  # help first

    async def _back(self, ctx: Ctx, args: list[str]) -> None:
        """Back: the screen before this one, else the button's parent screen."""
        await self._route(ctx, navigation.previous(ctx, ":".join(args)))

    async def _media(self, ctx: Ctx, media: Media, ref: str | None) -> None:
        if media is Media.VOICE:
            await voice_notes.voice_note(ctx, ref)
            return
        ctx.say(ctx.t("I can only read text for now. Please tap a button or type a few words."))
        await self._route(ctx, "menu")


def _typed_choice(session: Session, text: str, numbers: frozenset[str]) -> str | None:
    """A number ("2") or a label ("guides") typed instead of tapping a button.

    While a question waits for typed words, a number that matches a button is
    that button ("1" at the comment is Skip), except at the questions in
    ``numbers``, where a number is the answer (a licence number), as they say.
    """
    if not session.last:
        return None
    number = typed_number(text)
    if number is not None and session.awaiting not in numbers:
        index = number - 1
        return session.last[index][0] if 0 <= index < len(session.last) else None
    wanted = _plain(text)
    for choice_id, label in session.last:
        if _plain(label) == wanted:
            return choice_id
    return None


def _where(error: BaseException) -> str:
    """Where an error was raised (file:line), for the log: never its message, which may
    quote what the person typed."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"


def _plain(label: str) -> str:
    """A label without its icon, case-folded, for matching what someone typed."""
    return "".join(ch for ch in label if ch.isalnum() or ch.isspace()).strip().casefold()
