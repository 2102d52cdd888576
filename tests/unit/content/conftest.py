"""The fixture content tree, loaded once, and broken copies of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content import ContentTree, load_content

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "content"


@pytest.fixture(scope="session")
def fixture_dir() -> Path:
    return FIXTURE


@pytest.fixture(scope="session")
def tree() -> ContentTree:
    return load_content(FIXTURE)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture tree, named ``content`` like the real one."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def rewrite(content_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace one exact piece of text in one file of the copy (it must be there)."""

    def _rewrite(relative: str, old: str, new: str) -> Path:
        path = content_copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return content_copy

    return _rewrite
