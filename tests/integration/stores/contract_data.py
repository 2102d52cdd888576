"""What the store contract suites share: pseudonyms, a rich state, reports, the reference check."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from recruiter_reports.reports import Report
from recruiter_reports.stores import DeliveryStore, RatingStore
from recruiter_reports.summaries import summarize

from .conftest import FakeClock

KEY = b"contract-suite-key-0123456789-abcdefghijkl"


ALICE = hmac.new(KEY, b"telegram:1001", hashlib.sha256).hexdigest()


BOB = hmac.new(KEY, b"whatsapp:254700000001", hashlib.sha256).hexdigest()


def rich_state(greeting: str) -> dict[str, Any]:
    return {
        "flow": "rate_recruiter",
        "locale": "sw",
        "step": 3,
        "answers": {
            "fees_band": "50k-100k",
            "receipt": False,
            "recommend": 2,
            "comment": greeting,
            "ratio": 0.75,
            "skipped": None,
        },
        "history": [["menu", "rate"], {"choice": "destination:QA"}],
        "notes": {
            "sw": "Habari, nimefika salama Doha lakini pasipoti yangu imechukuliwa.",
            "ne": "म सुरक्षित छु, तर मेरो राहदानी कम्पनीले राखेको छ।",
            "ar": "أين جواز سفري؟ صاحب العمل أخذه.",
        },
    }


def later(clock: FakeClock, **delta: float) -> dt.datetime:
    return clock() + dt.timedelta(**delta)


AGENCY = "KE-EX-KE-0001"


OTHER_AGENCY = "KE-EX-KE-0002"


def person_id(n: int) -> str:
    return hmac.new(KEY, f"telegram:{5000 + n}".encode(), hashlib.sha256).hexdigest()


def make_report(clock: FakeClock, recruiter_id: str = AGENCY, **answers: Any) -> Report:
    fields: dict[str, Any] = {
        "origin": recruiter_id[:2],
        "destination": "QA",
        "fee_band": "b2",
        "receipt_full_amount": False,
        "job_as_promised": True,
        "contract_substituted": False,
        "passport_kept": True,
        "orientation": None,
        "recommend": 2,
    }
    fields.update(answers)
    return Report(recruiter_id=recruiter_id, created_at=clock(), **fields)


async def counted_equals_reference(
    store: RatingStore, expected: dict[str, dict[str, Report]]
) -> None:
    """Every stored summary (and breakdown) equals ``summarize`` over the reports that count."""
    for recruiter_id, by_person in expected.items():
        reports = list(by_person.values())
        assert await store.summary(recruiter_id) == summarize(reports, recruiter_id)
        for by in ("destination", "year"):
            cells = await store.breakdown(recruiter_id, by)  # type: ignore[arg-type]
            assert sum(cell.reporters for cell in cells.values()) == len(reports)
            for key, cell in cells.items():
                members = [
                    r for r in reports
                    if (r.destination or "" if by == "destination" else str(r.created_at.year))
                    == key
                ]
                assert cell == summarize(members, recruiter_id)


async def claim(
    store: DeliveryStore, clock: FakeClock, key: str, *, lease_minutes: float = 1
) -> bool:
    return await store.claim_delivery(
        key, lease_until=later(clock, minutes=lease_minutes), expires_at=later(clock, days=1)
    )
