"""``content check`` also validates the recruiter registries editors keep beside the content."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from bot.content.cli import run_check

SHIPPED = Path(__file__).resolve().parents[3] / "content"


def test_the_shipped_tree_and_registries_pass() -> None:
    out = io.StringIO()
    assert run_check(SHIPPED, out) == 0
    assert out.getvalue().startswith("OK:")


def test_a_broken_registry_row_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SHIPPED, content)
    registry = content / "recruiters" / "KE.csv"
    lines = registry.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",valid,", ",maybe,").replace(",revoked,", ",maybe,")
    lines[2] = lines[2].replace(",expired,", ",maybe,")
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert run_check(content, out) == 1
    assert "content/recruiters/KE.csv:3: status: must be one of" in out.getvalue()
