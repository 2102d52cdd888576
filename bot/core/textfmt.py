"""Markdown from the content tree turned into plain chat text, and paging.

Chat apps render Markdown differently (or not at all), so articles are sent as
plain text: headings become their own line, list bullets become "•", and links
to other articles become their text (the engine offers them as buttons).

An article's text is converted once and kept (``ARTICLES_KEPT``, a bounded
cache): content does not change while the bot runs, and parsing the Markdown
of the article being read was the largest part of answering a tap on it
(measured by ``python -m benchmarks webhook``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

PAGE_CHARS = 900
"""A page of an article: fits WhatsApp's 1,024-character interactive body with a header."""

_ARTICLE = "article:"
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
"""CommonMark, parsed once: ``a_b_c`` in a URL or ``2*3*4`` stay as written, unlike a regex."""
ARTICLES_KEPT = 512
"""Article bodies kept converted (chat text, links); the least recently read go first."""


def article_links(markdown: str) -> list[str]:
    """Ids of the articles a body links to, in order, without repeats."""
    return list(_article_links(markdown))


@lru_cache(maxsize=ARTICLES_KEPT)
def _article_links(markdown: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for token in _MARKDOWN.parse(markdown):
        for child in token.children or ():
            href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
            if href.startswith(_ARTICLE):
                seen.setdefault(href.removeprefix(_ARTICLE), None)
    return tuple(seen)


@lru_cache(maxsize=ARTICLES_KEPT)
def to_chat_text(markdown: str) -> str:
    """Plain text for a chat bubble; paragraphs stay separated by a blank line.

    Built from markdown-it's tokens: a heading is its own line (in capitals when it
    is ASCII), a list item starts with "•" or its number, emphasis marks go, a web
    link keeps its address in brackets after its text, a link to another article
    keeps only its text (the engine offers the article as a button).
    """
    blocks: list[str] = []
    list_lines: list[str] = []
    numbers: list[int | None] = []  # one entry per open list: next number, None for bullets
    marker: str | None = None  # the bullet or number waiting for its item's first line
    heading = False
    attach = False  # a list right under a line ("**Kenya**" then "- Phone") stays under it
    previous_end = -1
    for token in _MARKDOWN.parse(markdown):
        kind = token.type
        text: str | None = None
        if kind == "paragraph_open" and not numbers and token.map:
            previous_end = token.map[1]
        if kind in ("bullet_list_open", "ordered_list_open"):
            if not numbers:
                attach = token.map is not None and token.map[0] == previous_end and bool(blocks)
            start = token.attrGet("start") if kind == "ordered_list_open" else None
            numbers.append(None if kind == "bullet_list_open" else int(start or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
            if not numbers:
                joined = "\n".join(list_lines)
                if attach:
                    blocks[-1] = f"{blocks[-1]}\n{joined}"
                else:
                    blocks.append(joined)
                list_lines = []
        elif kind == "list_item_open":
            number = numbers[-1]
            marker = "• " if number is None else f"{number}. "
            if number is not None:
                numbers[-1] = number + 1
        elif kind in ("heading_open", "heading_close"):
            heading = kind == "heading_open"
        elif kind == "inline":
            text = _inline(token.children or ())
            if heading and text.isascii():
                text = text.upper()
        elif kind in ("fence", "code_block", "html_block"):
            text = token.content.rstrip("\n")
        elif kind == "hr":
            text = "---"
        if text is None:
            continue
        if not numbers:
            blocks.append(text)
            continue
        indent = "  " * (len(numbers) - 1)
        first = marker or "  "
        lines = text.split("\n")
        list_lines.append(f"{indent}{first}{lines[0]}")
        list_lines.extend(f"{indent}{' ' * len(first)}{line}" for line in lines[1:])
        marker = None
    text = "\n\n".join(block for block in blocks if block.strip())
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _inline(children: Sequence[Token]) -> str:
    """The text of a paragraph or heading, without emphasis marks; links as described above."""
    parts: list[str] = []
    open_links: list[tuple[str, int]] = []
    literal: list[bool] = []  # per open emphasis: was it inside a word, as in 2*3*4?
    for child in children:
        kind = child.type
        if kind in ("em_open", "strong_open"):
            # CommonMark lets "*" emphasise inside a word; in chat text that is arithmetic
            # or a name, so a mark that follows a letter or digit is kept as written.
            literal.append(bool(parts) and parts[-1][-1:].isalnum())
            if literal[-1]:
                parts.append(child.markup)
        elif kind in ("em_close", "strong_close"):
            if literal and literal.pop():
                parts.append(child.markup)
        elif kind in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content)
        elif kind == "link_open":
            href = _MARKDOWN.normalizeLinkText(str(child.attrGet("href") or ""))
            open_links.append((href, len(parts)))
        elif kind == "link_close" and open_links:
            href, start = open_links.pop()
            label = "".join(parts[start:]).strip()
            shown = href.removeprefix("mailto:").removeprefix("tel:")
            if not href.startswith(_ARTICLE) and href and shown != label:
                parts.append(f" ({href})")
    return "".join(parts)


def paginate(text: str, limit: int = PAGE_CHARS) -> list[str]:
    """Split at paragraph boundaries, then lines, then words; never mid-word."""
    pages: list[str] = []
    current = ""
    for block in _blocks(text, limit):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                pages.append(current)
            current = block
    if current:
        pages.append(current)
    return pages or [""]


def _blocks(text: str, limit: int) -> list[str]:
    blocks: list[str] = []
    heading = ""
    for paragraph in text.split("\n\n"):
        if heading and len(heading) + 2 + len(paragraph) <= limit:
            paragraph = f"{heading}\n\n{paragraph}"  # a heading stays with what it heads
        elif heading:
            blocks.append(heading)
        heading = ""
        if _is_heading(paragraph):
            heading = paragraph
        elif len(paragraph) <= limit:
            blocks.append(paragraph)
        else:
            blocks.extend(_split_long(paragraph, limit))
    if heading:
        blocks.append(heading)
    return blocks


def _is_heading(paragraph: str) -> bool:
    """A short single line without closing punctuation, as ``to_chat_text`` leaves headings."""
    return "\n" not in paragraph and len(paragraph) <= 60 and not paragraph.endswith(
        (".", "!", "?", ":", "।", "؟")
    )


def _split_long(paragraph: str, limit: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for word in re.split(r"(?<=\s)", paragraph):
        if len(current) + len(word) > limit and current:
            parts.append(current.rstrip())
            current = ""
        while len(word) > limit:  # one unbroken run longer than a page (a URL)
            parts.append(word[:limit])
            word = word[limit:]
        current += word
    if current.strip():
        parts.append(current.rstrip())
    return parts
