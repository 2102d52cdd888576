"""Markdown from the content tree turned into plain chat text, and paging.

Chat apps render Markdown differently (or not at all), so articles are sent as
plain text: headings become their own line, list bullets become "•", and links
to other articles become their text (the engine offers them as buttons).
"""

from __future__ import annotations

import re

PAGE_CHARS = 900
"""A page of an article: fits WhatsApp's 1,024-character interactive body with a header."""

_ARTICLE_LINK = re.compile(r"\[([^\]]+)\]\(article:([a-z0-9-]+)\)")
_WEB_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_HEADING = re.compile(r"^#{1,6}\s*(.+?)\s*#*$")
_BULLET = re.compile(r"^\s*[-*+]\s+")


def article_links(markdown: str) -> list[str]:
    """Ids of the articles a body links to, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in _ARTICLE_LINK.finditer(markdown):
        seen.setdefault(match.group(2), None)
    return list(seen)


def to_chat_text(markdown: str) -> str:
    """Plain text for a chat bubble; paragraphs stay separated by a blank line."""
    text = _ARTICLE_LINK.sub(r"\1", markdown)
    text = _WEB_LINK.sub(r"\1 (\2)", text)
    lines = []
    for raw in text.splitlines():
        line = raw.rstrip()
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(1).upper() if heading.group(1).isascii() else heading.group(1)
        line = _BULLET.sub("• ", line)
        line = _EMPHASIS.sub(r"\2", line)
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


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
