"""The questions of a rating as chat steps, and how each answer reads on the review screen.

The questions, their order and their wording come from
``recruiter_reports.questionnaire``; this module only turns a row into a
message with buttons. Yes/no questions offer exactly three answer buttons, so
they fit every channel as buttons. Answers are kept in the draft as short
codes: a band id, "y"/"n", "1"-"5", "-" for "Prefer not to say" (worded "I don't
know / skip" for the amount on a receipt, which a worker may simply not know).
"""

from __future__ import annotations

from typing import Any

from bot.core.choice_ids import ANSWER_BACK
from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.core.screens import fees
from recruiter_reports import questionnaire
from recruiter_reports.questionnaire import NO_RECEIPT, PREFER_NOT, Kind, Question
from recruiter_reports.receipts import receipt_bands

BACK = ANSWER_BACK


def steps() -> tuple[str, ...]:
    """Step ids in the order asked; the first one not yet answered is asked next."""
    return questionnaire.current().steps


def question(step: str) -> Question:
    return questionnaire.current().question(step)


def ask(ctx: Ctx, step: str, draft: dict[str, Any]) -> None:
    """Show the question of ``step`` with its buttons (and wait for the comment text)."""
    t = ctx.t
    order = steps()
    asked = question(step)
    number = t("Question {number} of {total}", number=t.number(order.index(step) + 1),
               total=t.number(len(order)))  # fmt: skip
    text = f"{number}\n{t(asked.chat)}"
    prefer = Choice(f"answer:{step}:{PREFER_NOT}", "🤐 " + t("Prefer not to say"))
    back = [Choice(BACK, "⬅️ " + t("Back"))] if order.index(step) > 0 else []
    if asked.kind is Kind.COUNTRY:
        codes = [c.code for c in ctx.content.destinations()]
        choices = ctx.country_choices(f"answer:{step}", codes)
        choices += [Choice(f"answer:{step}:other", "🌍 " + t("Another country")), prefer]
    elif asked.kind is Kind.FEE_BAND:
        origin = draft["origin"]
        choices = [
            Choice(f"answer:{step}:{band}", fees.band_label(ctx, origin, band, compact=True))
            for band in fees.band_ids(ctx, origin)
        ]
        choices.append(prefer)
    elif asked.kind is Kind.RECEIPT_BAND:
        # The fee question's bands, in the same currency, so the two can be compared.
        origin = draft["origin"]
        choices = [
            Choice(f"answer:{step}:{band}", fees.band_label(ctx, origin, band, compact=True))
            for band in receipt_bands(fees.band_ids(ctx, origin))
        ]
        choices += [
            Choice(f"answer:{step}:{NO_RECEIPT}", "🚫 " + t("I got no receipt")),
            Choice(f"answer:{step}:{PREFER_NOT}", "🤷 " + t("I don't know / skip")),
        ]
    elif asked.kind is Kind.YES_NO:
        choices = [
            Choice(f"answer:{step}:y", "👍 " + t("Yes")),
            Choice(f"answer:{step}:n", "👎 " + t("No")),
            prefer,
        ]
    elif asked.kind is Kind.STARS:
        choices = [Choice(f"answer:{step}:{n}", "⭐" * n + f" {t.number(n)}") for n in range(1, 6)]
        choices.append(prefer)
    else:  # typed: the comment, or a name
        ctx.session.awaiting = step
        choices = [Choice(f"answer:{step}:skip", "⏭️ " + t("Skip"))]
    ctx.say(text, [*choices, *back])


TYPED = (Kind.TEXT, Kind.NAME)
"""Questions answered by typing (or Skip), not by a button."""


def valid(ctx: Ctx, draft: dict[str, Any], step: str, value: str) -> bool:
    """Only values the question offered (an old or forged button changes nothing)."""
    kind = question(step).kind
    if value == PREFER_NOT:
        return kind not in TYPED
    if kind is Kind.COUNTRY:
        return value == "other" or value in [c.code for c in ctx.content.destinations()]
    if kind is Kind.FEE_BAND:
        return value in fees.band_ids(ctx, draft["origin"]) or value == questionnaire.NO_FEE
    if kind is Kind.RECEIPT_BAND:
        return value == NO_RECEIPT or value in receipt_bands(fees.band_ids(ctx, draft["origin"]))
    if kind is Kind.YES_NO:
        return value in ("y", "n")
    if kind is Kind.STARS:
        return value in ("1", "2", "3", "4", "5")
    return value == "skip"


def moot(step: str, answers: dict[str, Any]) -> bool:
    """True when an earlier answer makes ``step`` pointless (no receipt for no fee) or
    already answers it (a receipt for the full amount shows no smaller amount)."""
    asked = question(step)
    after, follows = asked.skipped_after, asked.follows
    if after is not None and answers.get(after[0]) == after[1]:
        return True
    return follows is not None and answers.get(follows[0]) == follows[1]


def moot_answer(step: str, answers: dict[str, Any]) -> str:
    """The answer a moot question is stored with: what the earlier answer gives, or none."""
    asked = question(step)
    after, follows = asked.skipped_after, asked.follows
    if after is not None and answers.get(after[0]) == after[1]:
        return PREFER_NOT
    if follows is None:
        return PREFER_NOT
    given = follows[2]
    if given.startswith("="):  # the answer to another question (the receipt shows the fee)
        return str(answers.get(given[1:], PREFER_NOT))
    return given


def report_value(step: str, chosen: str | None) -> Any:
    """The ``Report`` field's value for an answer code (None for "not said")."""
    if chosen in (None, PREFER_NOT, "skip", "other"):
        return None
    kind = question(step).kind
    if kind is Kind.YES_NO:
        return chosen == "y"
    if kind is Kind.STARS:
        return int(str(chosen))
    return chosen


def answer_text(ctx: Ctx, step: str, draft: dict[str, Any]) -> str:
    """One line of the review screen: the topic and the answer in words."""
    t = ctx.t
    asked = question(step)
    value = draft["answers"].get(step)
    if asked.kind is Kind.TEXT:
        if value in (None, "skip"):
            return "💬 " + t("Comment: none")
        return "💬 " + t("Comment: written (only our team reads it)")
    if asked.kind is Kind.NAME:
        shown = t("none") if value in (None, "skip") else str(value)
        return f"{asked.icon} {t(asked.review)}: {shown}"
    if asked.kind is Kind.RECEIPT_BAND:
        shown = _receipt_text(ctx, draft, step, value)
    elif value == PREFER_NOT or value is None:
        shown = t("Prefer not to say")
    elif asked.kind is Kind.COUNTRY:
        shown = t("Another country") if value == "other" else ctx.country_name(str(value))
    elif asked.kind is Kind.FEE_BAND:
        shown = fees.band_label(ctx, draft["origin"], str(value))
    elif asked.kind is Kind.STARS:
        shown = t("{stars} out of 5", stars=t.number(int(str(value))))
    else:
        shown = t("Yes") if value == "y" else t("No")
    return f"{asked.icon} {t(asked.review)}: {shown}"


def _receipt_text(ctx: Ctx, draft: dict[str, Any], step: str, value: object) -> str:
    t = ctx.t
    after = question(step).skipped_after
    if after is not None and draft["answers"].get(after[0]) == after[1]:
        return t("not asked (nothing paid)")
    if value == NO_RECEIPT:
        return t("I got no receipt")
    if value in (None, PREFER_NOT):
        return t("I don't know")
    return fees.band_label(ctx, draft["origin"], str(value))
