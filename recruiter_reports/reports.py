"""One worker's anonymous answers about one recruiter.

The questions are the table in ``recruiter_reports.questionnaire``. Every
answer can be "prefer not to say" (None): a worker who fears for their job or
family must still be able to warn others about what they are willing to share.

The yes/no answers are one field each, named by the question's ``field`` and
checked against the questionnaire in use, so a new yes/no question needs no
change here; a stored report that predates a question reads it as None.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from recruiter_reports import questionnaire

NO_FEE = questionnaire.NO_FEE
"""Fee band id for "I paid nothing"; the other ids come from the origin's ``fee_bands``."""

INDICATORS: tuple[str, ...] = questionnaire.DEFAULT.indicators
"""The default questionnaire's yes/no fields; code that must follow an added question
reads ``questionnaire.current().indicators``."""

COMMENT_MAX = 500
NAME_MAX = 80
"""Characters kept of a typed agency or broker name (long enough for any real name)."""

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Report(BaseModel):
    """A rating as stored: no one's identity, only the answers (``None`` = prefer not to say).

    ``comment`` must already have gone through ``scrub``; only moderators read it.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    recruiter_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,40}$")]
    origin: CountryCode
    destination: CountryCode | None = None
    fee_band: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")] | None = None
    receipt_band: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")] | None = None
    """The band written on the receipt, or ``receipts.NO_RECEIPT``; counted only through the
    indicators derived from it (``recruiter_reports.receipts``). None in reports saved
    before the question was asked."""
    recommend: Annotated[int, Field(ge=1, le=5)] | None = None
    comment: Annotated[str, StringConstraints(max_length=COMMENT_MAX)] | None = None
    agency_name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)] | None = None
    """The name the worker typed for an agency that is not in the registry (scrubbed, see
    ``recruiter_reports.names``); it waits for a moderator before anyone else sees it."""
    broker: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)] | None = None
    """The sub-agent or broker the worker named (scrubbed, moderated like agency names)."""
    created_at: dt.datetime

    @model_validator(mode="before")
    @classmethod
    def _yes_no(cls, data: Any) -> Any:
        """Every yes/no answer of the questionnaire (None when absent); nothing else extra."""
        if not isinstance(data, dict):
            return data
        indicators = questionnaire.current().indicators
        unknown = [key for key in data if key not in cls.model_fields and key not in indicators]
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        answers = {name: data.get(name) for name in indicators}
        wrong = [name for name, value in answers.items() if not isinstance(value, bool | None)]
        if wrong:
            raise ValueError(f"yes/no answer expected: {', '.join(wrong)}")
        return {key: value for key, value in data.items() if key not in answers} | answers

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("must be timezone-aware (UTC)")
        return value.astimezone(dt.UTC)

    @field_validator("comment")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value if value is None or value.strip() else None

    def answer(self, indicator: str) -> bool | None:
        """The yes/no answer to one of the questionnaire's indicators (None: not said)."""
        extra = self.__pydantic_extra__ or {}
        if indicator not in extra and indicator not in questionnaire.current().indicators:
            raise KeyError(indicator)
        value = extra.get(indicator)
        return value if isinstance(value, bool) else None

    def answers(self) -> dict[str, bool | None]:
        """The yes/no answers by indicator, in the questionnaire's order."""
        return {name: self.answer(name) for name in questionnaire.current().indicators}
