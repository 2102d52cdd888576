"""The import-linter contracts catch the dependencies DESIGN forbids.

A contract that passes because it checks nothing is worse than none: each case
copies the packages, adds one forbidden import, and expects `lint-imports` to
fail naming the contract; the unchanged copy passes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the root packages and the contracts, to break one import at a time."""
    base = tmp_path_factory.mktemp("contracts")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("bot", "recruiter_reports", "casework", "followups", "storekit"):
        shutil.copytree(ROOT / package, base / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", base / "pyproject.toml")
    return base


def lint(tree: Path, module: str | None = None, line: str = "") -> subprocess.CompletedProcess[str]:
    """Run lint-imports over ``tree``, with ``line`` written into a new ``module`` first."""
    added = None
    if module is not None:
        added = tree.joinpath(*module.split(".")).with_suffix(".py")
        added.write_text(f'"""A forbidden import, for the contract test."""\n\n{line}\n')
    try:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        return subprocess.run(
            [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env,
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        if added is not None:
            added.unlink()


def test_the_project_as_it_is_keeps_every_contract(tree: Path) -> None:
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_channel_importing_the_composition_root_breaks_the_layers(tree: Path) -> None:
    result = lint(tree, "bot.channels.telegram.probe", "from bot.services import Services")
    assert result.returncode == 1
    assert "bot.channels is not allowed to import bot.services" in result.stdout
    assert "bot.channels.telegram.probe -> bot.services" in result.stdout


def test_a_channel_reading_the_settings_breaks_the_layers(tree: Path) -> None:
    result = lint(tree, "bot.channels.whatsapp.probe", "from bot.settings import Settings")
    assert result.returncode == 1
    assert "bot.channels is not allowed to import bot.settings" in result.stdout


def test_web_importing_the_engine_internals_breaks_the_protected_contract(tree: Path) -> None:
    result = lint(tree, "bot.web.probe", "from bot.core.screens import ratings")
    assert result.returncode == 1
    assert "The engine's screens and engine are its own" in result.stdout
    assert "bot.web.probe" in result.stdout


def test_one_channel_importing_another_breaks_their_independence(tree: Path) -> None:
    result = lint(tree, "bot.channels.whatsapp.probe", "import bot.channels.telegram.render")
    assert result.returncode == 1
    assert "Channels are independent of each other BROKEN" in result.stdout


def test_the_engine_importing_a_channel_or_the_domain_importing_the_bot_breaks(
    tree: Path,
) -> None:
    upward = lint(tree, "bot.core.probe", "import bot.channels.telegram")
    assert upward.returncode == 1
    assert "bot.core is not allowed to import bot.channels" in upward.stdout
    domain = lint(tree, "recruiter_reports.probe", "import bot.content")
    assert domain.returncode == 1
    assert "recruiter_reports is not allowed to import bot.content" in domain.stdout


def test_the_case_domain_importing_the_bot_breaks_the_layers(tree: Path) -> None:
    result = lint(tree, "casework.probe", "import bot.core.engine")
    assert result.returncode == 1
    assert "casework is not allowed to import bot" in result.stdout


def test_the_case_domain_importing_the_ratings_domain_breaks_their_independence(
    tree: Path,
) -> None:
    result = lint(tree, "casework.probe", "import recruiter_reports.stores")
    assert result.returncode == 1
    assert "casework.probe -> recruiter_reports.stores" in result.stdout


def test_the_followups_domain_importing_another_domain_breaks_their_independence(
    tree: Path,
) -> None:
    result = lint(tree, "followups.probe", "import casework.sealing")
    assert result.returncode == 1
    assert "followups.probe -> casework.sealing" in result.stdout


def test_the_shared_store_helpers_importing_a_domain_break_the_layers(tree: Path) -> None:
    result = lint(tree, "storekit.probe", "import followups.models")
    assert result.returncode == 1
    assert "storekit is not allowed to import followups" in result.stdout
