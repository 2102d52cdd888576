"""Articles become plain chat text and split into pages without cutting words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.textfmt import article_links, paginate, to_chat_text


def test_markdown_becomes_plain_text_a_phone_can_show() -> None:
    markdown = (
        "## What to do\n\n"
        "- Call **16008** now\n"
        "* Keep a copy of your _contract_\n\n"
        "See [fees](article:qa-recruitment-fees) and [the ministry](https://www.mol.gov.qa)."
    )
    text = to_chat_text(markdown)
    assert text.splitlines()[0] == "WHAT TO DO"
    assert "• Call 16008 now" in text
    assert "• Keep a copy of your contract" in text
    assert "See fees and the ministry (https://www.mol.gov.qa)." in text
    assert "article:" not in text


def test_links_to_other_articles_are_listed_once_in_order() -> None:
    body = "[a](article:one) [b](article:two) [a again](article:one)"
    assert article_links(body) == ["one", "two"]


def test_pages_break_at_paragraphs() -> None:
    paragraphs = [("word " * 40).strip() for _ in range(10)]
    pages = paginate("\n\n".join(paragraphs), limit=450)
    assert len(pages) == 5
    assert all(page.count("\n\n") == 1 for page in pages)


@given(st.text(alphabet=st.sampled_from("ab cdé\nनेपाली عربي"), min_size=0, max_size=3000))
def test_paging_keeps_every_word_and_respects_the_limit(text: str) -> None:
    pages = paginate(text, limit=200)
    assert all(len(page) <= 200 for page in pages)
    assert "".join(pages).split() == text.split()


def test_a_heading_is_never_the_last_line_of_a_page() -> None:
    text = "\n\n".join(["x " * 100, "WORKING HOURS", "y " * 100])
    pages = paginate(text, limit=250)
    assert not any(page.endswith("WORKING HOURS") for page in pages)
    assert pages[1].startswith("WORKING HOURS")


def test_underscores_in_addresses_and_stars_in_sums_stay_as_written() -> None:
    markdown = (
        "Apply at https://eservices.example.gov/labour_complaints/new_case or write to "
        "help_desk_qa@example.org.\n\n"
        "Overtime: 2*3*4 = 24 hours, and a_b_c is a file name.\n\n"
        "The [complaint form](https://example.gov/forms/complaint_form_v2.pdf) is free."
    )
    text = to_chat_text(markdown)
    assert "https://eservices.example.gov/labour_complaints/new_case" in text
    assert "help_desk_qa@example.org" in text
    assert "2*3*4 = 24" in text
    assert "a_b_c is a file name" in text
    assert "complaint form (https://example.gov/forms/complaint_form_v2.pdf)" in text


def test_escapes_autolinks_numbered_lists_and_quotes_read_as_plain_text() -> None:
    markdown = (
        "\\*not emphasis\\* and <https://example.org/a_b>\n\n"
        "**Kenya**\n- Phone: **+974 4493 1870**\n\n"
        "1. Call **999**.\n2. Then call *16008*.\n\n"
        "> اعرض هذا: لا يجوز\n> للكفيل الاحتفاظ بجوازك"
    )
    text = to_chat_text(markdown)
    assert "*not emphasis* and https://example.org/a_b" in text
    assert "Kenya\n• Phone: +974 4493 1870" in text
    assert "1. Call 999.\n2. Then call 16008." in text
    assert "اعرض هذا: لا يجوز\nللكفيل الاحتفاظ بجوازك" in text
    assert ">" not in text


def test_article_links_inside_code_are_not_links() -> None:
    assert article_links("`[x](article:nope)` and [y](article:yes)") == ["yes"]
