"""Outbound -> Telegram messages: pages under 4096 characters, buttons under the last."""

from __future__ import annotations

from bot.channels.telegram import MAX_TEXT, render, split_text
from bot.core.messages import Choice, Outbound


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_short_text_with_choices_is_one_message_with_one_button_per_row() -> None:
    choices = (Choice("lang:en", "English"), Choice("lang:sw", "Kiswahili"))
    message = Outbound("Chagua lugha:", choices)
    [rendered] = render(message)
    assert rendered.text == "Chagua lugha:"
    assert rendered.reply_markup is not None
    rows = rendered.reply_markup.inline_keyboard
    assert [[(b.text, b.callback_data) for b in row] for row in rows] == [
        [("English", "lang:en")],
        [("Kiswahili", "lang:sw")],
    ]


def test_text_is_sent_as_is_without_markup_escaping() -> None:
    [rendered] = render(Outbound("Fees <= 0 *never* [ask] _them_"))
    assert rendered.text == "Fees <= 0 *never* [ask] _them_"
    assert rendered.reply_markup is None


def test_long_text_is_split_at_paragraphs_and_buttons_follow_the_last_page() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(20)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    pages = render(Outbound(text, (Choice("menu", "Menu"),)))
    assert len(pages) > 1
    assert all(units(page.text) <= MAX_TEXT for page in pages)
    assert all(page.reply_markup is None for page in pages[:-1])
    assert pages[-1].reply_markup is not None
    # Every page starts at a paragraph, and nothing is lost or reordered.
    assert all(page.text.startswith("Paragraph ") for page in pages)
    assert "\n\n".join(page.text for page in pages) == text


def test_emoji_count_double_so_a_page_never_exceeds_telegrams_limit() -> None:
    text = "🆘" * 3000
    pages = split_text(text)
    assert len(pages) == 2
    assert all(units(page) <= MAX_TEXT for page in pages)
    assert "".join(pages) == text


def test_one_huge_paragraph_is_cut_at_lines_then_words() -> None:
    line = "call 999 " * 40
    text = "\n".join([line.strip()] * 30)
    pages = split_text(text, limit=1000)
    assert all(units(page) <= 1000 for page in pages)
    assert " ".join(" ".join(pages).split()) == " ".join(text.split())
    assert {word for page in pages for word in page.split()} == {"call", "999"}  # none cut


def test_empty_text_with_buttons_still_shows_the_buttons() -> None:
    [rendered] = render(Outbound("", (Choice("menu", "Menu"),)))
    assert rendered.text.strip() and rendered.reply_markup is not None


def test_empty_text_without_buttons_sends_nothing() -> None:
    assert render(Outbound("  ")) == []
