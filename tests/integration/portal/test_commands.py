"""``python -m bot stakeholders ...`` and ``python -m bot seed-demo`` against a SQLite file."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main
from recruiter_reports.audit import AuditAction
from recruiter_reports.reports import Report
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.stakeholder_port import stakeholder_store_for


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("STORE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("PSEUDONYM_KEY", "commands-test-pseudonym-key-0123456789abcdef")
    return path


def _audit(path: Path) -> list[AuditAction]:
    async def read() -> list[AuditAction]:
        store = SQLiteStore(path)
        await store.open()
        try:
            return [e.action for e in await stakeholder_store_for(store).audit_entries()]
        finally:
            await store.close()

    return asyncio.run(read())


def test_add_prints_the_key_once_list_never_shows_it_revoke_disables(
    store_url: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stakeholders", "add", "--name", "Ann Wanjiru", "--role", "official",
                 "--countries", "KE,qa"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    assert key.startswith("rr_") and len(key) > 50 and "shown only now" in out
    account_id = out.split()[1]
    assert main(["stakeholders", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Ann Wanjiru" in listing and "KE,QA" in listing and "active" in listing
    assert key not in listing and key.split("_", 2)[2] not in listing
    assert main(["stakeholders", "revoke", account_id]) == 0
    assert main(["stakeholders", "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["stakeholders", "revoke", "acct-nobody"]) == 1
    assert _audit(store_url)[:2] == [AuditAction.ACCOUNT_REVOKED, AuditAction.ACCOUNT_ADDED]


def test_add_refuses_bad_input(store_url: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stakeholders", "add", "--name", "X", "--role", "ngo",
                 "--countries", "Kenya"]) == 2  # fmt: skip
    assert main(["stakeholders", "add", "--name", "X", "--role", "employer"]) == 2
    assert "country" in capsys.readouterr().err


def test_seed_demo_runs_twice_but_refuses_a_store_with_real_reports(
    store_url: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed-demo"]) == 0
    first = capsys.readouterr().out
    assert "SYNTHETIC" in first
    assert main(["seed-demo"]) == 0  # replaces its own reports, adds nothing
    assert capsys.readouterr().out == first

    async def add_real_report() -> None:
        store = SQLiteStore(store_url)
        await store.open()
        report = Report(recruiter_id="KE-EX-KE-0001", origin="KE", passport_kept=True,
                        created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))  # fmt: skip
        await store.save_report("a" * 64, report,
                                reporter_since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        await store.close()

    asyncio.run(add_real_report())
    assert main(["seed-demo"]) == 1
    assert "not synthetic" in capsys.readouterr().err
    assert _audit(store_url).count(AuditAction.SEED_DEMO) == 2


def test_a_caseworker_is_added_for_one_partner_organisation(
    store_url: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stakeholders", "add", "--name", "Amani Otieno", "--role", "caseworker",
                 "--partner", "migrant-rights"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "partner migrant-rights" in out and out.strip().splitlines()[-1].startswith("rr_")
    assert main(["stakeholders", "list"]) == 0
    assert "caseworker" in (listing := capsys.readouterr().out)
    assert "Amani Otieno (partner migrant-rights)" in listing

    assert main(["stakeholders", "add", "--name", "Typo", "--role", "caseworker",
                 "--partner", "migrant-right"]) == 2  # fmt: skip
    captured = capsys.readouterr()
    assert "unknown partner organisation 'migrant-right'" in captured.err
    assert "migrant-rights, pncc, send-us-home-kenya" in captured.err
    assert "rr_" not in captured.out  # no account, no key
    assert main(["stakeholders", "list"]) == 0
    assert "Typo" not in capsys.readouterr().out

    assert main(["stakeholders", "add", "--name", "No Partner", "--role", "caseworker"]) == 2
    assert "--partner" in capsys.readouterr().err
    assert main(["stakeholders", "add", "--name", "Ann", "--role", "official",
                 "--countries", "KE", "--partner", "kituo-cha-sheria"]) == 2  # fmt: skip
    assert "only a caseworker" in capsys.readouterr().err


def test_an_agency_account_is_bound_to_one_registry_entry(
    store_url: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stakeholders", "add", "--name", "Savannah staff", "--role", "agency",
                 "--agency", "KE-EX-KE-0002"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "agency, countries KE, agency KE-EX-KE-0002" in out
    assert main(["stakeholders", "list"]) == 0
    assert "(agency KE-EX-KE-0002)" in capsys.readouterr().out
    assert main(["stakeholders", "add", "--name", "Nobody", "--role", "agency",
                 "--agency", "KE-NO-SUCH"]) == 2  # fmt: skip
    assert "no agency with id or licence number" in capsys.readouterr().err
    assert main(["stakeholders", "add", "--name", "Unbound", "--role", "agency"]) == 2
    assert "--agency" in capsys.readouterr().err
