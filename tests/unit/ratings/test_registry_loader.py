"""Loading registry CSVs: the shipped examples load, and every broken row is named by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recruiter_reports.registry import LicenceStatus
from recruiter_reports.registry_csv import RegistryInvalid, check_registry, load_registry

CONTENT = Path(__file__).resolve().parents[3] / "content" / "recruiters"
HEADER = "name,licence_no,status,aliases,source,as_of,example\n"
GOOD = (
    "Example Alpha Agency Ltd,EX-KE-0001,valid,Alpha|Alfa,fictional example data,2025-01-15,true\n"
)


def _write(tmp_path: Path, body: str, name: str = "KE.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("country", ["KE", "NP"])
def test_shipped_examples_are_valid_and_clearly_fictional(country: str) -> None:
    path = CONTENT / f"{country}.csv"
    assert check_registry(path) == []
    registry = load_registry(path, country)
    assert registry.example
    examples = [r for r in registry if r.example]
    assert len(examples) >= 15
    assert {r.status for r in examples} == {
        LicenceStatus.VALID, LicenceStatus.REVOKED, LicenceStatus.EXPIRED,
    }  # fmt: skip
    for recruiter in registry:
        if not recruiter.example:  # a real agency named by a dated press source
            assert recruiter.status is LicenceStatus.DEREGISTERED
            assert "https://" in recruiter.source and recruiter.as_of is not None
            continue
        assert recruiter.name.startswith("Example ")
        assert recruiter.licence_no.startswith(f"EX-{country}-")
        assert recruiter.source == "fictional example data"
        assert recruiter.id == f"{country}-{recruiter.licence_no}"


def test_a_good_row_becomes_a_recruiter(tmp_path: Path) -> None:
    registry = load_registry(_write(tmp_path, HEADER + GOOD), "ke")
    recruiter = registry.get("KE-EX-KE-0001")
    assert recruiter is not None
    assert recruiter.country == "KE"
    assert recruiter.aliases == ("Alpha", "Alfa")
    assert recruiter.as_of == dt.date(2025, 1, 15)
    assert recruiter.status is LicenceStatus.VALID


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    body = (
        HEADER
        + GOOD
        + ",EX-KE-0002,valid,,src,2025-01-15,\n"
        + "Beta,EX-KE-0003,active,,src,2025-01-15,\n"
        + "Gamma,EX-KE-0004,valid,,src,15/01/2025,\n"
        + "Delta,ex ke 0001,expired,,src,2025-01-15,\n"
        + "Epsilon,EX-KE-0005,revoked,,src,2025-01-15,\n"
    )
    with pytest.raises(RegistryInvalid) as caught:
        load_registry(_write(tmp_path, body), "KE")
    errors = caught.value.errors
    assert [line for line, _ in errors] == [3, 4, 5, 6]
    assert "name" in errors[0][1] and "empty" in errors[0][1]
    assert "valid, revoked, expired" in errors[1][1] and "'active'" in errors[1][1]
    assert "ISO date" in errors[2][1]
    assert "duplicate licence number" in errors[3][1] and "line 2" in errors[3][1]
    assert check_registry(_write(tmp_path, body)) == errors


def test_missing_and_unknown_columns_are_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "name,licence,status,aliases,source,as_of\nA,1,valid,,s,2025-01-01\n")
    errors = check_registry(path)
    assert errors == [(1, "missing column(s): licence_no"), (1, "unknown column(s): licence")]


def test_licence_numbers_must_make_short_ascii_ids(tmp_path: Path) -> None:
    long_licence = "Long,EX-" + "9" * 40 + ",valid,,s,2025-01-01,\n"
    cyrillic = "Odd,ЕХ-1,valid,,s,2025-01-01,\n"
    body = HEADER + long_licence + cyrillic
    errors = check_registry(_write(tmp_path, body))
    assert [line for line, _ in errors] == [2, 3]
    assert "too long" in errors[0][1]
    assert "letters A-Z" in errors[1][1]


def test_check_never_raises_on_an_unreadable_file(tmp_path: Path) -> None:
    assert check_registry(tmp_path / "KE.csv")[0][0] == 0
    (tmp_path / "NP.csv").write_bytes(b"name,licence_no\n\xff\xfe\x00bad")
    errors = check_registry(tmp_path / "NP.csv")
    assert errors and "cannot read" in errors[0][1]


def test_kenya_lists_the_deregistered_agencies_the_press_named() -> None:
    registry = load_registry(CONTENT / "KE.csv", "KE")
    named = {r.name: r for r in registry if not r.example}
    assert set(named) == {"Gulfway Recruitment Company Ltd", "Royal Capital Placement Ltd"}
    for recruiter in named.values():
        assert recruiter.licence_no == ""
        assert recruiter.id.startswith("KE-named-")
        assert recruiter.as_of == dt.date(2024, 10, 7)
        assert "allafrica.com/stories/202410070034.html" in recruiter.source
    assert [m.recruiter.name for m in registry.search("gulfway")][:1] == [
        "Gulfway Recruitment Company Ltd"
    ]


def test_only_a_deregistered_agency_may_lack_a_licence_number(tmp_path: Path) -> None:
    body = HEADER + "Nameless Licence Ltd,,valid,,press,2024-10-07,false\n"
    problems = check_registry(_write(tmp_path, body))
    assert problems and "only a deregistered agency" in problems[0][1]
