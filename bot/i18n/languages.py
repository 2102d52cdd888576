"""What Babel's CLDR data tells us about a language: its name, direction, and
which of our catalogs best fits what a phone or browser says it speaks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError, negotiate_locale

__all__ = ["is_rtl", "language_name", "negotiate", "parse_locale"]


@lru_cache(maxsize=512)
def parse_locale(identifier: str) -> Locale | None:
    """Parse "sw-KE", "sw_ke", "SW", "swh" or "npi"; None when CLDR knows no such locale."""
    tag = identifier.strip().replace("-", "_")
    if not tag:
        return None
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        pass
    # Locale.parse is strict about case ("SW", "sw_ke"); retry with the usual casing.
    parts = tag.split("_")
    fixed = [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    try:
        return Locale.parse("_".join(fixed))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def language_name(locale: str) -> str:
    """The language's own name ("Kiswahili", "नेपाली", "العربية"), for a language menu.

    People pick their language by recognising its name in its own script, so
    the name is never translated; the first letter is capitalised where the
    script has case. An unknown code is returned as it is.
    """
    parsed = parse_locale(locale)
    if parsed is None:
        return locale
    name = parsed.get_language_name(parsed) or locale
    return name[:1].upper() + name[1:]


def is_rtl(locale: str) -> bool:
    """Whether the locale's script runs right to left (Arabic, Hebrew, Urdu...)."""
    parsed = parse_locale(locale)
    return parsed is not None and parsed.character_order == "right-to-left"


@lru_cache(maxsize=1024)
def _preferred(hint: str) -> tuple[str, ...]:
    """Candidate identifiers for a hint, most specific first.

    The hint may be a single tag (Telegram's ``language_code``) or an
    Accept-Language list; ``q`` weights order the list.
    """
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(hint.split(",")):
        tag, _, params = item.partition(";")
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                weight = 0.0
        if tag.strip() and weight > 0:
            weighted.append((-weight, position, tag.strip()))
    candidates: list[str] = []
    for _, _, tag in sorted(weighted):
        raw = tag.replace("-", "_")
        parsed = parse_locale(raw)
        if parsed is not None:
            candidates.append(str(parsed))
            if parsed.script and parsed.territory:
                candidates.append(f"{parsed.language}_{parsed.territory}")
            candidates.append(parsed.language)
        candidates.append(raw)
    return tuple(dict.fromkeys(candidates))


def negotiate(hint: str | None, offered: Sequence[str]) -> str | None:
    """The offered locale that best fits ``hint`` ("sw-KE" -> "sw"), or None."""
    if not hint or not offered:
        return None
    by_key = {code.replace("-", "_").lower(): code for code in offered}
    found = negotiate_locale(_preferred(hint), list(by_key), sep="_")
    if found is None:
        return None
    return by_key.get(found.lower())
