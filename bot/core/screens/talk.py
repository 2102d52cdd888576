"""``/talk``: leave a message for a partner organisation's caseworkers.

Reached by ``/talk``, the "Talk to a person" button of the SOS card (which
carries the danger category, so the case is urgent), the help offered after a
rating that describes abuse, and Find help. The person first sees who will
read the message (name, languages, hours, how fast it answers, source) and
agrees to this case in plain words (``CASE_CONSENT_VERSION``); then they
write (or send a voice note) and the case opens with that first message
(``OpenCase``), so their words never wait in the conversation state. A
contact outside the chat is asked for only if they want one (``case_chat``).

Without ``CONTACT_KEY`` (``ctx.cases`` is None) no case is opened: the screen
names the partner and how to reach it directly. A partner that has not agreed
to take cases (``status: example``) is named as such, with its own contacts.

A voice note sent before any of this (``voice_notes``) need not be sent again:
it waits in ``flow["talk"]["voice"]``, sealed with ``CONTACT_KEY`` for this person
(``keep_voice``), and becomes the case's first message the moment they agree;
"No, not now" drops it.

Route ids: ``talk[:<category>[:<cc>]]`` (``-`` for none), ``talk:p:<partner>``,
``talk:ok``, ``talk:no``; the entry's category and country wait in ``flow["talk"]``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from bot.content.partners import Partner
from bot.core.case_reads import CASE_CONSENT_VERSION, MAX_CASE_MESSAGE
from bot.core.context import Ctx
from bot.core.effects import CaseText, OpenCase
from bot.core.messages import Choice, Media
from bot.core.screens import case_chat
from bot.i18n import language_name
from casework.sealing import SealingError

FLOW = "talk"
VOICE_DRAFT = "voice"
NONE = "-"
AWAIT_MESSAGE = "talk_message"


def talk_choice(ctx: Ctx, category: str | None = None, country: str | None = None) -> Choice:
    """The "Talk to a person" button, keeping the danger category and the country."""
    route = "talk"
    if category or country:
        route += f":{category or NONE}"
    if country:
        route += f":{country}"
    return Choice(route, "💬 " + ctx.t("Talk to a person"))


async def talk(ctx: Ctx, args: list[str]) -> None:
    if args and args[0] == "p" and len(args) > 1:
        await _partner(ctx, args[1])
        return
    if args and args[0] == "ok":
        await _agreed(ctx)
        return
    if args and args[0] == "no":
        ctx.session.flow.pop(FLOW, None)  # a kept voice note goes with it
        from bot.core.screens import start  # start -> sos -> talk: imported when needed

        await start.main_menu(ctx, [])
        return
    category = args[0] if args and args[0] != NONE else None
    country = args[1] if len(args) > 1 and ctx.content.country(args[1]) else None
    if category is not None and ctx.content.danger_category(category) is None:
        category = None
    if country and _is_destination(ctx, country):
        ctx.session.destination = country
    if ctx.cases is not None:
        mine = await ctx.cases.cases_of(ctx.pseudonym)
        if mine and category is None:
            await case_chat.show(ctx, mine[-1])
            return
    kept = _flow(ctx).get(VOICE_DRAFT)
    ctx.session.flow[FLOW] = {"category": category, "country": country}
    if isinstance(kept, str):
        ctx.session.flow[FLOW][VOICE_DRAFT] = kept
    code = country or ctx.session.destination or ctx.session.origin
    if code is None:
        codes = sorted({c for p in ctx.content.partners for c in p.countries})
        ctx.say(
            ctx.t("Which country are you in? I will tell you who can read your message."),
            [Choice(f"talk:{category or NONE}:{c.id[2:]}", c.label)
             for c in ctx.country_choices("c", codes)],
        )  # fmt: skip
        return
    partners = ctx.content.partners_for(code, ctx.session.origin, ctx.locale)
    if not partners:
        ctx.say(
            ctx.t(
                "I know no organisation yet that takes messages for {country}. "
                "Here are the numbers that help now.",
                country=ctx.country_name(code),
            ),
            [Choice(f"find:{code}", "📞 " + ctx.t("Find help"))],
        )
        return
    if len(partners) == 1:
        await _partner(ctx, partners[0].id)
        return
    ctx.say(
        ctx.t("Who should read your message?"),
        [Choice(f"talk:p:{p.id}", ctx.name(p.name)[:60]) for p in partners],
    )


def _is_destination(ctx: Ctx, code: str) -> bool:
    return any(country.code == code for country in ctx.content.destinations())


async def _partner(ctx: Ctx, partner_id: str) -> None:
    partner = ctx.content.partner(partner_id)
    if partner is None:
        await talk(ctx, [])
        return
    t = ctx.t
    ctx.say(partner_card(ctx, partner), home=False)
    if ctx.cases is None or not partner.onboarded:
        if ctx.cases is None:
            lead = t("Messages to caseworkers are switched off on this service.")
        else:
            lead = t(
                "ℹ️ {name} has not agreed to read messages from this service yet. "
                "This is a test set-up: what you write here is read only by the people "
                "running it, not by {name}.",
                name=ctx.name(partner.name),
            )
        ctx.say(
            lead + "\n" + t("To reach {name} yourself:", name=ctx.name(partner.name)) + "\n"
            + direct_lines(ctx, partner),
            home=False,
        )  # fmt: skip
        if ctx.cases is None:
            ctx.say(t("If you are in danger now, tap Help now."))
            return
    if partner.opening is not None and not partner.opening.is_open(ctx.clock()):
        ctx.say(outside_hours(ctx, partner), home=False)
    flow = _flow(ctx)
    flow["partner"] = partner.id
    ctx.say(
        t(
            "Before you write: your message goes to the caseworkers of {name}. They see "
            "what you write, your language, your country and a case number; never your "
            "name, phone number or account. They answer you here, in this chat. Your "
            "message is stored encrypted. The case is deleted {days} days after it is "
            "closed, and /forget deletes it at any time. Do you agree to send them a message?",
            name=ctx.name(partner.name),
            days=ctx.case_retention_days,
        ),
        [
            Choice("talk:ok", "✅ " + t("Yes, I agree")),
            Choice("talk:no", "↩️ " + t("No, not now")),
        ],
    )


def partner_card(ctx: Ctx, partner: Partner) -> str:
    """Who reads the message: name, what it does, languages, hours, speed, source."""
    t = ctx.t
    unknown = t("not stated")
    lines = [f"👥 {ctx.name(partner.name)}"]
    if partner.about:
        lines.append(ctx.name(partner.about))
    lines.append(
        t("Languages: {languages}",
          languages=", ".join(language_name(code) for code in partner.languages))
    )  # fmt: skip
    lines.append(t("Hours: {hours}", hours=ctx.name(partner.hours) if partner.hours else unknown))
    answers = ctx.name(partner.answers_within) if partner.answers_within else unknown
    lines.append(t("Usually answers: {when}", when=answers))
    source = partner.sources[0]
    cited = f"{source.title} ({source.date})" if source.date else source.title
    lines.append(t("Source: {source}", source=cited))
    return "\n".join(lines)


def outside_hours(ctx: Ctx, partner: Partner) -> str:
    """Closed now: when it reads messages, and the numbers that help at once."""
    t = ctx.t
    lines = [
        t("🕒 {name} is closed now. Hours: {hours}. You can still write: they read it when "
          "they open.", name=ctx.name(partner.name), hours=ctx.name(partner.hours)),
    ]  # fmt: skip
    code = ctx.session.destination or ctx.session.origin
    country = ctx.content.country(code) if code else None
    if country is not None and country.emergency:
        lines.append(t("🆘 If you are in danger now, call:"))
        lines += [f"☎️ {ctx.name(n.service)}: {t.isolate(n.number)}" for n in country.emergency]
    else:
        lines.append(t("If you are in danger now, tap Help now."))
    return "\n".join(lines)


def direct_lines(ctx: Ctx, partner: Partner) -> str:
    contact = partner.direct
    lines = [f"📞 {ctx.t.isolate(phone)}" for phone in contact.phones]
    if contact.whatsapp:
        lines.append(f"💬 WhatsApp {ctx.t.isolate(contact.whatsapp)}")
    if contact.email:
        lines.append(f"✉️ {contact.email}")
    if contact.website:
        lines.append(f"🌐 {contact.website}")
    return "\n".join(lines)


def _flow(ctx: Ctx) -> dict[str, object]:
    found = ctx.session.flow.get(FLOW)
    if not isinstance(found, dict):
        found = {"category": None, "country": None}
        ctx.session.flow[FLOW] = found
    return found


async def _agreed(ctx: Ctx) -> None:
    flow = _flow(ctx)
    partner = ctx.content.partner(str(flow.get("partner") or ""))
    if partner is None or ctx.cases is None:
        await talk(ctx, [])
        return
    flow["consent_at"] = ctx.clock().isoformat()
    flow["case_id"] = flow.get("case_id") or ctx.new_case_id()
    flow["message_id"] = flow.get("message_id") or ctx.new_item_id()
    if (ref := _kept_voice(ctx)) is not None:
        ctx.say(ctx.t("Your voice message goes to them as your first message: you do not "
                      "need to send it again."), home=False)  # fmt: skip
        await _open(ctx, "", ref)
        return
    ctx.session.awaiting = AWAIT_MESSAGE
    ctx.say(
        ctx.t(
            "Write your message now, in your own words and your own language: what "
            "happened, where you are, what you need. You can also send a voice message. "
            "At most {limit} characters.",
            limit=MAX_CASE_MESSAGE,
        )
    )


async def message(ctx: Ctx, text: str) -> None:
    """The first message: the case opens with it."""
    await _open(ctx, text, None)


async def voice(ctx: Ctx, media: Media, ref: str | None) -> None:
    """A voice note as the first message: kept as audio (its sealed channel reference)."""
    if media is not Media.VOICE or not ref:
        ctx.session.awaiting = AWAIT_MESSAGE
        ctx.say(ctx.t("I could not keep that. Please write your message, or send a voice message."))
        return
    await _open(ctx, "", ref)


async def _open(ctx: Ctx, text: str, ref: str | None) -> None:
    flow = _flow(ctx)
    partner = ctx.content.partner(str(flow.get("partner") or ""))
    if partner is None or ctx.cases is None or not flow.get("case_id"):
        await talk(ctx, [])
        return
    if len(text) > MAX_CASE_MESSAGE:
        ctx.session.awaiting = AWAIT_MESSAGE
        ctx.say(case_chat.too_long(ctx, len(text)))
        return
    kept = flow.get("category")
    category = kept if isinstance(kept, str) else None
    if category is None and text and (found := ctx.content.danger(text)) is not None:
        category = found.category  # their own words speak of a danger: urgent too
    now = ctx.clock()
    case_id = str(flow["case_id"])
    country = ctx.session.destination or ctx.session.origin
    ctx.emit(
        OpenCase(
            case_id=case_id,
            partner_id=partner.id,
            at=now,
            consent_version=CASE_CONSENT_VERSION,
            consent_at=dt.datetime.fromisoformat(str(flow.get("consent_at") or now.isoformat())),
            locale=ctx.locale,
            country=country,
            urgent=category is not None,
            danger=category,
            first=CaseText(str(flow["message_id"]), now, text=text, voice_ref=ref),
        )
    )
    ctx.session.flow.pop(FLOW, None)
    case_chat.sent(ctx, partner, case_id, first=True)


def _draft_context(ctx: Ctx) -> bytes:
    return b"case-draft-voice:" + ctx.pseudonym.encode()


def keep_voice(ctx: Ctx, ref: str) -> bool:
    """Keep a voice note sent before a case, sealed, as the draft of the case to come.

    False when it cannot be kept (cases off): the person is then told how to reach
    the partner directly, as before."""
    if ctx.drafts is None or not ref:
        return False
    sealed = ctx.drafts.seal(ref.encode(), context=_draft_context(ctx))
    _flow(ctx)[VOICE_DRAFT] = base64.b64encode(sealed).decode("ascii")
    return True


def _kept_voice(ctx: Ctx) -> str | None:
    kept = _flow(ctx).pop(VOICE_DRAFT, None)
    if not isinstance(kept, str) or ctx.drafts is None:
        return None
    try:
        return ctx.drafts.open(base64.b64decode(kept), context=_draft_context(ctx)).decode()
    except (SealingError, binascii.Error, UnicodeDecodeError):
        return None  # sealed under a key since removed: they are asked to write instead


ROUTES = {"talk": talk}
TEXT = {AWAIT_MESSAGE: message}
VOICE = {AWAIT_MESSAGE: voice}
