"""The rating questionnaire: consent, the questions, a review, and the thank-you.

The draft lives in ``Session.flow["rate"]`` (answers and the agency; nothing
that names the person) until it is sent. It survives ``/sos`` and the menu:
tapping "Rate an agency" again resumes it. A draft older than ``DRAFT_TTL`` is
dropped, and the person told, when they come back to it. Every question can
be answered "Prefer not to say" ("-"), stored as no answer, and every question
after the first has Back, which takes the last answer back and asks it again.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from bot.core.choice_ids import ANSWER
from bot.core.context import MENU, Ctx, Route, TextHandler
from bot.core.effects import GiveConsent, SubmitReport
from bot.core.messages import Choice
from bot.core.screens import fees, followups, report_help
from bot.core.screens.rating_steps import (
    BACK,
    TYPED,
    answer_text,
    ask,
    moot,
    moot_answer,
    question,
    report_value,
    steps,
    valid,
)
from recruiter_reports import questionnaire
from recruiter_reports.names import NameKind, Refusal, clean_name
from recruiter_reports.questionnaire import PREFER_NOT, Kind
from recruiter_reports.ratings import CONSENT_VERSION, RatingLimitReached, Ratings
from recruiter_reports.registry import Recruiter, is_pending_id
from recruiter_reports.reports import COMMENT_MAX, NAME_MAX
from recruiter_reports.scrub import scrub

DRAFT_TTL = dt.timedelta(hours=24)
"""An unfinished rating is dropped after this long: answers go stale, and we keep little."""


def routes(service: Ratings) -> dict[str, Route]:
    return {"consent": partial(consent_answer, service), ANSWER: partial(answer, service)}


def text_handlers(service: Ratings) -> dict[str, TextHandler]:
    """The typed answer of every free-text question (the comment, the broker's name)."""
    return {
        step: partial(text_typed, service, step)
        for step in steps()
        if question(step).kind in TYPED
    }


async def begin(service: Ratings, ctx: Ctx, recruiter: Recruiter) -> None:
    """Start a rating of ``recruiter``: the limits, then consent (first time), then questions."""
    if not await service.may_rate(ctx.pseudonym, recruiter.id):
        ctx.say(
            ctx.t.plural(
                "You have sent {n} new rating today. To keep ratings fair, please come back "
                "tomorrow to rate another agency.",
                "You have sent {n} new ratings today. To keep ratings fair, please come back "
                "tomorrow to rate another agency.",
                service.limits.daily,
            )
        )
        return
    ctx.session.flow["rate"] = {
        "rid": recruiter.id,
        "name": recruiter.name,
        "origin": recruiter.country,
        "started": ctx.clock().timestamp(),
        "answers": {},
    }
    if await service.rated_before(ctx.pseudonym, recruiter.id):
        ctx.say(
            ctx.t("You rated this agency before. Your new answers will replace the old ones."),
            home=False,
        )
    if not await service.has_consent(ctx.pseudonym):
        _ask_consent(ctx, service.min_reporters)
        return
    await _next(ctx)


async def resume(service: Ratings, ctx: Ctx) -> bool:
    """Continue an unfinished draft; True when there was one (an expired one is announced)."""
    draft = _draft(ctx)
    if draft is None:
        _expired_notice(ctx, offer_restart=False)
        return False
    ctx.say(ctx.t("Let us continue your rating of {name}.", name=draft["name"]), home=False)
    if not await service.has_consent(ctx.pseudonym):
        _ask_consent(ctx, service.min_reporters)
        return True
    await _next(ctx)
    return True


def _ask_consent(ctx: Ctx, k: int) -> None:
    t = ctx.t
    text = "\n".join(
        [
            t("Before you rate, please read this:"),
            "• " + t("Your answers are anonymous. We never keep your name, phone number "
                     "or account."),
            "• " + t("We keep your answers and the date, under a secret code, so that you "
                     "can delete them."),
            "• " + t("Workers, officials and groups that protect workers see only totals, "
                     "and only when {k} or more people rated the agency.", k=t.number(k)),
            "• " + t("A comment is read only by our team, after we remove phone numbers "
                     "and ID numbers."),
            "• " + t("You can delete your answers at any time: type /forget."),
            t("Do you agree?"),
        ]
    )  # fmt: skip
    ctx.say(
        text,
        [
            Choice("consent:yes", "✅ " + ctx.t("Yes, I agree")),
            Choice("consent:no", "❌ " + ctx.t("No, thanks")),
        ],
    )


async def consent_answer(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    if _draft(ctx) is None:
        _gone(ctx)
        return
    if args != ["yes"]:
        ctx.session.flow.pop("rate", None)
        ctx.say(
            ctx.t(
                "No problem. Nothing was kept. You can still check agencies, "
                "and rate one later if you wish."
            )
        )
        return
    ctx.emit(GiveConsent(CONSENT_VERSION, ctx.clock()))
    await _next(ctx)


async def answer(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    """``answer:<step>:<value>``, ``answer:back``, ``answer:send`` or ``answer:again``."""
    draft = _draft(ctx)
    if draft is None:
        if not _expired_notice(ctx, offer_restart=True):
            _gone(ctx)
        return
    if args == ["send"]:
        await _send(service, ctx, draft)
        return
    if args == ["again"]:
        draft["answers"] = {}
        await _next(ctx)
        return
    if args == BACK.split(":")[1:]:
        _back(draft["answers"])
        await _next(ctx)
        return
    if len(args) == 2 and args[0] in steps() and valid(ctx, draft, args[0], args[1]):
        answers = draft["answers"]
        answers[args[0]] = args[1]
        if question(args[0]).kind is Kind.COUNTRY and args[1] not in (PREFER_NOT, "other"):
            ctx.session.destination = args[1]  # where SOS should look first
        for step in steps():
            if step not in answers and moot(step, answers):
                answers[step] = moot_answer(step, answers)  # no payment, no receipt to ask about
    await _next(ctx)


def _back(answers: dict[str, Any]) -> None:
    """Take back the last answer given (and the moot ones filled in after it)."""
    order = steps()
    answered = [step for step in order if step in answers]
    while answered:
        step = answered.pop()
        answers.pop(step)
        if not moot(step, answers):
            return


async def text_typed(service: Ratings, step: str, ctx: Ctx, text: str) -> None:
    """Scrubbed at once, so a phone number never reaches even the draft; a name that
    names the worker is refused and asked again (``recruiter_reports.names``)."""
    draft = _draft(ctx)
    if draft is None:
        _gone(ctx)
        return
    if question(step).kind is Kind.NAME:
        name = clean_name(text, NameKind.BROKER)
        if isinstance(name, Refusal):
            ctx.say(ctx.t("To keep you safe, please do not write your own name. Type only the "
                          "name of the sub-agent or broker, or tap Skip."), home=False)  # fmt: skip
            ask(ctx, step, draft)
            return
        draft["answers"][step] = name.text
        await _next(ctx)
        return
    cleaned = scrub(text.strip()[:COMMENT_MAX])
    draft["answers"][step] = cleaned.text
    draft["removed"] = sum(cleaned.removed.values())
    await _next(ctx)


async def _next(ctx: Ctx) -> None:
    draft = _draft(ctx)
    if draft is None:
        _gone(ctx)
        return
    answers = draft["answers"]
    for step in steps():
        if step not in answers:
            ask(ctx, step, draft)
            return
    _review(ctx, draft)


def _review(ctx: Ctx, draft: dict[str, Any]) -> None:
    lines = [ctx.t("Please check your answers about {name}:", name=draft["name"]), ""]
    for step in steps():
        lines.append(answer_text(ctx, step, draft))
    if draft.get("removed"):
        lines.append(
            ctx.t("To protect you, we removed phone numbers or ID numbers from your comment.")
        )
    ctx.say(
        "\n".join(lines),
        [
            Choice("answer:send", "📨 " + ctx.t("Send")),
            Choice("answer:again", "🔄 " + ctx.t("Start again")),
            Choice(BACK, "⬅️ " + ctx.t("Back")),
        ],
    )


async def _send(service: Ratings, ctx: Ctx, draft: dict[str, Any]) -> None:
    if any(step not in draft["answers"] for step in steps()):
        await _next(ctx)
        return
    fields = _report_fields(draft, fees.band_ids(ctx, str(draft["origin"])))
    try:
        prepared = await service.prepare(ctx.pseudonym, fields)
    except RatingLimitReached:
        ctx.session.flow.pop("rate", None)
        ctx.say(ctx.t("You have sent enough new ratings for today. Please come back tomorrow."))
        return
    except PermissionError:
        _ask_consent(ctx, service.min_reporters)
        return
    ctx.emit(SubmitReport(prepared.report, prepared.held, prepared.reporter_since,
                          prepared.publish))  # fmt: skip
    done = prepared.outcome
    ctx.session.flow.pop("rate", None)
    t, k = ctx.t, service.min_reporters
    lines = [t("Thank you. Your answers help other workers choose a safe agency.")]
    if done.replaced:
        lines.append(t("Your new answers replaced your earlier ones."))
    if done.held:
        lines.append(
            t("Many ratings of this agency arrived at the same time, so our team will check "
              "them before they are counted.")
        )  # fmt: skip
    # No count: below k it would tell how few rated, and any count would let two
    # people who rate a few minutes apart tell each other's answers from the totals.
    if done.reporters < k:
        lines.append(
            t.plural(
                "When at least {n} worker has rated this agency, everyone who checks it sees "
                "the totals (never who said what). Until then nothing is shown.",
                "When at least {n} workers have rated this agency, everyone who checks it sees "
                "the totals (never who said what). Until then nothing is shown.",
                k,
            )
        )  # fmt: skip
    else:
        lines.append(
            t("Everyone who checks this agency now sees the totals (never who said what).")
        )
    helping = report_help.offer(ctx, fields)  # abuse described: the article and where to complain
    later = followups.offer(ctx, str(fields["recruiter_id"]))
    ctx.say(
        "\n\n".join(["\n".join(lines), *helping.lines]),
        [
            *helping.choices,
            *([later] if later is not None else []),
            Choice("check", "🔎 " + t("Check an agency")),
            Choice(MENU, "🏠 " + t("Menu")),
        ],
    )


def _report_fields(draft: dict[str, Any], bands: list[str]) -> dict[str, Any]:
    """The ``Report`` fields of a finished draft, one per question of the table, and the
    indicators derived from them (the receipt gap, which compares the origin's ``bands``)."""
    answers: dict[str, str] = draft["answers"]
    fields: dict[str, Any] = {"recruiter_id": draft["rid"], "origin": draft["origin"]}
    if is_pending_id(str(draft["rid"])):
        fields["agency_name"] = str(draft["name"])[:NAME_MAX]  # scrubbed when typed
    for step in steps():
        fields[question(step).field] = report_value(step, answers.get(step))
    fields.update(questionnaire.current().derive(fields, bands))
    return fields


def _draft(ctx: Ctx) -> dict[str, Any] | None:
    """The live draft, or None; an expired one is marked for ``_expired_notice`` and dropped."""
    draft = ctx.session.flow.get("rate")
    if not isinstance(draft, dict) or not isinstance(draft.get("answers"), dict):
        return None
    started = dt.datetime.fromtimestamp(float(draft.get("started", 0)), dt.UTC)
    if ctx.clock() - started > DRAFT_TTL:
        ctx.session.flow.pop("rate", None)
        ctx.session.flow["rate_expired"] = True
        return None
    return draft


def _expired_notice(ctx: Ctx, *, offer_restart: bool) -> bool:
    """Tell the person their old draft was dropped; True when there was one."""
    if not ctx.session.flow.pop("rate_expired", False):
        return False
    text = ctx.t("Your unfinished rating was more than a day old, so we deleted it.")
    if offer_restart:
        ctx.say(text, [Choice("rate", "⭐ " + ctx.t("Rate an agency"))])
    else:
        ctx.say(text, home=False)
    return True


def _gone(ctx: Ctx) -> None:
    ctx.say(
        ctx.t("This rating is no longer open."), [Choice("rate", "⭐ " + ctx.t("Rate an agency"))]
    )
