"""The UAE corridor as new users meet it, through ``python -m bot chat`` on a real store.

A Kenyan reads about domestic workers in Swahili and opens SOS; an Arabic reader
opens every UAE topic. Button labels come from the shipped content and catalogs,
so the test follows a renamed title but fails when an article or a number is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentTree, load_content
from bot.i18n import Catalogs, language_name
from tests.integration.chat.console import ROOT, SHOW_THIS, run_chat

FALLBACK = "This page is not yet in your language. Here it is in {language}."


@pytest.fixture(scope="module")
def content() -> ContentTree:
    return load_content(ROOT / "content")


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs.load(ROOT / "locales", "en")



def test_a_kenyan_reads_about_domestic_workers_in_swahili_then_sos_shows_999_and_998(
    content: ContentTree, catalogs: Catalogs, tmp_path: Path
) -> None:
    sw = catalogs.translator("sw")
    uae = content.country("AE")
    topic = content.topic("domestic-workers")
    assert uae is not None and topic is not None
    lines = [
        "/start",
        "Kiswahili",
        "⚖️ " + sw("My rights"),
        uae.names["sw"],
        topic.title["sw"],
        "▶️ " + sw("Next page"),
        "/sos",
    ]
    replies = run_chat(lines, tmp_path / "chat.sqlite3", "wanjiru")
    article, next_page, sos = replies[4], replies[5], replies[6]

    assert "WAFANYAKAZI WA NYUMBANI KATIKA UAE" in article
    assert "Sheria ya Dikrii ya Shirikisho Na. 9 ya 2022" in article
    assert sw(FALLBACK, language=language_name("en")) not in article
    assert "ndani ya siku 10" in next_page
    assert "kila miaka 2" in next_page

    assert "999" in sos and "998" in sos
    assert "Polisi" in sos and "Ambulensi" in sos
    assert "Ubalozi wa Kenya, Abu Dhabi" in sos


def test_an_arabic_reader_gets_an_arabic_article_on_every_uae_topic(
    content: ContentTree, catalogs: Catalogs, tmp_path: Path
) -> None:
    ar = catalogs.translator("ar")
    uae = content.country("AE")
    assert uae is not None
    english_topics = [t.id for t in content.topics("AE", "en", None)]
    topics = content.topics("AE", "ar", None)
    assert [t.id for t in topics] == english_topics
    assert {"domestic-workers", "contract", "working-hours", "going-home"} <= set(english_topics)

    lines = ["/start", "العربية"]
    for topic in topics:
        lines += ["/menu", "📖 " + ar("Country guides"), uae.names["ar"], topic.title["ar"]]
    replies = run_chat(lines, tmp_path / "chat.sqlite3", "layla")

    fallback = ar(FALLBACK, language=language_name("en"))
    for index, topic in enumerate(topics):
        shown = replies[2 + 4 * index + 3]
        (article,) = content.articles("AE", topic.id, "ar")
        assert article.locale == "ar", topic.id
        assert article.meta.title in shown, topic.id
        assert SHOW_THIS in shown, topic.id
        assert fallback not in shown, topic.id


def test_every_arabic_uae_article_opens_with_the_show_this_summary(content: ContentTree) -> None:
    """Workers show the top of the page to an employer, a police officer or a clinic."""
    for topic in content.topics("AE", "en", None):
        (article,) = content.articles("AE", topic.id, "ar")
        first = article.body.lstrip().splitlines()[0]
        assert first.startswith("> " + SHOW_THIS), (topic.id, first)
        assert article.meta.review_needed, topic.id
