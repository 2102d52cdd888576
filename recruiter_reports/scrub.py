"""Scrubbing free-text comments of what could identify or reach a person.

A comment about a recruiter may name the worker's own phone number, e-mail,
passport or citizenship number, or someone else's. Those are replaced by a
placeholder before the comment is stored; only moderators ever read the rest.
Safety comes before the text: when in doubt, a number is removed.

The text is first read through a normalised view (NFKC, so fullwidth and
circled digits are digits; format characters such as zero-width spaces, word
joiners and soft hyphens dropped; every Unicode space, dash and connector, and
the middle dots, read as a plain separator), so a number split by look-alike
characters is still one number. The placeholders replace the matching stretch
of the original text; everything else is kept exactly as written.

The rules, in order (the first that matches a stretch of text wins):

1. E-mail addresses -> ``[email]``; links -> ``[link]``; ``@handles`` -> ``[handle]``.
2. Passport-like numbers, one or two letters and 6-9 digits (``A1234567``,
   ``PA0123456``, ``AK0123456``) -> ``[id number]``.
3. Runs of digits, also split by spaces, dashes, dots, slashes or brackets
   (``0712 345 678``, ``(020) 7876000``, ``27-01-74-12345``), with digits in
   any script: Devanagari ``०-९``, Arabic-Indic ``٠-٩`` and Eastern
   Arabic-Indic ``۰-۹`` count like ``0-9``. A run with 6 or more digits is:
   a phone number (``[phone]``) when it starts with ``+`` or ``00``, starts
   with ``0`` and has 9-11 digits, or is a 10-digit Nepali mobile (``97``,
   ``98``, ``96``); an ID number (``[id number]``) when it has 7-12 digits or
   is split into 4 or more groups (Nepali citizenship numbers); otherwise
   ``[number]``.
4. Kept: runs of fewer than 6 digits; dates (``12/05/2024``, ``2024-05-12``);
   and amounts of money up to 7 digits, i.e. runs written with thousands
   separators (``50,000``, ``1,50,000``) or next to a currency word
   (``KSh 120000``, ``रु 150000``, ``150000 shillings``). Recruitment fees
   routinely reach six digits in shillings and rupees and are what a warning
   is about; an ID number is never written with thousands separators.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, ConfigDict

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|me|ly)/\S+")
_HANDLE = re.compile(r"(?<![\w@])@\w{4,}")
_PASSPORT = re.compile(r"(?<![^\W\d_])([A-Za-z]{1,2})(\d{6,9})(?!\d)")
_RUN = re.compile(r"(?<!\d)(?:\+\s?)?\(?\d+\)?(?:(?:[ \t\u00a0.\-/]{1,3}|,)\(?\d+\)?)*")
_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|\d{4})|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{2,3})+(?:\.\d{1,2})?")
_CURRENCY = (
    r"ksh?s?\.?|kes|shs?\.?|shillings?|shilingi|rs\.?|npr|nrs\.?|rupees?|inr|qar|qr|"
    r"riyals?|usd|us\$|\$|dollars?|lakhs?|laki|elfu|रु\.?|रू\.?|रुपैयाँ|रूपैयाँ|रुपियाँ|लाख|"
    r"ريال|ر\.ق|روبية|شلن"
)
_CURRENCY_BEFORE = re.compile(rf"(?i)(?:{_CURRENCY})\s*$")
_CURRENCY_AFTER = re.compile(rf"(?i)^\s*(?:/-|(?:{_CURRENCY})(?!\w))")
_CURRENCY_LETTERS = frozenset({"rs", "sh", "ks", "qr"})
_NEPALI_MOBILE = re.compile(r"9[678]\d{8}")
_MAX_AMOUNT_DIGITS = 7


class ScrubResult(BaseModel):
    """The scrubbed text and how many of each kind were removed (to tell the worker)."""

    model_config = ConfigDict(frozen=True)

    text: str
    removed: dict[str, int]


def scrub(text: str) -> ScrubResult:
    """``text`` with phone numbers, e-mails, links, handles and ID numbers replaced."""
    view = _View(text)
    words, runs = view.words, view.runs
    spans: list[tuple[int, int, str]] = []

    def claim(start: int, end: int, label: str) -> None:
        start, end = view.original(start, end)
        if all(end <= s or start >= e for s, e, _ in spans):
            spans.append((start, end, label))

    for pattern, label in ((_EMAIL, "email"), (_LINK, "link"), (_HANDLE, "handle")):
        for match in pattern.finditer(words):
            claim(match.start(), match.end(), label)
    for match in _PASSPORT.finditer(words):
        if match.group(1).casefold() not in _CURRENCY_LETTERS:
            claim(match.start(), match.end(), "id number")
    for match in _RUN.finditer(runs):
        start, end = match.start(), match.end()
        kind = _classify(match.group(), runs[:start], runs[end:])
        if kind:
            claim(start, end, kind)
    removed: dict[str, int] = {}
    pieces: list[str] = []
    position = 0
    for start, end, label in sorted(spans):
        pieces += [text[position:start], f"[{label}]"]
        removed[label] = removed.get(label, 0) + 1
        position = end
    pieces.append(text[position:])
    return ScrubResult(text="".join(pieces), removed=removed)


_DOTS = frozenset("\u00b7\u2027\u2219\u22c5\u30fb\uff65\u0387\u2022\u2212\u2043")
"""Middle dots, bullets and minus signs people (or autocorrect) put between digit groups."""


class _View:
    """Two normalised readings of a text, each character remembering where it came from.

    ``words`` is NFKC without format characters, digits of any script as 0-9: for
    e-mails, links, handles and passport numbers, where "_" is part of a name.
    ``runs`` is the same with every space, dash, connector and middle dot as a
    plain separator: for runs of digits.
    """

    def __init__(self, text: str) -> None:
        words: list[str] = []
        runs: list[str] = []
        origin: list[int] = []
        for index, character in enumerate(text):
            if unicodedata.category(character) == "Cf":  # zero-width space, soft hyphen...
                continue
            for ch in unicodedata.normalize("NFKC", character):
                if unicodedata.category(ch) == "Cf":
                    continue
                word = str(unicodedata.decimal(ch)) if ch.isdecimal() else ch
                words.append(word)
                runs.append(_separator(word))
                origin.append(index)
        self.words = "".join(words)
        self.runs = "".join(runs)
        self._origin = origin
        self._length = len(text)

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original text that ``[start, end)`` of a view was read from."""
        if start >= end:
            position = self._origin[start] if start < len(self._origin) else self._length
            return position, position
        return self._origin[start], self._origin[end - 1] + 1


def _separator(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Zs" or ch == "\t":
        return " "
    if category in ("Pd", "Pc") or ch in _DOTS:
        return "-"
    return ch


def _classify(run: str, before: str, after: str) -> str | None:
    """The placeholder label for a run of digits, or None to keep it."""
    run = run.rstrip(" \t\u00a0.-/")
    digits = re.sub(r"\D", "", run)
    if len(digits) < 6:
        return None
    bare = run.lstrip("(")
    if _DATE.fullmatch(run):
        return None
    if len(digits) <= _MAX_AMOUNT_DIGITS and not bare.startswith(("+", "0")):
        if _GROUPED.fullmatch(run) or _CURRENCY_BEFORE.search(before[-16:]):
            return None
        if _CURRENCY_AFTER.search(after[:16]):
            return None
    international = bare.startswith("+") or (bare.startswith("00") and len(digits) >= 10)
    if international and 8 <= len(digits) <= 15:
        return "phone"
    if bare.startswith("0") and 9 <= len(digits) <= 11:
        return "phone"
    if _NEPALI_MOBILE.fullmatch(digits):
        return "phone"
    groups = len(re.findall(r"\d+", run))
    if 7 <= len(digits) <= 12 or groups >= 4:
        return "id number"
    return "number"
