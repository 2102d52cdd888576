"""What the check screens say about the agency list: its as-of date, example data,
and the deregistered agencies the press named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content import ContentTree
from bot.core.engine import Engine
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.registry_import import import_registry
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import ROOT, FakeClock, Person

EXAMPLE_NOTE = "This is an example list, not the official one (as of 2025-01-15)."


def _runner(
    folder: Path, content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock
) -> Runner:
    engine = Engine(
        content, catalogs, store, min_reporters=5, clock=clock, registries=load_registries(folder)
    )
    return Runner(engine, StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)


@pytest.fixture
def shipped(
    content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock
) -> Runner:
    return _runner(ROOT / "content" / "recruiters", content, catalogs, store, clock)


async def _check(runner: Runner, query: str) -> Person:
    person = Person(runner)
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/check")
    if "Which country is the agency in?" in person.text:
        await person.tap("agencies:check:KE")
    await person.send(query)
    return person


async def test_every_check_screen_of_an_example_list_says_so_with_its_date(
    shipped: Runner,
) -> None:
    person = await _check(shipped, "sunrise")
    assert EXAMPLE_NOTE in person.text  # the matches
    await person.tap("pick:check:KE-EX-KE-0001")
    assert EXAMPLE_NOTE in person.text  # the agency


async def test_an_agency_missing_from_an_example_list_is_never_called_unlicensed(
    shipped: Runner,
) -> None:
    person = await _check(shipped, "zzqx agency nobody knows")
    assert "It is not the official list, so this says nothing about the agency's licence." in (
        person.text
    )
    assert "official list." not in person.text.replace("not the official list,", "")
    assert EXAMPLE_NOTE in person.text
    await person.tap("unlisted:check")
    assert "not in the official list of licensed agencies" not in person.text
    assert "says nothing about the agency's licence" in person.text


async def test_a_deregistered_agency_shows_its_press_source_and_date(shipped: Runner) -> None:
    person = await _check(shipped, "gulfway recruitment")
    gulfway = next(c for c in person.last.choices if "Gulfway" in c.label)
    assert "deregistered" in gulfway.label
    await person.tap(gulfway.id)
    assert "named this agency among those deregistered or refused registration" in person.text
    assert "allafrica.com/stories/202410070034.html (source dated 2024-10-07)" in person.text
    assert "Licence :" not in person.text


async def test_an_imported_official_list_shows_its_date_and_says_official(
    tmp_path: Path, content: ContentTree, catalogs: Catalogs, store: MemoryStore,
    clock: FakeClock,
) -> None:
    folder = tmp_path / "recruiters"
    folder.mkdir()
    (folder / "KE.csv").write_bytes((ROOT / "content" / "recruiters" / "KE.csv").read_bytes())
    saved = ROOT / "tests" / "fixtures" / "registries"
    pages = [saved / "nea_agency_list.html", saved / "nea_agency_list_page2.html"]
    import_registry(pages, "KE", folder / "KE.csv", "NEA list", dt.date(2026, 11, 30))
    runner = _runner(folder, content, catalogs, store, clock)
    person = await _check(runner, "baobab fixture manpower")
    assert "Agency list as of 2026-11-30." in person.text
    baobab = next(c for c in person.last.choices if "Baobab" in c.label)
    assert "not valid" in baobab.label
    await person.tap(baobab.id)
    assert "The official list shows this agency's licence as not valid." in person.text
    assert "example" not in person.text
    person = await _check(runner, "zzqx agency nobody knows")
    assert "I found no agency like “zzqx agency nobody knows” in the official list." in person.text
