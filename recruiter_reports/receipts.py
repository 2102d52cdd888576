"""The receipt gap: what the receipt says against what the worker paid, as two indicators.

A worker who said their receipt was not for the full amount is asked which
amount is written on it, in the same bands and currency as the fee question
(``Kind.RECEIPT_BAND`` in ``recruiter_reports.questionnaire``), or "I got no
receipt". Neither answer is shown as such; the questionnaire derives two
yes/no indicators from it, counted like any other:

- ``receipt_below_paid``, the receipt gap: the receipt shows less than was
  paid. Yes when the receipt's band is lower than the band paid, or the same
  band on a receipt the worker said was not for the full amount (the band is
  too coarse to show that gap, the worker's own answer is not). No when the
  receipt is for the full amount, shows a band at or above the one paid, or
  there was no receipt. Not known when nothing was paid, the fee or the
  receipt's amount was not said, or a band is not the origin's.
- ``no_receipt``: the worker paid and got no receipt at all. Yes for "I got
  no receipt", No for any receipt; not known otherwise.

Both have the same base: those who paid and said what their receipt shows,
so the two shares and the full receipts add up to everyone who answered.

Comparing bands needs their order, which is content (the origin's
``country.yaml``): the caller, which knows the origin, passes the band ids
lowest first. The indicators are worked out once, when the report is made,
and stored with it: every store counts them as it counts a yes/no answer.

Reports saved before this question asked "Did you get a receipt that shows
a smaller amount than you really paid? If you got no receipt, tap No." Its
yes/no answer was stored as ``receipt_below_paid``, which is exactly the
indicator above (no receipt counted as No), so old reports are read as they
are (a mapping by name, no migration that rewrites stored reports): they keep
counting in the receipt gap on every store, and read ``no_receipt`` as not
known, since the old question could not tell "no receipt" from "a receipt for
the full amount". Guessing it from the old "full receipt" answer would fill in
only the No side and bias the share down, so it is not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["NO_FEE", "NO_RECEIPT", "below_paid", "no_receipt", "receipt_bands"]

NO_FEE = "none"
"""Fee band id for "I paid nothing" (also ``questionnaire.NO_FEE`` and ``reports.NO_FEE``)."""

NO_RECEIPT = "no-receipt"
"""The receipt amount's answer "I got no receipt"."""


def receipt_bands(bands: Sequence[str]) -> list[str]:
    """The bands a receipt can show: the fee bands without "I paid nothing"."""
    return [band for band in bands if band != NO_FEE]


def below_paid(answers: Mapping[str, object], bands: Sequence[str]) -> bool | None:
    """``receipt_below_paid`` from the report's answers (see the module docstring)."""
    paid, shown = answers.get("fee_band"), answers.get("receipt_band")
    if not isinstance(paid, str) or paid == NO_FEE:
        return None
    if answers.get("receipt_full_amount") is True:
        return False
    if shown == NO_RECEIPT:
        return False
    if not isinstance(shown, str) or paid not in bands or shown not in receipt_bands(bands):
        return None
    if bands.index(shown) < bands.index(paid):
        return True
    if bands.index(shown) == bands.index(paid):
        return True if answers.get("receipt_full_amount") is False else None
    return False


def no_receipt(answers: Mapping[str, object], bands: Sequence[str]) -> bool | None:
    """``no_receipt`` from the report's answers (see the module docstring)."""
    paid, shown = answers.get("fee_band"), answers.get("receipt_band")
    if not isinstance(paid, str) or paid == NO_FEE:
        return None
    if shown == NO_RECEIPT:
        return True
    if answers.get("receipt_full_amount") is True or shown in receipt_bands(bands):
        return False
    return None
