"""Reports saved with the old yes/no receipt-gap answer still count, beside the new amounts.

Over every adapter: reports written as the release before the receipt's amount wrote them
(the yes/no question, no ``receipt_band``, no ``no_receipt``), then read, added to and
recomputed under today's questionnaire (``recruiter_reports.receipts`` says why the old
answer is read as it is).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pymongo import MongoClient

from recruiter_reports import questionnaire
from recruiter_reports.questionnaire import Kind, Question, Questionnaire
from recruiter_reports.reports import Report
from recruiter_reports.stores import Store
from recruiter_reports.stores.memory import MemoryStore
from recruiter_reports.stores.mongodb import MongoDBStore
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.summaries import YesNo, summarize

from .conftest import FakeClock
from .contract_data import AGENCY, make_report, person_id

SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BANDS = ("none", "b1", "b2", "b3", "b4", "b5")
OLD_GAP = Question(
    "gap", Kind.YES_NO, "receipt_below_paid",
    chat="Did you get a receipt that shows a smaller amount than you really paid?",
    review="Receipt showed less than paid", icon="🧾",
    portal="Receipt showed less than they paid", api="Receipt gap",
    skipped_after=("fee", "none"), follows=("receipt", "y", "n"),
)  # fmt: skip
OLD = Questionnaire(tuple(
    OLD_GAP if q.id == "gap" else q
    for q in questionnaire.DEFAULT.questions if q.kind is not Kind.DERIVED
))  # fmt: skip
"""The questionnaire as the release before the receipt's amount had it."""


def _new(clock: FakeClock, **answers: object) -> Report:
    fields: dict[str, object] = {"fee_band": "b3", "receipt_full_amount": False, **answers}
    derived = questionnaire.current().derive(fields, BANDS)
    return make_report(clock, **fields, **derived)


async def _as_the_old_release_wrote(store: Store) -> None:
    """Drop what the old release never wrote (the amount's field) from the stored reports."""
    if isinstance(store, SQLiteStore):
        await store.run(lambda db: db.execute(
            "UPDATE reports SET answers = json_remove(answers, '$.receipt_band')"
        ))  # fmt: skip
    elif isinstance(store, MongoDBStore):
        with MongoClient(store.url, serverSelectionTimeoutMS=5000) as client:
            client[store.database_name]["reports"].update_many({}, {"$unset": {"receipt_band": ""}})
    else:
        assert isinstance(store, MemoryStore)  # keeps Report objects: nothing else to drop


async def test_old_yes_no_answers_count_in_the_receipt_gap_beside_new_amounts(
    store: Store, clock: FakeClock
) -> None:
    with questionnaire.use(OLD):
        old = [make_report(clock, receipt_below_paid=answer) for answer in (True, False, None)]
        for n, report in enumerate(old):
            await store.save_report(person_id(n), report, reporter_since=SINCE)
        await _as_the_old_release_wrote(store)
    summary = await store.summary(AGENCY)
    assert summary.indicators["receipt_below_paid"] == YesNo(yes=1, no=1)
    assert summary.indicators["no_receipt"] == YesNo()  # the old question could not tell
    read_back = [s.report for n in range(3) for s in await store.reports_of(person_id(n))]
    assert [r.answer("receipt_below_paid") for r in read_back] == [True, False, None]
    assert {(r.receipt_band, r.answer("no_receipt")) for r in read_back} == {(None, None)}

    new = [_new(clock, receipt_band="b1"), _new(clock, receipt_band="no-receipt"),
           _new(clock, receipt_band=None)]  # fmt: skip
    for n, report in enumerate(new, start=3):
        await store.save_report(person_id(n), report, reporter_since=SINCE)
    summary = await store.summary(AGENCY)
    assert summary.indicators["receipt_below_paid"] == YesNo(yes=2, no=2)
    assert summary.indicators["no_receipt"] == YesNo(yes=1, no=1)
    reports = [s.report for n in range(6) for s in await store.reports_of(person_id(n))]
    assert [r.receipt_band for r in reports[3:]] == ["b1", "no-receipt", None]
    assert summary == summarize(reports)
    await store.recompute_summaries()
    assert await store.summary(AGENCY) == summarize(reports)
    cells = await store.breakdown(AGENCY, "destination")
    assert cells["QA"].indicators["receipt_below_paid"] == YesNo(yes=2, no=2)


async def test_a_sqlite_file_of_the_old_release_is_opened_and_counted(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    with questionnaire.use(OLD):
        old = SQLiteStore(path, clock)
        await old.open()
        for n, answer in enumerate((True, True, False)):
            report = make_report(clock, receipt_below_paid=answer)
            await old.save_report(person_id(n), report, reporter_since=SINCE)
        await _as_the_old_release_wrote(old)
        await old.close()
    upgraded = SQLiteStore(path, clock)
    await upgraded.open()
    try:
        stored = await upgraded.run(
            lambda db: db.execute("SELECT yes_no FROM summaries WHERE dim = 'all'").fetchone()
        )
        assert "no_receipt" in stored[0]  # rebuilt on opening, with the new indicator
        summary = await upgraded.summary(AGENCY)
        assert summary.indicators["receipt_below_paid"] == YesNo(yes=2, no=1)
        assert summary.indicators["no_receipt"] == YesNo()
    finally:
        await upgraded.close()
