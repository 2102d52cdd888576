"""``content/partners.yaml``: checked like every contact, each problem at its line.

The organisations listed are real and sourced; none has agreed to take cases
yet, so every shipped entry says ``status: example`` (the bot then says so).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import check_content, load_content
from bot.content.partners import PartnerStatus

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def _rewrite(root: Path, old: str, new: str) -> Path:
    path = root / "partners.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def test_the_shipped_partners_are_real_sourced_and_not_yet_onboarded() -> None:
    content = load_content(ROOT / "content")
    assert {p.id for p in content.partners} == {"migrant-rights", "pncc", "send-us-home-kenya"}
    for partner in content.partners:
        assert partner.status is PartnerStatus.EXAMPLE
        assert all(source.url for source in partner.sources)
        assert partner.last_verified is None


def test_partners_for_a_country_put_the_country_first_then_the_home_country() -> None:
    content = load_content(ROOT / "content")
    assert [p.id for p in content.partners_for("QA", None, "ar")] == ["migrant-rights", "pncc"]
    assert [p.id for p in content.partners_for("QA", "NP", "ne")] == ["pncc", "migrant-rights"]
    assert [p.id for p in content.partners_for("SA", "KE", "sw")] == [
        "migrant-rights", "pncc", "send-us-home-kenya"
    ]  # fmt: skip
    assert content.partners_for("KE", None, "en")[0].id == "send-us-home-kenya"


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        ("countries: [QA, SA, AE]", "countries: [QA, ZZ, AE]", "countries: [QA, ZZ",
         "partners[0].countries: no country folder for ZZ"),
        ("    status: example", "    status: agreed", "    status: agreed",
         "status: Input should be"),
        ("  - id: pncc", "  - id: migrant-rights",
         "  - id: migrant-rights\n    name:\n      en: Pra",
         "partner id 'migrant-rights' is used twice"),
        ("        date: 2024-11-25\n", "", "  - id: migrant-rights",
         "partners[0]: sources[0] has no date"),
        ("    direct:\n      website: https://sendushomekenya.org\n", "    direct: {}\n",
         "    direct: {}", "give at least one of phones, whatsapp, email, website"),
        ("    languages: [ne, en]\n", "", "  - id: pncc", "missing required field"),
    ],
)  # fmt: skip
def test_a_broken_partner_is_reported_at_its_line(
    copy: Path, old: str, new: str, at: str, message: str
) -> None:
    path = _rewrite(copy, old, new)
    errors = [e for e in check_content(copy) if e.path == "content/partners.yaml"]
    assert [e.line for e in errors if message in e.message] == [_line(path, at)], errors


def test_a_tree_without_partners_loads_and_has_none(copy: Path) -> None:
    (copy / "partners.yaml").unlink()
    assert load_content(copy).partners == ()
