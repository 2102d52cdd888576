"""The receipt gap and "no receipt", worked out from the band paid and the receipt's band."""

from __future__ import annotations

import pytest

from recruiter_reports import questionnaire
from recruiter_reports.receipts import below_paid, no_receipt

BANDS = ("none", "b1", "b2", "b3", "b4", "b5")

CASES = [
    # fee paid, receipt for the full amount, band on the receipt -> (below paid, no receipt)
    ("b3", False, "b1", (True, False)),
    ("b3", False, "b3", (True, False)),  # same band, but the worker said: not the full amount
    ("b3", None, "b3", (None, False)),  # same band, full amount not said: the band cannot tell
    ("b3", False, "b4", (False, False)),
    ("b3", True, "b3", (False, False)),  # a full receipt (the amount was not asked)
    ("b3", True, None, (False, False)),
    ("b3", False, "no-receipt", (False, True)),
    ("b3", False, None, (None, None)),  # "I don't know / skip"
    ("none", None, None, (None, None)),  # nothing paid: not asked
    (None, False, "b1", (None, None)),  # the fee was not said
    ("b3", False, "none", (None, None)),  # not a band a receipt can show
    ("b3", False, "b9", (None, None)),  # not one of the origin's bands
]


@pytest.mark.parametrize(("fee", "full", "receipt", "expected"), CASES)
def test_the_rules(fee: str | None, full: bool | None, receipt: str | None,
                   expected: tuple[bool | None, bool | None]) -> None:  # fmt: skip
    answers = {"fee_band": fee, "receipt_full_amount": full, "receipt_band": receipt}
    assert (below_paid(answers, BANDS), no_receipt(answers, BANDS)) == expected
    assert questionnaire.DEFAULT.derive(answers, BANDS) == {
        "receipt_below_paid": expected[0], "no_receipt": expected[1],
    }  # fmt: skip


def test_derived_rows_are_indicators_but_never_asked() -> None:
    table = questionnaire.DEFAULT
    assert "gap_less" not in table.steps and "gap_none" not in table.steps
    assert table.steps[:4] == ("dest", "fee", "receipt", "gap")
    assert table.indicators[:3] == ("receipt_full_amount", "receipt_below_paid", "no_receipt")
    assert "receipt_band" not in table.indicators
