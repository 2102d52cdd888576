"""A summary stored before a question was added still reads, and is rebuilt with it.

Over every adapter: reports saved under the default questionnaire, then read
with one more yes/no question in the table (as after an upgrade).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from recruiter_reports import questionnaire
from recruiter_reports.questionnaire import Kind, Question
from recruiter_reports.reports import Report
from recruiter_reports.stores import Store
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.summaries import summarize
from tests.integration.stores.conftest import FakeClock

RID = "KE-EX-KE-0001"
SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
WAGE = Question(
    "wage", Kind.YES_NO, "wage_paid_on_time", chat="Wage paid?", review="Wage", icon="💵",
    portal="Wage paid", api="Share whose wage was paid",
)  # fmt: skip
EXTENDED = questionnaire.DEFAULT.with_question(WAGE)


def _report(clock: FakeClock, **answers: object) -> Report:
    return Report.model_validate({"recruiter_id": RID, "origin": "KE", "passport_kept": True,
                                  "created_at": clock(), **answers})  # fmt: skip


async def test_an_old_summary_reads_the_new_indicator_as_no_answers(
    store: Store, clock: FakeClock
) -> None:
    for n in range(3):
        await store.save_report(f"p{n}", _report(clock), reporter_since=SINCE)
    with questionnaire.use(EXTENDED):
        summary = await store.summary(RID)
        assert summary.reporters == 3
        assert summary.indicators["wage_paid_on_time"].answered == 0
        assert summary.indicators["passport_kept"].yes == 3
        assert set(await store.summaries()) == {RID}
        assert (await store.breakdown(RID, "destination"))[""].reporters == 3
        await store.save_report("p9", _report(clock, wage_paid_on_time=False),
                                reporter_since=SINCE)  # fmt: skip
        summary = await store.summary(RID)
        assert summary.indicators["wage_paid_on_time"].no == 1
        reports = [s.report for n in (0, 1, 2, 9) for s in await store.reports_of(f"p{n}")]
        assert reports[0].answer("wage_paid_on_time") is None
        assert summary == summarize(reports)
        await store.recompute_summaries()
        assert await store.summary(RID) == summarize(reports)


async def test_opening_rebuilds_summaries_written_before_a_question_was_added(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    old = SQLiteStore(path, clock)
    await old.open()
    await old.save_report("p1", _report(clock), reporter_since=SINCE)
    await old.close()
    with questionnaire.use(EXTENDED):
        upgraded = SQLiteStore(path, clock)
        await upgraded.open()
        try:
            stored = await upgraded.run(
                lambda db: db.execute("SELECT yes_no FROM summaries WHERE dim = 'all'").fetchone()
            )
            assert "wage_paid_on_time" in stored[0]
            assert (await upgraded.summary(RID)).indicators["wage_paid_on_time"].answered == 0
        finally:
            await upgraded.close()
