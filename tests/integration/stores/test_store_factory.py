"""``open_store`` turns ``STORE_URL`` into an unopened store, or says what it accepts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recruiter_reports.stores import open_store
from recruiter_reports.stores.memory import MemoryStore
from recruiter_reports.stores.mongodb import MongoDBStore
from recruiter_reports.stores.sqlite import SQLiteStore

from .conftest import FakeClock


def test_a_relative_sqlite_path_is_taken_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///var/bot.sqlite3")
    assert isinstance(store, SQLiteStore)
    assert store.path.resolve() == tmp_path / "var" / "bot.sqlite3"


async def test_an_absolute_sqlite_path_has_four_slashes_and_opens_only_on_request(
    tmp_path: Path,
) -> None:
    target = tmp_path / "data" / "bot.sqlite3"
    store = open_store(f"sqlite:///{target}")
    assert isinstance(store, SQLiteStore)
    assert store.path == target
    assert not target.exists()
    await store.open()
    assert target.exists()
    await store.close()


async def test_memory_uses_the_given_clock(clock: FakeClock) -> None:
    store = open_store("memory://", now=clock)
    assert isinstance(store, MemoryStore)
    await store.open()
    await store.save_session("d" * 64, {"step": 1}, clock() + dt.timedelta(minutes=1))
    clock.advance(minutes=1)
    assert await store.load_session("d" * 64) is None


@pytest.mark.parametrize("url", ["mongodb://db.example:27017/bot", "mongodb+srv://c.example/bot"])
def test_a_mongodb_url_selects_the_mongodb_store_without_connecting(url: str) -> None:
    store = open_store(url)
    assert isinstance(store, MongoDBStore)
    assert store.database_name == "bot"


@pytest.mark.parametrize("url", ["postgres://db/bot", "var/bot.sqlite3", ""])
def test_an_unknown_url_names_the_accepted_schemes(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite:///PATH, memory://, mongodb://"):
        open_store(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite://var/bot.sqlite3"])
def test_a_sqlite_url_without_a_path_explains_the_form(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite:///relative/path or sqlite:////absolute/path"):
        open_store(url)
