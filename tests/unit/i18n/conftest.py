"""Shared fixtures: the small en/sw/ne/ar catalogs under tests/fixtures/locales."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.i18n import Catalogs

FIXTURE_LOCALES = Path(__file__).resolve().parents[2] / "fixtures" / "locales"


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs.load(FIXTURE_LOCALES, "en")


@pytest.fixture
def fixture_locales() -> Path:
    """The fixture catalogs themselves (read-only)."""
    return FIXTURE_LOCALES


@pytest.fixture
def locales_dir(tmp_path: Path) -> Path:
    """A private copy of the fixture catalogs that a test may break."""
    target = tmp_path / "locales"
    shutil.copytree(FIXTURE_LOCALES, target)
    return target
