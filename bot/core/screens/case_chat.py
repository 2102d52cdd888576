"""An open case, from the person's side: writing more, a contact handle, closing.

While the person is on their case's screen, what they write goes into the
case (``AddCaseMessage``) and each message is confirmed "sent to <partner>";
Menu and Help now stay on every message. A tap on anything but the case's own
buttons leaves the case screen, and the bot says so once ("what you type now is
not sent to them", ``left``): what they type then is a search again, as
everywhere else, so a word typed to look something up never lands in a case by
mistake. The way back is "Talk to a person" or ``/talk``, or "Answer" under a
caseworker's reply (arriving as pushed messages, ``bot.core.case_buttons``).

A message for a case that is closed is never dropped in silence: the person
reads that it was not sent and is offered a new case (also when they typed it
right after closing the case themselves, or a caseworker closed it the moment
before: the runner then runs the turn again, ``TurnConflict``).

A case id in a button is never trusted alone: the case is read and must be
this person's and still open (Telegram callback data can be forged).

Route ids: ``case:<id>``, ``case:contact:<id>``, ``case:close:<id>``,
``case:closeok:<id>``, ``case:withdraw:<id>``; the case a typed message goes
to waits in ``flow["case"]``.
"""

from __future__ import annotations

from bot.content.partners import Partner
from bot.core.case_reads import MAX_CASE_MESSAGE, MAX_CONTACT
from bot.core.context import MENU, Ctx
from bot.core.effects import AddCaseMessage, CaseText, CloseCase, SetCaseContact
from bot.core.messages import Choice, Media
from casework.models import Case, CaseState

FLOW = "case"
NEXT_ID = "case_next"
"""The id the person's next case message will have, chosen in the turn before, so a
turn retried after a failed save adds it once (the case store keeps one per id)."""
CLOSED_FLOW = "case_closed"
AWAIT_MESSAGE = "case_message"
AWAIT_CONTACT = "case_contact"
AWAIT_AFTER_CLOSE = "case_after_close"
STAYS_IN_CASE = frozenset({"case", "talk"})
"""Routes that keep the person on their case's screen (its own buttons)."""


def too_long(ctx: Ctx, length: int) -> str:
    return ctx.t(
        "That message is {length} characters long; the limit is {limit}. "
        "Please send it in shorter parts. Nothing was sent.",
        length=length,
        limit=MAX_CASE_MESSAGE,
    )


def _partner_name(ctx: Ctx, partner_id: str) -> str:
    partner = ctx.content.partner(partner_id)
    return ctx.name(partner.name) if partner else partner_id


def _buttons(ctx: Ctx, case_id: str) -> list[Choice]:
    return [Choice(f"case:close:{case_id}", "✖️ " + ctx.t("Close this case"))]


def sent(ctx: Ctx, partner: Partner, case_id: str, *, first: bool = False) -> None:
    """The confirmation after a message went into the case."""
    t = ctx.t
    name = ctx.name(partner.name)
    ctx.session.flow[FLOW] = case_id
    ctx.session.flow[NEXT_ID] = ctx.new_item_id()
    if first:
        ctx.say(
            t("✅ Sent to {name}. Your case number is {case}. They answer you here, in this "
              "chat. You can write more at any time.", name=name, case=case_id),
            home=False,
        )  # fmt: skip
        ctx.session.awaiting = AWAIT_MESSAGE
        ctx.say(
            t("Do you also want {name} to be able to contact you outside this chat, for "
              "example by phone? Only if you want: it is not needed.", name=name),
            [Choice(f"case:contact:{case_id}", "📞 " + t("Yes, give a contact")),
             Choice(f"case:{case_id}", "💬 " + t("No, answer me here"))],
        )  # fmt: skip
        return
    ctx.session.awaiting = AWAIT_MESSAGE
    ctx.say(t("✅ Sent to {name}.", name=name), _buttons(ctx, case_id))


async def show(ctx: Ctx, case: Case) -> None:
    """The case screen: who has it, its state, and that what they write goes in."""
    t = ctx.t
    name = _partner_name(ctx, case.partner_id)
    states = {
        CaseState.NEW: t("waiting to be read"),
        CaseState.IN_PROGRESS: t("a caseworker is on it"),
        CaseState.CLOSED: t("closed"),
    }
    ctx.session.flow[FLOW] = case.id
    ctx.session.flow.setdefault(NEXT_ID, ctx.new_item_id())
    ctx.session.awaiting = AWAIT_MESSAGE
    ctx.say(
        t("💬 Case {case} with {name}: {state}. Write here to send them a message.",
          case=case.id, name=name, state=states[case.state]) + "\n"
        + t("What you write goes to {name} until you tap Menu.", name=name),
        _buttons(ctx, case.id),
    )  # fmt: skip


def in_case(ctx: Ctx) -> bool:
    """True while the person is on their case's screen (what they type goes in)."""
    return bool(ctx.session.flow.get(FLOW)) and ctx.session.awaiting in {
        AWAIT_MESSAGE, AWAIT_CONTACT}


def left(ctx: Ctx) -> None:
    """The person tapped away from their case's screen (``in_case`` was true): say once
    that typing no longer goes into the case, and how to come back."""
    case_id = str(ctx.session.flow.pop(FLOW, "") or "")
    ctx.say(
        ctx.t("You left case {case}: what you type now is not sent to the caseworkers. To "
              "write to them again, tap Talk to a person or type /talk.", case=case_id),
        home=False,
    )  # fmt: skip


def _not_sent(ctx: Ctx, case_id: str, partner_id: str) -> None:
    ctx.say(
        ctx.t("Case {case} is closed, so this message was not sent to {name}. To write to "
              "them again, start a new case.", case=case_id,
              name=_partner_name(ctx, partner_id)),
        [Choice("talk", "💬 " + ctx.t("Talk to a person"))],
    )  # fmt: skip


async def _mine(ctx: Ctx, case_id: str, *, unsent: bool = False) -> Case | None:
    """The case if it is this person's and open; else says so and returns None.

    ``unsent``: the person was sending a message, which is then said not to be sent."""
    found = await ctx.cases.get(case_id) if ctx.cases is not None and case_id else None
    if found is None or found.pseudonym != ctx.pseudonym or found.withdrawn:
        ctx.session.flow.pop(FLOW, None)
        if unsent:
            ctx.say(ctx.t("This case no longer exists, so your message was not sent."),
                    [Choice("talk", "💬 " + ctx.t("Talk to a person"))])
        else:
            ctx.say(ctx.t("This case no longer exists."))
        return None
    if found.state is CaseState.CLOSED:
        ctx.session.flow.pop(FLOW, None)
        if unsent:
            _not_sent(ctx, found.id, found.partner_id)
            return None
        ctx.say(
            ctx.t("This case is closed. To write to {name} again, start a new one.",
                  name=_partner_name(ctx, found.partner_id)),
            [Choice("talk", "💬 " + ctx.t("Talk to a person"))],
        )  # fmt: skip
        return None
    return found


async def case(ctx: Ctx, args: list[str]) -> None:
    if len(args) == 2 and args[0] in _ACTIONS:
        await _ACTIONS[args[0]](ctx, args[1])
        return
    found = await _mine(ctx, args[0] if args else "")
    if found is not None:
        await show(ctx, found)


async def _contact(ctx: Ctx, case_id: str) -> None:
    if await _mine(ctx, case_id) is None:
        return
    ctx.session.flow[FLOW] = case_id
    ctx.session.awaiting = AWAIT_CONTACT
    ctx.say(
        ctx.t("Write the phone number or account where they may contact you, and when is "
              "safe. Only the caseworkers see it; it is stored encrypted and deleted with "
              "the case.")
    )  # fmt: skip


async def _close(ctx: Ctx, case_id: str) -> None:
    found = await _mine(ctx, case_id)
    if found is None:
        return
    ctx.say(
        ctx.t("Close case {case}? {name} will see that you closed it, and you will not get "
              "their answers any more.", case=case_id,
              name=_partner_name(ctx, found.partner_id)),
        [Choice(f"case:closeok:{case_id}", "✖️ " + ctx.t("Yes, close it")),
         Choice(f"case:{case_id}", "↩️ " + ctx.t("No, keep it open"))],
    )  # fmt: skip


async def _closed(ctx: Ctx, case_id: str, *, withdrawn: bool = False) -> None:
    found = await _mine(ctx, case_id)
    if found is None:
        return
    ctx.emit(CloseCase(case_id, ctx.clock(), withdrawn=withdrawn))
    ctx.session.flow.pop(FLOW, None)
    # What they type next is answered: this case is closed, start a new one.
    ctx.session.flow[CLOSED_FLOW] = [found.id, found.partner_id]
    if withdrawn:
        text = ctx.t("Done: you took back your agreement, and case {case} is closed. The "
                     "caseworkers see that you withdrew.", case=case_id)  # fmt: skip
    else:
        text = ctx.t("Case {case} is closed. Thank you for writing.", case=case_id)
    ctx.say(text, [Choice(MENU, "🏠 " + ctx.t("Menu"))])
    ctx.session.awaiting = AWAIT_AFTER_CLOSE


async def after_close(ctx: Ctx, text: str) -> None:
    """Words typed right after the person closed their case: not sent, say so."""
    closed = ctx.session.flow.pop(CLOSED_FLOW, None)
    if isinstance(closed, list) and len(closed) == 2:
        _not_sent(ctx, str(closed[0]), str(closed[1]))
        return
    ctx.say(ctx.t("This case no longer exists, so your message was not sent."),
            [Choice("talk", "💬 " + ctx.t("Talk to a person"))])


async def _close_confirmed(ctx: Ctx, case_id: str) -> None:
    await _closed(ctx, case_id)


async def _withdraw(ctx: Ctx, case_id: str) -> None:
    await _closed(ctx, case_id, withdrawn=True)


_ACTIONS = {
    "contact": _contact,
    "close": _close,
    "closeok": _close_confirmed,
    "withdraw": _withdraw,
}


async def message(ctx: Ctx, text: str) -> None:
    await _add(ctx, text, None)


async def voice(ctx: Ctx, media: Media, ref: str | None) -> None:
    if media is not Media.VOICE or not ref:
        ctx.session.awaiting = AWAIT_MESSAGE
        ctx.say(ctx.t("I could not keep that. Please write your message, or send a voice message."))
        return
    await _add(ctx, "", ref)


async def _add(ctx: Ctx, text: str, ref: str | None) -> None:
    found = await _mine(ctx, str(ctx.session.flow.get(FLOW) or ""), unsent=True)
    if found is None:
        return
    if len(text) > MAX_CASE_MESSAGE:
        ctx.session.awaiting = AWAIT_MESSAGE
        ctx.say(too_long(ctx, len(text)), _buttons(ctx, found.id))
        return
    now = ctx.clock()
    message_id = str(ctx.session.flow.pop(NEXT_ID, "") or ctx.new_item_id())
    ctx.emit(AddCaseMessage(found.id, CaseText(message_id, now, text=text, voice_ref=ref)))
    partner = ctx.content.partner(found.partner_id)
    if partner is None:
        ctx.session.awaiting = AWAIT_MESSAGE
        ctx.session.flow[NEXT_ID] = ctx.new_item_id()
        ctx.say(ctx.t("✅ Sent."), _buttons(ctx, found.id))
        return
    sent(ctx, partner, found.id)


async def contact(ctx: Ctx, text: str) -> None:
    found = await _mine(ctx, str(ctx.session.flow.get(FLOW) or ""))
    if found is None:
        return
    handle = " ".join(text.split())
    if len(handle) > MAX_CONTACT:
        ctx.session.awaiting = AWAIT_CONTACT
        ctx.say(ctx.t("That is too long for a contact (at most {limit} characters). Please "
                      "write only the number or the account.", limit=MAX_CONTACT))  # fmt: skip
        return
    ctx.emit(SetCaseContact(found.id, ctx.clock(), handle))
    ctx.session.awaiting = AWAIT_MESSAGE
    ctx.say(
        ctx.t("Saved. {name} may contact you there. Anything you write here still goes "
              "into your case.", name=_partner_name(ctx, found.partner_id)),
        _buttons(ctx, found.id),
    )  # fmt: skip


ROUTES = {"case": case}
TEXT = {AWAIT_MESSAGE: message, AWAIT_CONTACT: contact, AWAIT_AFTER_CLOSE: after_close}
VOICE = {AWAIT_MESSAGE: voice}
