"""Check-ins in the chat: agreeing to them, answering one, ``/stop``, the ``/mydata`` lines.

Agreeing (``fu``): after a rating, or from the menu, a person who has not left
yet or has just arrived hears what we would send, when and how to stop, says
when they leave or arrived, and agrees; the turn emits ``ScheduleFollowups``
with the consent version. A check-in (``ci``) comes as a pushed message with a
Start button: three to five questions of the questionnaire's check-in rows
(``Asked.CHECK_IN``), answered with buttons, then ``SaveCheckin``, linked to
the person's earlier report about the agency. An answer that reports danger
(the passport taken, no wage) shows the SOS card and offers a person.
``/stop`` or the word "stop" in the person's language ends every check-in.

Without ``CONTACT_KEY`` there is nothing to seal the address with: check-ins
are off, and the bot says so instead of offering them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date

from bot.core.context import MENU, Ctx
from bot.core.effects import SaveCheckin, ScheduleFollowups, StopFollowups
from bot.core.messages import Choice
from bot.core.screens import sos
from bot.core.screens.talk import talk_choice
from followups import CONSENT_VERSION, JobKind, Stage
from followups.reportback import eligible
from followups.schedule import ROUNDS, checkin_jobs, month_of, months_ahead
from recruiter_reports import questionnaire
from recruiter_reports.questionnaire import PREFER_NOT, Asked, Kind, Question

__all__ = ["ROUTES", "STOP_WORDS", "actions", "is_stop_word", "lines", "offer"]

FLOW = "fu"
CHECKIN = "ci"
STOP = "stop"

STOP_WORDS = ("stop",)
""""stop" works in every language; ``t("stop")`` adds the word of the person's language."""


def is_stop_word(ctx: Ctx, text: str) -> bool:
    """True when the person typed only "stop" (in English or in their language)."""
    word = text.strip().strip(".!").casefold()
    return word in STOP_WORDS or word == ctx.t("stop").casefold()


def _checkin_questions() -> tuple[Question, ...]:
    return questionnaire.current().asked(Asked.CHECK_IN)


def _agency_name(ctx: Ctx, recruiter_id: str) -> str:
    known = ctx.ratings.recruiter(recruiter_id) if ctx.ratings else None
    return known.name if known is not None else ctx.t("your agency")


def _day(ctx: Ctx, at: dt.datetime) -> str:
    return format_date(at.date(), format="long", locale=ctx.locale)


def _month_label(ctx: Ctx, month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return format_date(dt.date(year, number, 1), format="MMMM y", locale=ctx.locale)


def offer(ctx: Ctx, recruiter_id: str) -> Choice | None:
    """The "ask me again later" button after a rating, or None when check-ins are off."""
    if ctx.followups is None or len(f"fu:a:{recruiter_id}".encode()) > 64:
        return None
    return Choice(f"fu:a:{recruiter_id}", "🗓️ " + ctx.t("Ask me again later"))


def _off(ctx: Ctx) -> None:
    ctx.say(ctx.t("Check-ins are not offered on this service: they need an encryption key "
                  "that the people who run it have not set up. Nothing was kept."))


async def followups(ctx: Ctx, args: list[str]) -> None:
    """``fu``: the agencies to be asked about; ``fu:a:<id>`` the explanation; then
    ``fu:s:<stage>``, ``fu:m:<month>`` and ``fu:yes``."""
    if ctx.followups is None:
        _off(ctx)
        return
    match args:
        case ["a", recruiter_id]:
            await _explain(ctx, recruiter_id)
        case ["s", stage] if stage in (Stage.BEFORE.value, Stage.ARRIVED.value):
            _months(ctx, stage)
        case ["m", month]:
            _confirm(ctx, month)
        case ["yes"]:
            _agree(ctx)
        case _:
            await _agencies(ctx)


async def _rated(ctx: Ctx) -> dict[str, Any]:
    """The agencies the person rated, by id, newest report last (a button's id is only
    believed when it is one of them)."""
    reports = await ctx.ratings.reports_of(ctx.pseudonym) if ctx.ratings else []
    return {stored.report.recruiter_id: stored.report for stored in reports}


async def _agencies(ctx: Ctx) -> None:
    rated = await _rated(ctx)
    if not rated:
        ctx.say(ctx.t("Check-ins ask you again, after you arrive, how it went with the agency "
                      "you rated. First rate your agency; then you can ask for check-ins."),
                [Choice("rate", "⭐ " + ctx.t("Rate an agency"))])
        return
    if len(rated) == 1:
        await _explain(ctx, next(iter(rated)))
        return
    choices = [Choice(f"fu:a:{rid}", "🏢 " + _agency_name(ctx, rid)) for rid in rated
               if len(f"fu:a:{rid}".encode()) <= 64]
    ctx.say(ctx.t("Which agency should the check-ins be about?"), choices)


async def _explain(ctx: Ctx, recruiter_id: str) -> None:
    rated = await _rated(ctx)
    report = rated.get(recruiter_id)
    if report is None:
        await _agencies(ctx)
        return
    where = report.destination or ctx.session.destination
    ctx.session.flow[FLOW] = {"rid": recruiter_id, "origin": report.origin, "dest": where}
    t = ctx.t
    # The quarterly message needs both countries; without them it is neither sent nor told.
    quarterly = (
        t("Once a quarter we also send you a short message with what workers from your "
          "country in the country where you work reported, with a guide on the problems "
          "they met; for this we also keep those two countries.") + "\n\n"
        if report.origin and where else ""
    )
    ctx.say(
        t("Check-ins: about 30 days and 90 days after you arrive, we send you a message here "
          "with five short questions about {agency} (is the job as promised, is your wage "
          "paid, do you have your passport). Your answers show other workers whether this "
          "agency keeps its promises. Nobody sees who answered.",
          agency=_agency_name(ctx, recruiter_id))
        + "\n\n"
        + quarterly
        + t("To write to you, we keep your chat address encrypted, with a code instead of "
            "your name, the month you leave or arrived, the agency and your language. Type "
            "/stop at any time to end the check-ins and delete the address; /forget deletes "
            "everything.")
        + "\n\n" + t("Have you left for work abroad yet?"),
        [
            Choice(f"fu:s:{Stage.BEFORE.value}", "🧳 " + t("Not yet, I leave soon")),
            Choice(f"fu:s:{Stage.ARRIVED.value}", "🛬 " + t("I have just arrived")),
            Choice(MENU, "❌ " + t("No, thanks")),
        ],
        home=False,
    )


def _months(ctx: Ctx, stage: str) -> None:
    draft = ctx.session.flow.get(FLOW)
    if not isinstance(draft, dict) or "rid" not in draft:
        ctx.say(ctx.t("That question has expired. Here is the menu."))
        return
    draft["stage"] = stage
    now = ctx.clock()
    if stage == Stage.BEFORE.value:
        months = months_ahead(now, 4)
        question = ctx.t("In which month do you plan to leave?")
    else:
        last = month_of(now.replace(day=1) - dt.timedelta(days=1))
        months = (month_of(now), last)
        question = ctx.t("In which month did you arrive?")
    ctx.say(question, [Choice(f"fu:m:{m}", "📅 " + _month_label(ctx, m)) for m in months])


def _allowed_months(ctx: Ctx, stage: str) -> tuple[str, ...]:
    now = ctx.clock()
    if stage == Stage.BEFORE.value:
        return months_ahead(now, 4)
    return (month_of(now), month_of(now.replace(day=1) - dt.timedelta(days=1)))


def _confirm(ctx: Ctx, month: str) -> None:
    draft = ctx.session.flow.get(FLOW)
    if not isinstance(draft, dict) or "stage" not in draft or \
            month not in _allowed_months(ctx, str(draft["stage"])):
        ctx.say(ctx.t("That question has expired. Here is the menu."))
        return
    draft["month"] = month
    jobs = checkin_jobs(ctx.pseudonym, month, ctx.clock())
    ctx.say(
        ctx.t("We would write to you on {first} and on {second}. You can stop at any time "
              "with /stop. Do you agree?", first=_day(ctx, jobs[0].due_at),
              second=_day(ctx, jobs[1].due_at)),
        [Choice("fu:yes", "✅ " + ctx.t("Yes, I agree")),
         Choice(MENU, "❌ " + ctx.t("No, thanks"))],
        home=False,
    )


def _agree(ctx: Ctx) -> None:
    draft = ctx.session.flow.pop(FLOW, None)
    if not isinstance(draft, dict) or "month" not in draft:
        ctx.say(ctx.t("That question has expired. Here is the menu."))
        return
    now = ctx.clock()
    ctx.emit(ScheduleFollowups(
        recruiter_id=str(draft["rid"]), origin=draft.get("origin"), stage=str(draft["stage"]),
        month=str(draft["month"]), consent_version=CONSENT_VERSION, at=now, locale=ctx.locale,
        destination=str(draft["dest"]) if draft.get("dest") else None))
    jobs = checkin_jobs(ctx.pseudonym, str(draft["month"]), now)
    ctx.say(ctx.t("Thank you. We will write to you on {first} and on {second}. Type /stop at "
                  "any time to end the check-ins.", first=_day(ctx, jobs[0].due_at),
                  second=_day(ctx, jobs[1].due_at)))


async def stop(ctx: Ctx, args: list[str]) -> None:
    """``/stop``: every check-in ends at once and the address is deleted."""
    ctx.session.flow.pop(CHECKIN, None)
    ctx.session.flow.pop(FLOW, None)
    if ctx.followups is None:
        ctx.say(ctx.t("You have no check-ins planned."))
        return
    enrolled = await ctx.followups.enrolment(ctx.pseudonym)
    if enrolled is None and not await ctx.followups.jobs_of(ctx.pseudonym):
        ctx.say(ctx.t("You have no check-ins planned."))
        return
    ctx.emit(StopFollowups())
    ctx.say(ctx.t("Done: we will send you no more check-ins or quarterly messages, and we "
                  "deleted your chat address. Your earlier answers stay counted, without "
                  "your name."))


# -- a check-in -------------------------------------------------------------------------------


async def checkin(ctx: Ctx, args: list[str]) -> None:
    """``ci:s:<round>`` starts; ``ci:a:<question>:<answer>`` answers; ``ci:later``."""
    if ctx.followups is None:
        _off(ctx)
        return
    match args:
        case ["s", round_] if round_ in {str(days) for days in ROUNDS}:
            enrolled = await ctx.followups.enrolment(ctx.pseudonym)
            if enrolled is None:
                ctx.say(ctx.t("You have no check-ins planned."))
                return
            ctx.session.flow[CHECKIN] = {"r": round_, "rid": enrolled.recruiter_id,
                                         "a": {}}
            await _ask_next(ctx)
        case ["a", step, value]:
            draft = ctx.session.flow.get(CHECKIN)
            if not isinstance(draft, dict):
                ctx.say(ctx.t("That question has expired. Here is the menu."))
                return
            asked = {q.id: q for q in _checkin_questions()}.get(step)
            if asked is not None and _valid(asked, value):
                draft["a"][step] = value
            await _ask_next(ctx)
        case _:
            await stop_or_menu(ctx)


async def stop_or_menu(ctx: Ctx) -> None:
    """An old or forged check-in button: the menu, never an error."""
    ctx.say(ctx.t("That question has expired. Here is the menu."))


def _valid(asked: Question, value: str) -> bool:
    if value == PREFER_NOT:
        return True
    if asked.kind is Kind.YES_NO:
        return value in ("y", "n")
    if asked.kind is Kind.STARS:
        return value in ("1", "2", "3", "4", "5")
    return False


async def _ask_next(ctx: Ctx) -> None:
    draft: dict[str, Any] = ctx.session.flow[CHECKIN]
    questions = _checkin_questions()
    for number, asked in enumerate(questions, start=1):
        if asked.id in draft["a"]:
            continue
        t = ctx.t
        head = t("Question {number} of {total}", number=t.number(number),
                 total=t.number(len(questions)))
        prefer = Choice(f"ci:a:{asked.id}:{PREFER_NOT}", "🤐 " + t("Prefer not to say"))
        if asked.kind is Kind.STARS:
            choices = [Choice(f"ci:a:{asked.id}:{n}", "⭐" * n + f" {t.number(n)}")
                       for n in range(1, 6)]
        else:
            choices = [Choice(f"ci:a:{asked.id}:y", "👍 " + t("Yes")),
                       Choice(f"ci:a:{asked.id}:n", "👎 " + t("No"))]
        ctx.say(f"{head}\n{t(asked.chat)}", [*choices, prefer])
        return
    await _finish(ctx, draft)


def _value(asked: Question, chosen: str) -> bool | int | None:
    if chosen == PREFER_NOT:
        return None
    if asked.kind is Kind.STARS:
        return int(chosen)
    return chosen == "y"


async def _finish(ctx: Ctx, draft: dict[str, Any]) -> None:
    ctx.session.flow.pop(CHECKIN, None)
    rid = str(draft["rid"])
    answers = {q.id: str(draft["a"][q.id]) for q in _checkin_questions() if q.id in draft["a"]}
    earlier = (await _rated(ctx)).get(rid)
    promised = earlier.answer("job_as_promised") if earlier is not None else None
    values = tuple((q.field, _value(q, answers[q.id])) for q in _checkin_questions()
                   if q.id in answers)
    where = getattr(earlier, "destination", None)
    ctx.emit(SaveCheckin(recruiter_id=rid, round=str(draft["r"]), at=ctx.clock(),
                         answers=values, reported=earlier is not None, promised=promised,
                         destination=str(where) if where else None))
    dangers = [q.danger for q in _checkin_questions()
               if q.danger is not None and answers.get(q.id) == q.danger[0]]
    if dangers:
        category = next((c for _, c in dangers if c), None)
        if ctx.session.destination is None and where:
            ctx.session.destination = str(where)  # the card of the country they went to
        ctx.say(ctx.t("Thank you for telling us. What you describe can be a sign of "
                      "forced labour: you have the right to help."), home=False)
        sos.show(ctx, None, category)
        ctx.say(ctx.t("A person from an organisation that helps workers can talk with you, "
                      "in confidence."), [talk_choice(ctx, category)])
        return
    ctx.say(ctx.t("Thank you. Your answers help other workers see whether this agency keeps "
                  "its promises."))


# -- /mydata --------------------------------------------------------------------------------


async def lines(ctx: Ctx) -> list[str]:
    """What the follow-ups keep about the person (nothing when they never agreed)."""
    if ctx.followups is None:
        return []
    found = []
    enrolled = await ctx.followups.enrolment(ctx.pseudonym)
    if enrolled is not None:
        found.append(ctx.t(
            "You agreed to check-ins about {agency} (version {version}) on {date}; we keep "
            "your chat address encrypted, the month {month} and your language.",
            agency=_agency_name(ctx, enrolled.recruiter_id), version=enrolled.consent_version,
            date=_day(ctx, enrolled.consented_at), month=_month_label(ctx, enrolled.month)))
        if eligible(enrolled, ""):
            found.append(ctx.t("Once a quarter, what workers from your country in the "
                               "country where you work reported (we keep that country)."))
    for job in await ctx.followups.jobs_of(ctx.pseudonym):
        if job.kind is JobKind.REPORTBACK:
            found.append(ctx.t("A report-back message waiting to be sent."))
            continue
        found.append(ctx.t("A check-in planned for {date}.", date=_day(ctx, job.due_at)))
    for answered in await ctx.followups.answers_of(ctx.pseudonym):
        found.append(ctx.t("Your check-in answers about {agency}, given on {date}.",
                           agency=_agency_name(ctx, answered.recruiter_id),
                           date=_day(ctx, answered.at)))
    return found


async def actions(ctx: Ctx) -> list[Choice]:
    if ctx.followups is None:
        return []
    if await ctx.followups.enrolment(ctx.pseudonym) is None:
        return []
    return [Choice(STOP, "🔕 " + ctx.t("Stop check-ins"))]


ROUTES = {FLOW: followups, CHECKIN: checkin, STOP: stop}
