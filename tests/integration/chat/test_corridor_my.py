"""The Malaysia corridor and the origin guides, read as a new user would in ``python -m bot chat``.

A Nepali in Malaysia reads the minimum wage in Nepali; an Arabic reader gets an
Arabic article, with its "show this" summary, on every Malaysia topic; a Kenyan
reads how to check an agency with NEA in Swahili. The conversations type the
labels a person sees (menus from the catalogs, names and titles from the content),
so they follow the shipped content instead of fixed menu positions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentTree, load_content
from bot.i18n import Catalogs
from tests.integration.chat.console import ROOT, SHOW_THIS, run_chat


@pytest.fixture(scope="module")
def content() -> ContentTree:
    return load_content(ROOT / "content")


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs.load(ROOT / "locales", "en")



def _to_country(content: ContentTree, catalogs: Catalogs, locale: str, code: str) -> list[str]:
    """From the main menu to a country's topics, typing what the menus show."""
    country = content.country(code)
    assert country is not None
    guides = "📖 " + catalogs.translator(locale)("Country guides")
    return [guides, content.text(country.names, locale)]


def _start(language: str) -> list[str]:
    return ["/start", language]


def test_a_nepali_in_malaysia_reads_the_minimum_wage_in_nepali(
    content: ContentTree, catalogs: Catalogs, tmp_path: Path
) -> None:
    wages = content.topic("wages")
    assert wages is not None
    lines = _start("नेपाली") + _to_country(content, catalogs, "ne", "MY") + [wages.title["ne"]]
    article = run_chat(lines, tmp_path / "chat.sqlite3")[-1]
    assert "मलेसियामा तपाईंको तलब" in article
    assert "RM 1,700" in article
    assert "न्यूनतम तलब" in article
    assert "१ अगस्ट २०२५" in article


def test_every_malaysia_topic_has_its_arabic_article(content: ContentTree) -> None:
    """Every topic of the site is covered for Malaysia, and in Arabic by an Arabic text
    (not the English fallback) that opens with the "show this" summary."""
    english = {topic.id for topic in content.topics("MY", "en")}
    assert english == {topic.id for topic in content.site.topics} - {"before-you-go"}
    for topic in english:
        articles = content.articles("MY", topic, "ar")
        assert articles, topic
        for article in articles:
            assert article.locale == "ar", article.meta.id
            assert article.body.lstrip().startswith("> " + SHOW_THIS), article.meta.id
            assert article.meta.review_needed, article.meta.id


def test_an_arabic_reader_gets_an_arabic_article_on_every_malaysia_topic(
    content: ContentTree, catalogs: Catalogs, tmp_path: Path
) -> None:
    topics = content.topics("MY", "ar")
    lines = _start("العربية")
    for topic in topics:
        lines += ["/menu", *_to_country(content, catalogs, "ar", "MY"), topic.title["ar"]]
    replies = run_chat(lines, tmp_path / "chat.sqlite3")
    opened = replies[len(_start("ar")) + 3 :: 4]  # each topic's 4th line opens its article
    assert len(opened) == len(topics)
    for topic, reply in zip(topics, opened, strict=True):
        (article,) = content.articles("MY", topic.id, "ar")
        assert article.meta.title in reply, topic.id
        assert SHOW_THIS in reply, topic.id


def test_a_kenyan_reads_how_to_check_an_agency_with_nea_in_swahili(
    content: ContentTree, catalogs: Catalogs, tmp_path: Path
) -> None:
    guide = content.topic("before-you-go")
    check = content.article("ke-check-agency", "sw")
    assert guide is not None and check is not None and check.locale == "sw"
    lines = _start("Kiswahili") + _to_country(content, catalogs, "sw", "KE")
    lines += [guide.title["sw"], check.meta.title]
    listed, article = run_chat(lines, tmp_path / "chat.sqlite3")[-2:]
    assert check.meta.title in listed
    shown = article.casefold()
    assert check.meta.title.casefold() in shown
    assert "neaims.go.ke/employmentagencylist.aspx" in shown
    assert "nyeusi" in shown and "nyekundu" in shown
    assert "usimlipe wakala ada yoyote kabla ya kuhakiki kwa nea" in shown
