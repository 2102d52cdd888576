"""One worker's anonymous answers about one recruiter.

The questions follow the ILO fair-recruitment principles. Every answer can be
"prefer not to say" (None): a worker who fears for their job or family must
still be able to warn others about what they are willing to share.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

NO_FEE = "none"
"""Fee band id for "I paid nothing"; the other ids come from the origin's ``fee_bands``."""

INDICATORS: tuple[str, ...] = (
    "receipt_full_amount",
    "job_as_promised",
    "contract_substituted",
    "passport_kept",
    "orientation",
)
"""The yes/no questions, in the order they are asked and shown."""

COMMENT_MAX = 500

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Report(BaseModel):
    """A rating as stored: no one's identity, only the answers (``None`` = prefer not to say).

    ``comment`` must already have gone through ``scrub``; only moderators read it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    recruiter_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,40}$")]
    origin: CountryCode
    destination: CountryCode | None = None
    fee_band: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")] | None = None
    receipt_full_amount: bool | None = None
    job_as_promised: bool | None = None
    contract_substituted: bool | None = None
    passport_kept: bool | None = None
    orientation: bool | None = None
    recommend: Annotated[int, Field(ge=1, le=5)] | None = None
    comment: Annotated[str, StringConstraints(max_length=COMMENT_MAX)] | None = None
    created_at: dt.datetime

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
        """The yes/no answer to one of ``INDICATORS``."""
        if indicator not in INDICATORS:
            raise KeyError(indicator)
        value: bool | None = getattr(self, indicator)
        return value
