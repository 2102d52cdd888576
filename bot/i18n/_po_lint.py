"""Line checks Babel's PO reader does not make.

Babel silently drops an unterminated string, keeps the first of two equal
msgids and reports a msgid without msgstr at line 0. An editor needs the
line, so these are found here first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from babel.messages.pofile import unescape

__all__ = ["LintProblem", "lint_po"]

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$")
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')


@dataclass(frozen=True, slots=True)
class LintProblem:
    """One problem and the 1-based line it is on."""

    line: int
    message: str


@dataclass(slots=True)
class _Entry:
    line: int = 0
    context: list[str] = field(default_factory=list)
    msgid: list[str] = field(default_factory=list)
    has_msgid: bool = False
    has_msgstr: bool = False
    current: str = ""


def lint_po(text: str) -> list[LintProblem]:
    """Return malformed strings, duplicate msgids and msgids lacking a msgstr."""
    problems: list[LintProblem] = []
    seen: dict[tuple[str, str], int] = {}
    entry = _Entry()

    def finish() -> None:
        if not entry.has_msgid:
            return
        if not entry.has_msgstr:
            problems.append(LintProblem(entry.line, "msgid without msgstr"))
        key = ("".join(entry.context), "".join(entry.msgid))
        if key in seen and key[1]:
            problems.append(
                LintProblem(entry.line, f"duplicate msgid {key[1]!r} (first on line {seen[key]})")
            )
        seen.setdefault(key, entry.line)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword_match = _KEYWORD.match(line)
        if keyword_match:
            keyword, rest = keyword_match.groups()
        elif line.startswith('"'):
            keyword, rest = "", line
        else:
            continue  # Babel reports unknown keywords with their line
        if not _STRING.match(rest):
            problems.append(LintProblem(number, "malformed or unterminated string"))
            continue
        value = unescape(rest.strip())
        if keyword == "msgctxt" or (keyword == "msgid" and entry.current != "msgctxt"):
            finish()
            entry = _Entry()
        if keyword == "msgid":
            entry.has_msgid, entry.line = True, number
        elif keyword.startswith("msgstr"):
            entry.has_msgstr = True
        if keyword:
            entry.current = keyword
        if entry.current == "msgctxt":
            entry.context.append(value)
        elif entry.current == "msgid":
            entry.msgid.append(value)
    finish()
    return problems
