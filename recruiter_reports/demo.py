"""Synthetic reports for trying the portal (``python -m bot seed-demo``).

Every synthetic report is written under a pseudonym starting ``synthetic-demo-``
(real pseudonyms are 64 hex digits, so the two can never meet) and every
synthetic comment starts with ``[SYNTHETIC DEMO]``. Seeding refuses a store
that holds any report not made here, so demo figures can never mix with
workers' real ones. Running it again replaces the same synthetic reports.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from recruiter_reports import questionnaire
from recruiter_reports.names import NameKind, broker_key
from recruiter_reports.quarters import Quarter
from recruiter_reports.receipts import NO_FEE, NO_RECEIPT
from recruiter_reports.registry import Recruiter, pending_recruiter
from recruiter_reports.replies import moderated, written
from recruiter_reports.reports import Report
from recruiter_reports.stores.names_port import NameStore
from recruiter_reports.stores.port import ModerationStore, RatingStore
from recruiter_reports.stores.replies_port import ReplyStore

__all__ = [
    "DEMO_PREFIX",
    "DemoStore",
    "RealReportsPresent",
    "SeedResult",
    "demo_pseudonyms",
    "demo_reports",
    "holds_demo_reports",
    "is_demo_pseudonym",
    "seed_demo",
    "unlisted_demo_agencies",
]

DEMO_PREFIX = "synthetic-demo-"
COMMENT_MARK = "[SYNTHETIC DEMO]"
DESTINATIONS: tuple[str | None, ...] = ("QA", "QA", "QA", "SA", "AE", None)
_MAX_REPORTERS = 24
_SEED = 2024
_DEMO_BANDS = ("none", "b1", "b2", "b3", "b4", "b5")
"""The fee bands of the demo's origins (Kenya's and Nepal's ids), lowest first."""
DEMO_UNLISTED: tuple[tuple[str, int, bool], ...] = (
    ("Blue Sky Manpower (synthetic demo)", 7, True),
    ("bluesky manpower ltd (synthetic demo)", 2, False),
)
"""Made-up agencies that are not in the registry: (name typed, reporters, name approved).
Two spellings of one, so a moderator can try merging them."""
DEMO_BROKERS = ("Demo Broker Alpha Office (synthetic)", "Demo Sub-agent Beta (synthetic)")
"""Made-up brokers; Alpha is named often enough to show in a broker chain."""
DEMO_REPLY = (
    f"{COMMENT_MARK} Made-up reply of an example agency: we have refunded every fee above "
    "the legal limit charged in the last year, and no one in our chain keeps passports any more."
)
"""The right of reply, approved, of the busiest example agency of each origin."""
DEMO_REPLY_ACCOUNT = "synthetic-demo"


def unlisted_demo_agencies(origin: str) -> list[Recruiter]:
    """The made-up unlisted agencies of ``origin`` (seeded beside the registry's)."""
    return [pending_recruiter(origin, name) for name, _, _ in DEMO_UNLISTED]


class DemoStore(RatingStore, ModerationStore, NameStore, Protocol):
    """What seeding and recognising the demo reports need (and the portal reads): ratings,
    the held ones, and the typed names."""



class RealReportsPresent(Exception):
    """The store holds reports that seed-demo did not write: refuse to mix demo data in."""


@dataclass(frozen=True, slots=True)
class SeedResult:
    reports: int
    agencies: int


def is_demo_pseudonym(pseudonym: str) -> bool:
    return pseudonym.startswith(DEMO_PREFIX)


def demo_pseudonyms(recruiter: Recruiter) -> list[str]:
    """Every pseudonym seed-demo may use for ``recruiter`` (also for counting them)."""
    return [f"{DEMO_PREFIX}{recruiter.id}-{n:02d}" for n in range(_MAX_REPORTERS)]


def demo_reports(
    recruiters: Iterable[Recruiter], now: dt.datetime, seed: int = _SEED
) -> list[tuple[str, Report]]:
    """Deterministic synthetic reports: some agencies above the threshold, some below."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not a secret
    receipts_rng = random.Random(seed + 1)  # noqa: S311 - made-up data, not a secret
    out: list[tuple[str, Report]] = []
    for position, recruiter in enumerate(recruiters):
        # A spread of sizes so the portal shows both figures and suppression.
        count = (0, 3, 9, 16, 22, 12)[position % 6]
        typed = {name: n for name, n, _ in DEMO_UNLISTED}
        unlisted_name = next((n for n in typed if recruiter.name == " ".join(n.split())), None)
        if unlisted_name is not None:
            count = typed[unlisted_name]
        bad = rng.random()  # how badly this made-up agency behaves
        # The busiest agencies send to one country over the last two quarters, so
        # their trend by quarter has cells of k reporters to show (a second, small
        # destination would withhold the first by complementary suppression).
        # The others put every report in one cell (QA, the last whole quarter): figures
        # are made of published cells of k reporters (``recruiter_reports.publication``),
        # so a dozen reports spread over years and countries would show nothing at all.
        # The draws are made as before, so every other answer stays what it was.
        busy = count >= 16
        for number, pseudonym in enumerate(demo_pseudonyms(recruiter)[:count]):
            days = rng.randrange(1, _recent_days(now) if busy else 900)
            destination = "QA" if busy else rng.choice(DESTINATIONS)
            if not busy:
                days, destination = _last_quarter_days(now, days), "QA"
            created = now - dt.timedelta(days=days)
            fields: dict[str, object] = {
                "recruiter_id": recruiter.id,
                "origin": recruiter.country,
                "destination": destination,
                "fee_band": rng.choice(("none", "b1", "b2", "b3", "b4", None)),
                "receipt_full_amount": _answer(rng, 1 - bad),
                "job_as_promised": _answer(rng, 1 - bad),
                "contract_substituted": _answer(rng, bad),
                "passport_kept": _answer(rng, bad),
                "orientation": _answer(rng, 0.6),
                "recommend": rng.choice((1, 2, 3, 4, 5, None)),
                "comment": (f"{COMMENT_MARK} Made-up comment for trying moderation."
                            if rng.random() < 0.15 else None),
            }  # fmt: skip
            gap = _answer(rng, bad)  # drawn where it always was, so the other figures stay
            fields.update(
                receipt_band=_receipt(receipts_rng, fields["fee_band"],
                                      fields["receipt_full_amount"], gap),
                broker=(DEMO_BROKERS[0 if number % 4 < 3 else 1]
                        if count >= 9 and number % 4 else None),
                agency_name=unlisted_name,
                created_at=created,
            )  # fmt: skip
            fields.update(questionnaire.current().derive(fields, _DEMO_BANDS))
            out.append((pseudonym, Report.model_validate(fields)))
    return out


def _recent_days(now: dt.datetime) -> int:
    """Days back to the first day of the quarter before ``now``'s (at least two)."""
    quarter = Quarter.of(now)
    previous = quarter.previous()
    return max(2, (now.date() - previous.first_day).days)


def _last_quarter_days(now: dt.datetime, drawn: int) -> int:
    """Days back to a moment of the quarter before ``now``'s, spread by ``drawn``."""
    into = (now.date() - Quarter.of(now).first_day).days  # days back to this quarter's start
    span = max(1, _recent_days(now) - into)
    return into + 1 + drawn % span


def _receipt(rng: random.Random, paid: object, full: object, gap: bool | None) -> str | None:
    """A receipt's band that tells the made-up receipt gap ``gap``: the band paid for a full
    receipt, a lower band for a gap, else no receipt (which the gap counts as No)."""
    if not isinstance(paid, str) or paid == NO_FEE or gap is None:
        return None
    if full is True:
        return paid
    lower = _DEMO_BANDS[1 : _DEMO_BANDS.index(paid)]
    if gap:
        return rng.choice(lower) if lower else paid
    return NO_RECEIPT


def _answer(rng: random.Random, p_yes: float) -> bool | None:
    if rng.random() < 0.1:
        return None  # prefer not to say
    return rng.random() < p_yes


async def seed_demo(
    store: DemoStore,
    recruiters: list[Recruiter],
    now: dt.datetime,
    replies: ReplyStore | None = None,
) -> SeedResult:
    """Write the synthetic reports, or raise RealReportsPresent (nothing written).

    Beside the registry's agencies, made-up unlisted ones (``DEMO_UNLISTED``) of the first
    origin, with the name of one approved, and made-up brokers approved. With ``replies``,
    the busiest agency of each origin gets an approved made-up reply (``DEMO_REPLY``).
    """
    origins = sorted({recruiter.country for recruiter in recruiters})
    if origins:
        recruiters = [*recruiters, *unlisted_demo_agencies(origins[0])]
    demo = 0
    for recruiter in recruiters:
        for pseudonym in demo_pseudonyms(recruiter):
            demo += len(await store.reports_of(pseudonym))
    counted = sum(summary.reporters for summary in (await store.summaries()).values())
    held = len(await store.held_reports(limit=1_000_000))
    if counted + held > demo:
        raise RealReportsPresent(
            f"the store holds {counted + held - demo} report(s) that are not synthetic; "
            "seed-demo only runs on an empty or demo-only store"
        )
    reports = demo_reports(recruiters, now)
    for pseudonym, report in reports:
        await store.save_report(pseudonym, report, reporter_since=report.created_at)
    for name, _, approved in DEMO_UNLISTED:
        if approved and origins:
            await store.moderate_name(NameKind.AGENCY, pending_recruiter(origins[0], name).id, True)
    for broker in DEMO_BROKERS:
        await store.moderate_name(NameKind.BROKER, broker_key(broker), True)
    if replies is not None:
        await _reply(replies, reports, now)
    return SeedResult(len(reports), len({report.recruiter_id for _, report in reports}))


async def _reply(replies: ReplyStore, reports: list[tuple[str, Report]], now: dt.datetime) -> None:
    counts: dict[str, int] = {}
    for _, report in reports:
        counts[report.recruiter_id] = counts.get(report.recruiter_id, 0) + 1
    busiest: dict[str, str] = {}
    for recruiter_id, count in counts.items():  # first seen wins a tie: registry order
        best = busiest.get(recruiter_id[:2])
        if best is None or count > counts[best]:
            busiest[recruiter_id[:2]] = recruiter_id
    for recruiter_id in busiest.values():
        draft = written(await replies.reply_record(recruiter_id), recruiter_id,
                        DEMO_REPLY_ACCOUNT, DEMO_REPLY, now - dt.timedelta(days=5))  # fmt: skip
        approved = moderated(draft, approve=True)
        if approved is not None:
            await replies.save_reply_record(approved)


async def holds_demo_reports(store: RatingStore, recruiters: Iterable[Recruiter]) -> bool:
    """Whether seed-demo's synthetic reports are in the store (the portal then says so)."""
    for recruiter in recruiters:
        if await store.reports_of(demo_pseudonyms(recruiter)[0]):
            return True
    return False
