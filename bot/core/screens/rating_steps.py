"""The questions of a rating, in order, and how each answer reads on the review screen.

Following the ILO fair-recruitment principles (DESIGN.md, Ratings). Yes/no
questions offer exactly three buttons, so they fit every channel as buttons.
Answers are kept in the draft as short codes: a band id, "y"/"n", "1"-"5",
"-" for "Prefer not to say".
"""

from __future__ import annotations

from typing import Any

from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.core.screens import fees

STEPS: tuple[str, ...] = (
    "dest", "fee", "receipt", "job", "contract", "passport", "orient", "rec", "comment",
)  # fmt: skip
"""Step ids in the order asked; the first one not yet answered is asked next."""

YES_NO: dict[str, str] = {
    "receipt": "receipt_full_amount",
    "job": "job_as_promised",
    "contract": "contract_substituted",
    "passport": "passport_kept",
    "orient": "orientation",
}
"""Yes/no steps and the ``Report`` field each fills."""

_PREFER_NOT = "-"


def ask(ctx: Ctx, step: str, draft: dict[str, Any]) -> None:
    """Show the question of ``step`` with its buttons (and wait for the comment text)."""
    t = ctx.t
    number = t("Question {number} of {total}", number=t.number(STEPS.index(step) + 1),
               total=t.number(len(STEPS)))  # fmt: skip
    prefer = Choice(f"q:{step}:{_PREFER_NOT}", "🤐 " + t("Prefer not to say"))
    if step == "dest":
        codes = [c.code for c in ctx.content.destinations()]
        choices = ctx.country_choices("q:dest", codes)
        choices += [Choice("q:dest:other", "🌍 " + t("Another country")), prefer]
        ctx.say(f"{number}\n" + t("In which country did you go to work?"), choices)
    elif step == "fee":
        origin = draft["origin"]
        choices = [
            Choice(f"q:fee:{band}", fees.band_label(ctx, origin, band))
            for band in fees.band_ids(ctx, origin)
        ]
        question = t("How much did you pay to the agency or its agents, in total?")
        ctx.say(f"{number}\n{question}", [*choices, prefer])
    elif step in YES_NO:
        choices = [
            Choice(f"q:{step}:y", "👍 " + t("Yes")),
            Choice(f"q:{step}:n", "👎 " + t("No")),
            prefer,
        ]
        ctx.say(f"{number}\n{_question(ctx, step)}", choices)
    elif step == "rec":
        choices = [Choice(f"q:rec:{n}", "⭐" * n + f" {t.number(n)}") for n in range(1, 6)]
        question = t("Would you tell a friend to use this agency? Tap 1 star for “never”, "
                     "5 stars for “yes, surely”.")  # fmt: skip
        ctx.say(f"{number}\n{question}", [*choices, prefer])
    else:
        ctx.session.awaiting = "comment"
        ctx.say(
            f"{number}\n"
            + t("Is there anything else other workers should know? Type it now, or tap Skip. "
                "Only our team reads it. Please do not write names or phone numbers."),
            [Choice("q:comment:skip", "⏭️ " + t("Skip"))],
        )  # fmt: skip


def _question(ctx: Ctx, step: str) -> str:
    t = ctx.t
    questions = {
        "receipt": t("Did you get a receipt for the full amount you paid?"),
        "job": t("When you arrived, were the job and the salary the same as you were promised?"),
        "contract": t("When you arrived, did someone make you sign a different contract?"),
        "passport": t("Did your employer or anyone else take your passport and keep it?"),
        "orient": t("Before you left, did you get a training about your rights and about "
                    "life there (orientation)?"),
    }  # fmt: skip
    return questions[step]


def answer_text(ctx: Ctx, step: str, draft: dict[str, Any]) -> str:
    """One line of the review screen: the topic and the answer in words."""
    t = ctx.t
    value = draft["answers"].get(step)
    if step == "comment":
        if value in (None, "skip"):
            return "💬 " + t("Comment: none")
        return "💬 " + t("Comment: written (only our team reads it)")
    if value == _PREFER_NOT:
        shown = t("Prefer not to say")
    elif step == "dest":
        shown = t("Another country") if value == "other" else ctx.country_name(str(value))
    elif step == "fee":
        shown = fees.band_label(ctx, draft["origin"], str(value))
    elif step == "rec":
        shown = t("{stars} out of 5", stars=t.number(int(str(value))))
    else:
        shown = t("Yes") if value == "y" else t("No")
    topics = {
        "dest": "🌍 " + t("Country of work"),
        "fee": "💰 " + t("Paid"),
        "receipt": "🧾 " + t("Receipt for the full amount"),
        "job": "💼 " + t("Job and salary as promised"),
        "contract": "📝 " + t("Different contract on arrival"),
        "passport": "🛂 " + t("Passport kept"),
        "orient": "🎓 " + t("Training before leaving"),
        "rec": "⭐ " + t("Would recommend"),
    }
    return f"{topics[step]}: {shown}"
