"""Shortening labels to WhatsApp's limits at a word boundary, never inside a word.

WhatsApp counts characters (code points), so do we. A shortened label ends in
"…"; a label whose first word alone does not fit cannot be shortened honestly,
and the caller chooses another presentation (a numbered row with the label in
the description).
"""

from __future__ import annotations

ELLIPSIS = "…"


def fits(text: str, limit: int) -> bool:
    return 0 < len(text) <= limit


def shorten(text: str, limit: int) -> str | None:
    """``text`` itself when it fits, else its longest word-boundary prefix + "…", else None."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text or None
    room = limit - len(ELLIPSIS)
    cut = text.rfind(" ", 0, room + 1)
    while cut > 0:
        head = text[:cut].rstrip(" ,;:-–—/")
        if head and _has_word(head):
            return head + ELLIPSIS
        cut = text.rfind(" ", 0, cut)
    return None


def _has_word(text: str) -> bool:
    """True when the prefix shows more than an icon, so "🆘 …" is not offered as a label."""
    return any(ch.isalnum() for ch in text)
