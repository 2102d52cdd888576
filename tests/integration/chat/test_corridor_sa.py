"""The Saudi Arabia corridor as a new person meets it, through ``python -m bot chat``.

A Kenyan reads about domestic workers and Musaned in Swahili and gets the Saudi
emergency numbers with the Kenya Consulate's line; an Arabic reader gets an Arabic
article, opening with the summary to show, for every Saudi topic.
"""

from __future__ import annotations

from pathlib import Path

from bot.content import load_content
from tests.integration.chat.console import ROOT, SHOW_THIS, run_chat


def test_a_kenyan_reads_about_musaned_in_swahili_and_sos_shows_the_consulate_line(
    tmp_path: Path,
) -> None:
    lines = [
        "/start",
        "kiswahili",
        "Miongozo ya nchi",
        "Kenya",
        "/menu",
        "Miongozo ya nchi",
        "Saudi Arabia",
        "Wafanyakazi wa nyumbani",
        "Ukurasa unaofuata",
        "Ukurasa unaofuata",
        "/sos",
    ]
    replies = run_chat(lines, tmp_path / "chat.sqlite3", "wanjiru")
    article = "".join(replies[7:10])
    assert "Wafanyakazi wa nyumbani nchini Saudi Arabia".upper() in article
    assert "Musaned" in article
    assert "Kanuni za Wafanyakazi wa Nyumbani" in article
    assert "3 Oktoba 2024" in article  # complaints online first, in Swahili

    sos = replies[10]
    assert "911" in sos or "999" in sos
    assert "997" in sos
    assert "8001000352" in sos
    assert "Ubalozi Mdogo wa Kenya" in sos


def test_an_arabic_reader_gets_an_arabic_article_for_every_saudi_topic(tmp_path: Path) -> None:
    content = load_content(ROOT / "content")
    topics = content.topics("SA", "en")
    assert len(topics) >= 10
    for topic in topics:
        for article in content.articles("SA", topic.id, "en"):
            arabic = content.article(article.meta.id, "ar")
            assert arabic is not None and arabic.locale == "ar", article.meta.id
    guides = "أدلة البلدان"
    saudi = content.country("SA")
    assert saudi is not None
    lines = ["/start", "العربية"]
    for topic in topics:
        lines += ["/menu", guides, saudi.names["ar"], topic.title["ar"]]
    replies = run_chat(lines, tmp_path / "chat.sqlite3", "fatima")
    for index, topic in enumerate(topics):
        reply = replies[2 + 4 * index + 3]
        assert SHOW_THIS in reply, f"{topic.id}: no Arabic article\n{reply}"
        assert "(English)" not in reply, topic.id
