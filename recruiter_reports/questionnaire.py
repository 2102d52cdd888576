"""THE table of questions a rating asks: every other part reads it from here.

One row per question: its id (the step and button id in the chat), its kind
(which answers it offers), the ``Report`` field it fills (for a yes/no
question that is also the summaries' indicator), its wording in the chat, on
the review screen, in the portal and in the API description, and when it is
asked. The chat's steps, the summaries' indicators, the portal's labels, the
OpenAPI schema and the catalogs' strings all come from this table, so adding a
yes/no question is one more row here plus its translations in the catalogs.

Wordings are the English msgids of the catalogs: each is marked with ``t`` so
that the catalog extraction (``python -m bot.i18n``) finds it, and is
translated where it is shown, in the reader's language. The API description
(``api``) is English only, as the rest of the API documentation.

The table is extensible on purpose: the receipt gap (the amount written on
the receipt against the amount paid) and the broker or sub-agent's name are
rows like any other. The receipt's amount is asked, but what is counted is
worked out from it: rows of kind ``DERIVED`` are not asked, their ``rule``
turns the report's answers (and the origin's bands) into a yes/no indicator
(``recruiter_reports.receipts``). Later rows add the 30- and 90-day check-in questions
(``when=Asked.CHECK_IN``: job as promised, wage paid, passport with you,
contract the same, recommend now).

``current()`` is the questionnaire in use; ``use`` installs another one (a test
with one more question proves that a row is all a question needs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from recruiter_reports import receipts

__all__ = [
    "DEFAULT",
    "NO_FEE",
    "NO_RECEIPT",
    "PREFER_NOT",
    "Asked",
    "Kind",
    "Question",
    "Questionnaire",
    "current",
    "t",
    "use",
]

PREFER_NOT = "-"
"""The answer code of "Prefer not to say", offered by every question but the comment."""


def t(message: str) -> str:
    """Marks a wording for the catalogs; it is translated where it is shown."""
    return message


class Kind(StrEnum):
    """What a question offers as answers (and how the answer is stored)."""

    COUNTRY = "country"
    """A destination of the content, "another country" or prefer not to say: a country code."""
    FEE_BAND = "fee_band"
    """The origin's fee bands (see ``fee_bands``): a band id."""
    RECEIPT_BAND = "receipt_band"
    """The amount written on a receipt: the fee question's bands, "I paid nothing" aside,
    in the same currency, "I got no receipt" (``NO_RECEIPT``), or "I don't know / skip"
    (stored as no answer): a band id or ``NO_RECEIPT``."""
    DERIVED = "derived"
    """Not asked: a yes/no indicator the row's ``rule`` works out from the other answers
    (the receipt gap from the band paid and the receipt's band)."""
    YES_NO = "yes_no"
    """Yes, No, Prefer not to say: a boolean, and an indicator of the summaries."""
    STARS = "stars"
    """One to five stars: an integer."""
    TEXT = "text"
    """Typed words, or Skip: a scrubbed text only moderators read."""
    NAME = "name"
    """A name typed (a sub-agent or broker), or Skip: scrubbed, refused when it names the
    worker (``recruiter_reports.names``), moderated, and shown only once approved and named
    by ``MIN_REPORTERS`` different workers."""


class Asked(StrEnum):
    """When a question is asked."""

    RATING = "rating"
    """In the rating questionnaire."""
    CHECK_IN = "check_in"
    """In a consented check-in, 30 or 90 days after the rating."""


@dataclass(frozen=True)
class Question:
    """One row of the table (see the module docstring)."""

    id: str
    """Step id in the chat and in button ids (``answer:<id>:<answer>``): short, a wire format."""
    kind: Kind
    field: str
    """The ``Report`` field the answer fills; for a yes/no question, the indicator's name."""
    chat: str
    """The question as the chat asks it (a msgid)."""
    review: str
    """The topic on the chat's review screen, after ``icon`` (a msgid; the comment has its own)."""
    icon: str
    portal: str = ""
    """The indicator's label in the portal (a msgid); yes/no questions."""
    api: str = ""
    """What the figure means, for the API description (English)."""
    when: Asked = Asked.RATING
    skipped_after: tuple[str, str] | None = None
    """(question id, answer): that answer makes this question moot, so it is not asked
    and is stored as no answer (a receipt is not asked of someone who paid nothing)."""
    follows: tuple[str, str, str] | None = None
    """(question id, answer, this answer): that answer already gives this one, so it is not
    asked and is stored as given (a receipt for the full amount shows the amount paid).
    "This answer" written ``"=<question id>"`` is the answer given to that question."""
    danger: tuple[str, str] | None = None
    """(answer, SOS category or ""): that answer reports danger (a passport taken, no wage),
    so the chat shows the SOS card and offers a person right after it."""
    rule: Callable[[Mapping[str, object], Sequence[str]], bool | None] | None = None
    """For a ``DERIVED`` row: (the report's fields, the origin's band ids lowest first) ->
    the indicator's value (None: not known)."""


@dataclass(frozen=True)
class Questionnaire:
    """The questions in the order they are asked and shown."""

    questions: tuple[Question, ...]

    def __post_init__(self) -> None:
        ids = [q.id for q in self.questions]
        fields = [q.field for q in self.questions]
        if len(set(ids)) != len(ids) or len(set(fields)) != len(fields):
            raise ValueError("question ids and fields must be unique")

    def asked(self, when: Asked = Asked.RATING) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.when is when)

    @cached_property
    def steps(self) -> tuple[str, ...]:
        """The ids of the rating's questions, in order (the chat's steps; derived rows are
        not asked)."""
        return tuple(q.id for q in self.asked() if q.kind is not Kind.DERIVED)

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        """The yes/no fields of the rating, asked or derived, in order: the summaries'
        indicators.

        Kept once computed (the questionnaire is frozen): every summary built or
        checked asks for them, ten thousand times for one sector overview.
        """
        return tuple(q.field for q in self.asked() if q.kind in (Kind.YES_NO, Kind.DERIVED))

    def derive(self, fields: Mapping[str, object], bands: Sequence[str]) -> dict[str, bool | None]:
        """The derived indicators of a report with ``fields`` (the origin's ``bands``)."""
        return {q.field: q.rule(fields, bands) for q in self.asked()
                if q.kind is Kind.DERIVED and q.rule is not None}  # fmt: skip

    def question(self, step: str) -> Question:
        """The question with id ``step`` (KeyError when there is none)."""
        for question in self.questions:
            if question.id == step:
                return question
        raise KeyError(step)

    def by_field(self, field: str) -> Question:
        for question in self.questions:
            if question.field == field:
                return question
        raise KeyError(field)

    def with_question(self, question: Question, *, after: str | None = None) -> Questionnaire:
        """This questionnaire with ``question`` added (after the step ``after``, else before
        the comment, which stays last)."""
        ids = [q.id for q in self.questions]
        if after is not None:
            at = ids.index(after) + 1
        else:
            texts = [i for i, q in enumerate(self.questions) if q.kind is Kind.TEXT]
            at = texts[-1] if texts else len(ids)
        return Questionnaire((*self.questions[:at], question, *self.questions[at:]))


NO_FEE = receipts.NO_FEE
"""Fee band id for "I paid nothing" (also ``reports.NO_FEE``)."""
NO_RECEIPT = receipts.NO_RECEIPT
"""The receipt amount's answer "I got no receipt"."""

DEFAULT = Questionnaire(
    (
        Question(
            "dest", Kind.COUNTRY, "destination",
            chat=t("In which country did you go to work?"),
            review=t("Country of work"), icon="🌍",
            api="Country where the worker went to work",
        ),
        Question(
            "fee", Kind.FEE_BAND, "fee_band",
            chat=t("How much did you pay to the agency or its agents, in total?"),
            review=t("Paid"), icon="💰",
            api="Fee band the worker paid in total (the origin's bands, 'none' = nothing)",
        ),
        Question(
            "receipt", Kind.YES_NO, "receipt_full_amount",
            chat=t("Did you get a receipt for the full amount you paid?"),
            review=t("Receipt for the full amount"), icon="🧾",
            portal=t("Got a receipt for the full fee"),
            api="Share who got a receipt for the full amount they paid",
            skipped_after=("fee", NO_FEE),
        ),
        Question(
            "gap", Kind.RECEIPT_BAND, "receipt_band",
            chat=t("What amount is written on your receipt?"),
            review=t("Amount on the receipt"), icon="🧾",
            api="Fee band written on the receipt (the origin's bands), 'no-receipt' = none",
            skipped_after=("fee", NO_FEE),
            follows=("receipt", "y", "=fee"),
        ),
        Question(
            "gap_less", Kind.DERIVED, "receipt_below_paid",
            chat="", review="", icon="🧾",
            portal=t("Receipt showed less than they paid"),
            api="Receipt gap: share whose receipt showed a smaller amount than they paid "
                "(a lower band than the one paid, or the same band on a receipt not for the "
                "full amount), among those who paid a fee and said what their receipt shows",
            rule=receipts.below_paid,
        ),
        Question(
            "gap_none", Kind.DERIVED, "no_receipt",
            chat="", review="", icon="🧾",
            portal=t("Got no receipt for the fee"),
            api="Share who got no receipt at all for the fee they paid, among those who paid a "
                "fee and said what their receipt shows",
            rule=receipts.no_receipt,
        ),
        Question(
            "job", Kind.YES_NO, "job_as_promised",
            chat=t("When you arrived, were the job and the salary the same as you were "
                   "promised?"),
            review=t("Job and salary as promised"), icon="💼",
            portal=t("Job and salary as promised"),
            api="Share whose job and salary were as promised",
        ),
        Question(
            "contract", Kind.YES_NO, "contract_substituted",
            chat=t("When you arrived, did someone make you sign a different contract?"),
            review=t("Different contract on arrival"), icon="📝",
            portal=t("Different contract signed on arrival"),
            api="Share who had to sign a different contract on arrival (contract substitution)",
        ),
        Question(
            "passport", Kind.YES_NO, "passport_kept",
            chat=t("Did your employer or anyone else take your passport and keep it?"),
            review=t("Passport kept"), icon="🛂",
            portal=t("Passport kept by someone"),
            api="Share whose passport was taken and kept by the employer or anyone else",
        ),
        Question(
            "orient", Kind.YES_NO, "orientation",
            chat=t("Before you left, did you get a training about your rights and about "
                   "life there (orientation)?"),
            review=t("Training before leaving"), icon="🎓",
            portal=t("Pre-departure orientation given"),
            api="Share who got a pre-departure orientation",
        ),
        Question(
            "rec", Kind.STARS, "recommend",
            chat=t("Would you tell a friend to use this agency? Tap 1 star for “never”, "
                   "5 stars for “yes, surely”."),
            review=t("Would recommend"), icon="⭐",
            api="Would recommend the agency, 1 (never) to 5 (yes, surely)",
        ),
        Question(
            "broker", Kind.NAME, "broker",
            chat=t("Did a sub-agent or broker bring you to this agency? Type the name of that "
                   "person or office, or tap Skip. Please do not write your own name or a "
                   "phone number."),
            review=t("Sub-agent or broker"), icon="🤝",
            api="Sub-agents or brokers named by at least min_reporters different workers "
                "(moderated): the broker chain behind the agency",
        ),
        Question(
            "comment", Kind.TEXT, "comment",
            chat=t("Is there anything else other workers should know? Type it now, or tap "
                   "Skip. Only our team reads it. Please do not write names or phone numbers."),
            review="", icon="💬",
        ),
        # The check-in, 30 and 90 days after arrival (``followups``): the same agency,
        # asked again once the promise met the work.
        Question(
            "cjob", Kind.YES_NO, "job_now_as_promised",
            chat=t("Is your job the one you were promised, with the salary you were promised?"),
            review=t("Job and salary as promised, after arrival"), icon="💼",
            portal=t("Job and salary as promised, after arrival"),
            api="Check-in: share whose job and salary were as promised, after arrival",
            when=Asked.CHECK_IN,
        ),
        Question(
            "cwage", Kind.YES_NO, "wage_paid_in_full",
            chat=t("Is your wage paid in full and on time?"),
            review=t("Wage paid in full and on time"), icon="💵",
            portal=t("Wage paid in full and on time"),
            api="Check-in: share whose wage is paid in full and on time",
            when=Asked.CHECK_IN, danger=("n", ""),
        ),
        Question(
            "cpass", Kind.YES_NO, "passport_with_you",
            chat=t("Do you have your passport, or can you get it whenever you want?"),
            review=t("Passport with you"), icon="🛂",
            portal=t("Passport with the worker"),
            api="Check-in: share who have their passport or can get it whenever they want",
            when=Asked.CHECK_IN, danger=("n", "trafficking"),
        ),
        Question(
            "ccontract", Kind.YES_NO, "contract_as_signed",
            chat=t("Is your contract the same as the one you signed before you left?"),
            review=t("Contract the same as signed"), icon="📝",
            portal=t("Contract the same as signed before leaving"),
            api="Check-in: share whose contract is the same as the one signed before leaving",
            when=Asked.CHECK_IN,
        ),
        Question(
            "crec", Kind.STARS, "recommend_now",
            chat=t("Now that you work there, would you tell a friend to use this agency? Tap "
                   "1 star for “never”, 5 stars for “yes, surely”."),
            review=t("Would recommend now"), icon="⭐",
            api="Check-in: would recommend the agency now, 1 (never) to 5 (yes, surely)",
            when=Asked.CHECK_IN,
        ),
    )
)  # fmt: skip
"""The questions of DESIGN.md (Ratings), after the ILO fair-recruitment principles."""

_current: list[Questionnaire] = [DEFAULT]


def current() -> Questionnaire:
    """The questionnaire in use (``DEFAULT`` unless ``use`` installed another)."""
    return _current[-1]


@contextmanager
def use(questionnaire: Questionnaire) -> Iterator[Questionnaire]:
    """Run with ``questionnaire`` instead of the current one (then restore it)."""
    _current.append(questionnaire)
    try:
        yield questionnaire
    finally:
        _current.remove(questionnaire)
