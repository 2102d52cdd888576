"""Finding an agency the way a worker types it: typos, any word order, aliases, licence numbers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from recruiter_reports.registry import (
    LicenceStatus,
    Recruiter,
    Registry,
    is_pending_id,
    pending_recruiter,
    pending_recruiter_id,
    recruiter_id,
)
from recruiter_reports.registry_csv import load_registry

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_registry import synthetic_queries, synthetic_recruiters  # noqa: E402


@pytest.fixture(scope="module")
def kenya() -> Registry:
    return load_registry(ROOT / "content" / "recruiters" / "KE.csv", "KE")


def _first(registry: Registry, query: str) -> str:
    found = registry.search(query)
    assert found, f"nothing found for {query!r}"
    return found[0].recruiter.name


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sunrise", "Example Sunrise Recruitment Agency Ltd"),
        ("SUNRIZE agency", "Example Sunrise Recruitment Agency Ltd"),
        ("gulf savana", "Example Savannah Gulf Manpower Ltd"),
        ("valley rift workforce", "Example Rift Valley Workforce Company"),
        ("kilma placment", "Example Kilima Placement Consultants Ltd"),
        ("Jambo Jobs", "Example Jambo Overseas Employment Agency"),
        ("nyota intl", "Example Nyota International Services"),
        ("pwani manning", "Example Pwani Seafarers Manning Agency"),
        ("Équator trades", "Example Equator Skilled Trades Consultancy"),
        ("tumaini careers abroad mnapower", "Example Tumaini Careers Abroad Ltd"),
    ],
)
def test_names_aliases_typos_and_word_order(kenya: Registry, query: str, expected: str) -> None:
    assert _first(kenya, query) == expected


@pytest.mark.parametrize("query", ["EX-KE-0003", "ex ke 0003", "exke0003", "EX/KE/0003"])
def test_a_licence_number_matches_exactly(kenya: Registry, query: str) -> None:
    found = kenya.search(query)
    assert found[0].recruiter.licence_no == "EX-KE-0003"
    assert found[0].score == 100.0
    assert found[0].recruiter.status is LicenceStatus.REVOKED


def test_a_licence_number_with_one_typo_or_only_its_digits_is_found(kenya: Registry) -> None:
    assert kenya.search("EXKEOO12")[0].recruiter.licence_no == "EX-KE-0012"
    assert kenya.search("EX-KE-00122")[0].recruiter.licence_no == "EX-KE-0012"
    # One keystroke from several licences: all of them are offered.
    offered = {match.recruiter.licence_no for match in kenya.search("EX-KE-00012")}
    assert {"EX-KE-0012", "EX-KE-0001", "EX-KE-0002"} <= offered
    assert kenya.search("0012")[0].recruiter.licence_no == "EX-KE-0012"


def test_one_match_per_agency_even_when_several_aliases_match(kenya: Registry) -> None:
    found = kenya.search("pwani", limit=5)
    ids = [match.recruiter.id for match in found]
    assert ids[0] == "KE-EX-KE-0015"
    assert len(ids) == len(set(ids))


def test_results_are_capped_best_first_and_unrelated_text_finds_nothing(kenya: Registry) -> None:
    found = kenya.search("example", limit=3)
    assert len(found) == 3
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert kenya.search("qwxz plmk") == []
    assert kenya.search("   ") == []
    assert kenya.search("sunrise", limit=0) == []


def test_get_returns_listed_agencies_only(kenya: Registry) -> None:
    listed = kenya.get("KE-EX-KE-0001")
    assert listed is not None and listed.name.startswith("Example Sunrise")
    assert kenya.get(pending_recruiter_id("KE", "Sunrise")) is None
    assert kenya.by_licence("ex ke 0001") == listed


def test_pending_ids_are_stable_short_and_kept_apart() -> None:
    first = pending_recruiter_id("ke", "Bright Star Agency Ltd")
    assert first == pending_recruiter_id("KE", "  bright  STAR recruitment agency ")
    assert first != pending_recruiter_id("NP", "Bright Star Agency Ltd")
    assert first != pending_recruiter_id("KE", "Bright Moon Agency Ltd")
    assert first.startswith("KE-pending-") and first.isascii() and len(first) <= 40
    assert is_pending_id(first) and not is_pending_id("KE-EX-KE-0001")
    recruiter = pending_recruiter("KE", "Bright  Star Agency Ltd")
    assert recruiter.status is LicenceStatus.NOT_LISTED
    assert recruiter.licence_no == "" and recruiter.name == "Bright Star Agency Ltd"
    with pytest.raises(ValueError):
        pending_recruiter_id("KE", " -- ")


def test_ids_fit_in_a_chat_button() -> None:
    assert recruiter_id("np", "ra/123 / 2019") == "NP-RA-123-2019"
    with pytest.raises(ValueError):
        Recruiter(id="KE-" + "1" * 40, country="KE", name="x", licence_no="1",
                  status=LicenceStatus.VALID)  # fmt: skip


def test_a_registry_of_100k_agencies_finds_what_workers_type() -> None:
    recruiters = synthetic_recruiters(100_000)
    registry = Registry("KE", recruiters)
    queries = synthetic_queries(recruiters, 300)
    found_first = found_top5 = 0
    for kind, query, expected in queries:
        ids = [match.recruiter.id for match in registry.search(query)]
        assert len(ids) == len(set(ids))
        found_first += bool(ids) and ids[0] == expected
        found_top5 += expected in ids
        if kind in ("licence", "licence-typo"):
            assert ids and ids[0] == expected, (kind, query)
    assert found_first / len(queries) >= 0.95
    assert found_top5 / len(queries) >= 0.97
