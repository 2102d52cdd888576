"""What every screen gets: the person's session, their language, the content, the reads.

Screens build replies through ``Ctx.say`` so that every menu carries the help
button and the way home, and every reply knows its text direction. They never
write: a change beyond the session is an effect (``Ctx.emit``) that the runner
applies with the new state in one unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.content import ContentTree
from bot.content.audio import AudioFile
from bot.core.case_reads import CaseReads
from bot.core.effects import Effect, Forget
from bot.core.followup_reads import FollowupReads
from bot.core.messages import Audio, Choice, Outbound
from bot.core.session import Session
from bot.i18n import Catalogs, Translator
from casework.models import new_case_id, new_item_id
from casework.sealing import Sealer
from recruiter_reports.ratings import Ratings

SOS = "sos"
MENU = "menu"
EXIT = "exit"
"""The quick exit (``bot.core.screens.discreet``)."""


@dataclass
class Ctx:
    """One turn of one conversation."""

    content: ContentTree
    catalogs: Catalogs
    t: Translator
    session: Session
    pseudonym: str
    clock: Callable[[], dt.datetime]
    min_reporters: int
    ratings: Ratings | None = None
    """The ratings service (reads only), for screens outside the ratings flow (``/mydata``)."""
    cases: CaseReads | None = None
    """The person's cases (reads only); None when cases are off (no ``CONTACT_KEY``)."""
    case_retention_days: int = 90
    message_no: int | None = None
    """The chat's number of the message being answered (``Inbound.message_no``)."""
    sensitive: bool = False
    """This turn shows a screen someone may not want seen: it gets the quick exit."""
    followups: FollowupReads | None = None
    """The person's check-ins (reads only); None when follow-ups are off (no ``CONTACT_KEY``)."""
    drafts: Sealer | None = None
    """Seals what a person sent for a case that is not open yet (a voice note before they
    agreed), so it waits in the conversation state only sealed; None when cases are off."""
    new_case_id: Callable[[], str] = new_case_id
    new_item_id: Callable[[], str] = new_item_id
    out: list[Outbound] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    @property
    def forget(self) -> bool:
        """True when this turn erases the person (the runner then saves no state)."""
        return any(isinstance(effect, Forget) for effect in self.effects)

    def emit(self, effect: Effect) -> None:
        """Ask the runner to apply ``effect`` with this turn's state (all or nothing)."""
        self.effects.append(effect)

    @property
    def locale(self) -> str:
        return self.t.locale

    def use_locale(self, code: str) -> None:
        """Switch this turn and the person's future turns to another language."""
        self.session.locale = code
        self.t = self.catalogs.translator(code)

    def say(
        self,
        text: str,
        choices: Iterable[Choice] = (),
        *,
        home: bool = True,
        end: bool = False,
        audio: Audio | None = None,
    ) -> None:
        """Queue a message; ``home`` adds "Menu" and "Help now" to its buttons."""
        buttons = list(choices)
        if home and not end:
            ids = {choice.id for choice in buttons}
            if MENU not in ids:
                buttons.append(self.menu_choice())
            if SOS not in ids:
                buttons.append(self.sos_choice())
        self.out.append(
            Outbound(text=text, choices=tuple(buttons), rtl=self.t.rtl, end=end, audio=audio)
        )

    def audio(self, recording: AudioFile) -> Audio:
        """A recording of the tree as the channels send it, with the note shown when
        it cannot be sent, in the person's language."""
        return Audio(
            path=str(recording.path),
            seconds=recording.seconds,
            key=recording.digest,
            unavailable=self.t(
                "(The recording could not be sent just now. Please try again later.)"
            ),
        )

    def sos_choice(self) -> Choice:
        return Choice(SOS, "🆘 " + self.t("Help now"))

    def menu_choice(self) -> Choice:
        return Choice(MENU, "🏠 " + self.t("Menu"))

    def name(self, localized: dict[str, str]) -> str:
        """A content text in the person's language (else the site default)."""
        return self.content.text(localized, self.locale)

    def country_name(self, code: str) -> str:
        return self.content.country_name(code, self.locale)

    def country_choices(self, prefix: str, codes: Sequence[str]) -> list[Choice]:
        """One button per country, in the same order on every screen and every visit.

        Destinations before origins, each group by the name the person reads,
        so a list never reshuffles after a choice and is easy to scan.
        """
        destinations = {country.code for country in self.content.destinations()}
        unique = list(dict.fromkeys(codes))
        ordered = sorted(
            unique, key=lambda c: (c not in destinations, self.country_name(c).casefold(), c)
        )
        return [Choice(f"{prefix}:{code}", self.country_name(code)) for code in ordered]


Route = Callable[[Ctx, list[str]], Awaitable[None]]
"""A screen: opened by a button id ``name:arg:arg`` with its args."""
TextHandler = Callable[[Ctx, str], Awaitable[None]]
"""The answer to a free-text question a flow asked (``Session.awaiting``)."""
