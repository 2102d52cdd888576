"""``python -m bot registry import``: saved copies of the regulators' lists become the registry."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from bot.cli import main
from recruiter_reports.registry import LicenceStatus
from recruiter_reports.registry_csv import check_registry, load_registry
from recruiter_reports.registry_import import RegistryImportFailed, import_registry

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "registries"
SHIPPED_KE = Path(__file__).resolve().parents[3] / "content" / "recruiters" / "KE.csv"
AS_OF = dt.date(2026, 11, 30)
NEA = "National Employment Authority: list of employment agencies"
NEA_PAGES = [FIXTURES / "nea_agency_list.html", FIXTURES / "nea_agency_list_page2.html"]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder whose KE registry is the shipped one (example rows, press rows)."""
    (tmp_path / "recruiters").mkdir()
    shutil.copy(SHIPPED_KE, tmp_path / "recruiters" / "KE.csv")
    return tmp_path


def _statuses(path: Path, country: str) -> dict[str, LicenceStatus]:
    return {r.name: r.status for r in load_registry(path, country)}


def test_nea_table_black_is_valid_and_red_is_not(content: Path) -> None:
    target = content / "recruiters" / "KE.csv"
    result = import_registry(NEA_PAGES, "KE", target, NEA, AS_OF)
    statuses = _statuses(target, "KE")
    assert statuses["Harambee Fixture Recruitment Ltd"] is LicenceStatus.VALID  # page 2
    assert statuses["Imara Fixture Jobs Abroad Ltd"] is LicenceStatus.INVALID
    assert statuses["Acacia Fixture Recruitment Agency Ltd"] is LicenceStatus.VALID
    assert statuses["Baobab Fixture Manpower Services Ltd"] is LicenceStatus.INVALID  # row style
    assert statuses["Cedar & Sons Fixture Placement Ltd"] is LicenceStatus.VALID
    assert statuses["Dune Fixture Overseas Jobs Ltd"] is LicenceStatus.INVALID  # <font color=red>
    assert statuses["Elgon Fixture Consultants Ltd"] is LicenceStatus.VALID  # spaces folded
    assert statuses["Flamingo Fixture Agency Ltd"] is LicenceStatus.INVALID
    assert "Gazelle Fixture Recruiters" not in statuses  # no registration number
    assert any("no licence number" in line for line in result.skipped)
    registry = load_registry(target, "KE")
    assert not registry.example
    assert registry.as_of == AS_OF
    acacia = next(r for r in registry if r.name.startswith("Acacia"))
    assert (acacia.licence_no, acacia.source, acacia.as_of) == ("NEA/PEA/2023/0101", NEA, AS_OF)


def test_import_reports_added_removed_and_keeps_press_entries(content: Path) -> None:
    target = content / "recruiters" / "KE.csv"
    result = import_registry(NEA_PAGES, "KE", target, NEA, AS_OF)
    assert len(result.added) == 8 and not result.changed
    assert any("(example data)" in line for line in result.removed)
    statuses = _statuses(target, "KE")
    assert statuses["Gulfway Recruitment Company Ltd"] is LicenceStatus.DEREGISTERED
    assert statuses["Royal Capital Placement Ltd"] is LicenceStatus.DEREGISTERED
    assert not any(name.startswith("Example ") for name in statuses)
    press = next(r for r in load_registry(target, "KE") if r.name.startswith("Gulfway"))
    assert "allafrica.com/stories/202410070034.html" in press.source
    assert press.as_of == dt.date(2024, 10, 7)


def test_a_second_import_says_what_changed(content: Path) -> None:
    target = content / "recruiters" / "KE.csv"
    import_registry(NEA_PAGES, "KE", target, NEA, AS_OF)
    later = dt.date(2026, 12, 15)
    result = import_registry(FIXTURES / "nea_export.csv", "KE", target, NEA, later)
    assert result.added == ["Horizon Fixture Jobs Ltd (NEA/PEA/2025/0808, valid)"]
    assert result.changed == []  # Baobab was already invalid
    assert "Cedar & Sons Fixture Placement Ltd (NEA/PEA/2024/0303)" in result.removed
    assert load_registry(target, "KE").as_of == later
    text = result.report()
    assert text.startswith("3 agencies read: 1 added, 0 changed, 6 removed.")
    assert "  added: Horizon Fixture Jobs Ltd" in text


def test_dofe_table_status_column(tmp_path: Path) -> None:
    target = tmp_path / "NP.csv"
    result = import_registry(
        FIXTURES / "dofe_recruiting_agencies.html", "NP", target, "DoFE list", AS_OF
    )
    statuses = _statuses(target, "NP")
    assert statuses == {
        "Fixture Himal Overseas Pvt. Ltd.": LicenceStatus.VALID,
        "Fixture Sagarmatha Human Resource Pvt. Ltd.": LicenceStatus.VALID,
        "Fixture Terai Manpower Pvt. Ltd.": LicenceStatus.INVALID,
        "Fixture Kali Gandaki Recruitment Pvt. Ltd.": LicenceStatus.REVOKED,
        "Fixture Rara Employment Pvt. Ltd.": LicenceStatus.VALID,
    }
    assert len(result.added) == 5
    assert check_registry(target) == []


def test_xlsx_with_red_font(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["List of registered agencies"])
    sheet.append(["No", "Name of Agency", "Licence Number"])
    sheet.append([1, "Acacia Fixture Recruitment Agency Ltd", "NEA/PEA/2023/0101"])
    sheet.append([2, "Baobab Fixture Manpower Services Ltd", "NEA/PEA/2021/0202"])
    for cell in sheet[4]:
        cell.font = Font(color="FFFF0000")
    book.save(tmp_path / "list.xlsx")
    target = tmp_path / "KE.csv"
    import_registry(tmp_path / "list.xlsx", "KE", target, NEA, AS_OF)
    assert _statuses(target, "KE") == {
        "Acacia Fixture Recruitment Agency Ltd": LicenceStatus.VALID,
        "Baobab Fixture Manpower Services Ltd": LicenceStatus.INVALID,
    }


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("page.html", "<html><body><p>Service unavailable</p></body></html>", "no <table>"),
        ("page.html", "<table><tr><td>a</td><td>b</td></tr></table>", "no header row"),
        ("list.txt", "Agency Name,Licence No", "unknown file type .txt"),
    ],
)
def test_a_list_we_cannot_read_writes_nothing(
    content: Path, name: str, text: str, message: str
) -> None:
    target = content / "recruiters" / "KE.csv"
    before = target.read_bytes()
    (content / name).write_text(text, encoding="utf-8")
    with pytest.raises(RegistryImportFailed, match=message):
        import_registry(content / name, "KE", target, NEA, AS_OF)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["KE.csv"]


def test_the_command_prints_the_changes(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["registry", "import", "--origin", "ke", *(str(page) for page in NEA_PAGES),
         "--as-of", "2026-11-30", "--content", str(content)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "8 agencies read: 8 added, 0 changed" in out
    assert "added: Baobab Fixture Manpower Services Ltd (NEA/PEA/2021/0202, invalid)" in out
    assert "kept (own source): Gulfway Recruitment Company Ltd" in out
    assert f"Wrote {content / 'recruiters' / 'KE.csv'} (as of 2026-11-30)." in out
    shipped = load_registry(content / "recruiters" / "KE.csv", "KE")
    assert "neaims.go.ke/EmploymentAgencyList.aspx" in next(iter(shipped)).source


def test_the_command_refuses_a_bad_date(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["registry", "import", "--origin", "KE", "x.html", "--as-of", "30/11/2026"])
    assert "as-of" in capsys.readouterr().err


def test_one_page_of_a_paged_list_is_refused(content: Path) -> None:
    """Page 1 alone would report page 2's agencies as removed, then call them unlisted."""
    target = content / "recruiters" / "KE.csv"
    before = target.read_bytes()
    with pytest.raises(RegistryImportFailed, match="one page of a list with 2 pages"):
        import_registry(FIXTURES / "nea_agency_list.html", "KE", target, NEA, AS_OF)
    assert target.read_bytes() == before
