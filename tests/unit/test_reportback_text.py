"""The report-back's words from plain data: counts -> disclosure -> the editors' sentences.

Nothing here touches a store: a corridor's counts are a ``Summary``, disclosed
the way the sector overview discloses it, and composed with the shipped
``content/reportback/`` words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentTree, load_content
from bot.web.followups.reportback_text import compose, quarter_words, shown_figures
from followups.models import RoundMessage
from recruiter_reports.disclosure import disclose
from recruiter_reports.quarters import Quarter
from recruiter_reports.summaries import Summary, YesNo

ROOT = Path(__file__).resolve().parents[2]
Q4 = Quarter(2026, 4)
K = 5


@pytest.fixture(scope="module")
def content() -> ContentTree:
    return load_content(ROOT / "content")


def corridor(*, paid: int = 49, nothing: int = 71, passport: tuple[int, int] = (30, 60),
             contract: tuple[int, int] = (2, 2), reporters: int = 130) -> Summary:
    """The counts of one corridor's quarter (fee bands, passport kept, contract changed)."""
    return Summary(
        recruiter_id="overview", reporters=reporters,
        fee_bands={k: v for k, v in {"none": nothing, "b2": paid}.items() if v},
        indicators={"passport_kept": YesNo(yes=passport[0], no=passport[1]),
                    "contract_substituted": YesNo(yes=contract[0], no=contract[1])})


def message(content: ContentTree, summary: Summary, locale: str = "en",
            destination: str = "QA") -> RoundMessage | None:
    return compose(disclose(summary, K), origin="KE", destination=destination, quarter=Q4,
                   locale=locale, content=content, k=K)


def test_the_figures_shown_and_their_guides(content: ContentTree) -> None:
    found = message(content, corridor())
    assert found is not None
    lines = found.text.splitlines()
    assert lines[0] == "What workers from Kenya in Qatar told us about October – December 2026:"
    assert "• Of 120 workers from Kenya in Qatar, 41 % paid a fee to get their job." in lines
    assert "• Of 90 workers, 33 % said someone kept their passport." in lines
    assert not any("contract" in line for line in lines), "4 answers: below k, left out"
    assert lines[-1].startswith("We show a number only when at least 5 workers gave it")
    assert found.guides == (("qa-recruitment-fees", "📖 Recruitment fees"),
                            ("qa-passport", "📖 Your passport"))


def test_the_guide_is_the_one_of_the_destination(content: ContentTree) -> None:
    found = message(content, corridor(), destination="AE")
    assert found is not None
    assert [article for article, _ in found.guides] == ["ae-fees", "ae-passport"]
    assert "Of 120 workers from Kenya in United Arab Emirates, 41 % paid" in found.text


def test_nothing_is_sent_for_a_corridor_below_k(content: ContentTree) -> None:
    assert message(content, corridor(paid=2, nothing=1, passport=(1, 1), reporters=4)) is None


def test_nothing_is_sent_when_every_figure_is_withheld(content: ContentTree) -> None:
    few = corridor(paid=2, nothing=2, passport=(1, 2), contract=(0, 3), reporters=9)
    assert shown_figures(disclose(few, K), ("fee_paid", "passport_kept")) == []
    assert message(content, few) is None


def test_each_language_has_its_own_words_and_names(content: ContentTree) -> None:
    swahili = message(content, corridor(), "sw")
    nepali = message(content, corridor(), "ne")
    arabic = message(content, corridor(), "ar")
    assert swahili is not None and nepali is not None and arabic is not None
    assert "Kati ya wafanyakazi 120 kutoka Kenya nchini Qatar, asilimia 41 walilipa ada" \
        in swahili.text
    assert "कतार" in nepali.text and "41 %" in nepali.text
    assert "قطر" in arabic.text and "41٪" in arabic.text
    assert swahili.guides[0] == ("qa-recruitment-fees", "📖 Ada za uajiri")


def test_a_share_is_a_whole_percent_rounded_half_up(content: ContentTree) -> None:
    found = message(content, corridor(paid=1, nothing=7, passport=(0, 0)))
    assert found is not None
    assert "Of 8 workers from Kenya in Qatar, 13 % paid a fee" in found.text  # 12.5 -> 13


def test_the_quarter_in_words() -> None:
    assert quarter_words(Quarter(2027, 1), "en") == "January – March 2027"
    assert quarter_words(Quarter(2026, 3), "sw").endswith("2026")
