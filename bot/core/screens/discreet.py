"""Discreet mode: the quick exit, and notifications that say nothing.

Someone who reads about their rights while an employer or a broker may look at
their phone needs to hide the chat in one tap. ``/exit``, and the "✖ Quick exit"
button on every sensitive screen (the SOS card, the rating questions, the
screens of ``/talk`` and of a case, ``/mydata``), answer with a neutral screen
in the person's language: a page of notes with nothing in it, no menu of
rights or agencies, no help button, and one neutral button back to the menu.

The neutral screen carries an ``Erase``: the channel removes what it can of the
conversation before showing it. On Telegram the person's and the bot's
messages of a private chat share one numbering (``Inbound.message_no``), and a
bot may delete both kinds for 48 hours, so the session keeps *marks* (a
message number and its minute, one every ``MARK_EVERY``) and the erase runs
from the oldest mark still inside those 48 hours to the current message and
the few the bot sent after it. No message id the bot sent is needed, which
matters because a reply that rides in the webhook's answer never gets one
back. Messages just before the oldest kept mark (at most ``MARK_EVERY`` of
them, all about to pass the 48 hours) are not covered. On WhatsApp nothing
can be deleted by the bot: the channel explains how to do it by hand. The
terminal clears its screen.

Notifications: a person can choose that what the bot sends when they did not
just write (a check-in, a caseworker's reply) announces itself only as "You
have a new message" (``Session.notify``), like the ``/audio`` preference.
The senders read it with ``notify_neutral`` and send ``notice_message``
(``bot.core.notices``, which they may import).

Route ids: ``exit``, ``notify``, ``notify:neutral``, ``notify:full``, ``inbox``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.core.context import EXIT, MENU, SOS, Ctx
from bot.core.messages import Choice, Erase
from bot.core.notices import INBOX, NEUTRAL
from bot.core.session import Session

NOTIFY = "notify"
FULL = "full"

DELETABLE = dt.timedelta(hours=48)
"""How long after a message a Telegram bot may still delete it in a private chat."""
MARK_EVERY = dt.timedelta(hours=3)
"""A new mark once the newest is this old: at most 17 marks cover 48 hours."""
AFTER = 30
"""Messages the bot may have sent after the last one the person sent or pressed: a turn
sends a few, an article's pages a few more. Numbers not used yet are skipped."""
MOST = 5_000
"""At most this many message numbers are erased (50 calls of 100): a very long day."""

SENSITIVE_ROUTES = frozenset({
    "sos", "talk", "case", "mydata", "consent", "answer", "pick", "rate", "withdraw",
})
"""Screens that show what a person would not want seen: they get the quick exit."""


def note_message(session: Session, number: int | None, now: dt.datetime) -> None:
    """Keep the marks of the conversation up to date with the message being handled.

    Changes the session at most once every ``MARK_EVERY``, so a conversation's
    state is not rewritten for every message.
    """
    if number is None:
        return
    minute = _minute(now)
    window = _minutes(DELETABLE)
    marks = [mark for mark in session.marks if minute - mark[1] < window and mark[0] <= number]
    if not marks or minute - marks[-1][1] >= _minutes(MARK_EVERY):
        marks.append([number, minute])
    if marks != session.marks:
        session.marks = marks


def erase_range(session: Session, number: int | None, now: dt.datetime) -> Erase:
    """The message numbers to delete for a quick exit at message ``number``."""
    if number is None:
        return Erase()
    window = _minutes(DELETABLE)
    minute = _minute(now)
    kept = [mark[0] for mark in session.marks if minute - mark[1] < window]
    first = min([*kept, number])
    last = number + AFTER
    return Erase(first=max(first, last - MOST + 1, 1), last=last)


def quick_exit_choice(ctx: Ctx) -> Choice:
    return Choice(EXIT, "✖ " + ctx.t("Quick exit"))


def add_quick_exit(ctx: Ctx) -> None:
    """Put the quick exit on the last message with the menu's buttons, before Menu."""
    for index in range(len(ctx.out) - 1, -1, -1):
        message = ctx.out[index]
        ids = [choice.id for choice in message.choices]
        if EXIT in ids:
            return
        if MENU in ids or SOS in ids:
            at = ids.index(MENU) if MENU in ids else ids.index(SOS)
            choices = (*message.choices[:at], quick_exit_choice(ctx), *message.choices[at:])
            ctx.out[index] = replace(message, choices=choices)
            return


async def quick_exit(ctx: Ctx, args: list[str]) -> None:
    """The neutral screen, after the channel removed what it can of the conversation."""
    erase = erase_range(ctx.session, ctx.message_no, ctx.clock())
    ctx.session.marks = []
    ctx.session.nav = []
    text = "📝 " + ctx.t("Notes") + "\n\n" + ctx.t("No notes yet.")
    # TRANSLATORS: the one button of the neutral screen after a quick exit; say nothing more.
    ctx.say(text, [Choice(MENU, ctx.t("Continue"))], home=False)
    ctx.out[-1] = replace(ctx.out[-1], erase=erase)


def mydata_line(ctx: Ctx) -> str:
    if ctx.session.notify == NEUTRAL:
        return ctx.t('Notifications: only "You have a new message".')
    return ctx.t("Notifications: with their own words.")


async def mydata_lines(ctx: Ctx) -> list[str]:
    return [mydata_line(ctx)]


async def mydata_actions(ctx: Ctx) -> list[Choice]:
    return [Choice(NOTIFY, "🔕 " + ctx.t("Discreet notifications"))]


async def preference(ctx: Ctx, args: list[str]) -> None:
    """``notify:neutral`` / ``notify:full`` set it; ``notify`` explains and asks."""
    choice = args[0] if args else ""
    if choice == NEUTRAL:
        ctx.session.notify = NEUTRAL
        ctx.say(ctx.t('From now on, when I write to you first, the notification says only '
                      '"You have a new message". Tap Open under it to read it.'))
    elif choice == FULL:
        ctx.session.notify = FULL
        ctx.say(ctx.t("From now on, my messages show their own words in notifications."))
    else:
        ctx.say(
            ctx.t("When I write to you first (a check-in, a reply from a caseworker), the "
                  "notification on your phone can show my words, or only "
                  '"You have a new message", so that someone who sees your phone learns '
                  "nothing."),
            [
                Choice(f"{NOTIFY}:{NEUTRAL}", "🔕 " + ctx.t("Only “You have a new message”")),
                Choice(f"{NOTIFY}:{FULL}", "🔔 " + ctx.t("Show the words")),
            ],
        )


async def inbox(ctx: Ctx, args: list[str]) -> None:
    """Open under a neutral notice: the waiting messages follow (sent by their sender).

    Worded to be true also when nothing waits any more (Open tapped a second time, or
    under an old notice): the engine cannot see what the senders hold."""
    ctx.say(ctx.t("Any messages waiting for you follow now."), home=False)


def _minute(moment: dt.datetime) -> int:
    return int(moment.timestamp() // 60)


def _minutes(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 60)


ROUTES = {EXIT: quick_exit, NOTIFY: preference, INBOX: inbox}
