"""Keeps numbers, phone numbers and Latin words readable inside right-to-left text.

Without isolation the Unicode bidi algorithm reorders "+974 4493 1870" inside
an Arabic sentence into "4493 1870 974+", a number nobody can dial. Each
left-to-right run is wrapped in LEFT-TO-RIGHT ISOLATE (U+2066) ... POP
DIRECTIONAL ISOLATE (U+2069), which every current phone renders and which
does not disturb the surrounding Arabic.
"""

from __future__ import annotations

import re

__all__ = ["LRI", "PDI", "has_ltr", "isolate_runs", "wrap"]

LRI = "\u2066"
PDI = "\u2069"

# Latin letters (with the accented ranges) and ASCII digits start and make up a run.
_LTR = "0-9A-Za-z\u00c0-\u024f"
# Punctuation that belongs inside a run when more run text follows it
# (phone numbers, URLs, e-mail addresses, dates, amounts).
_JOIN = r"+.,\-_/@:%?=&#~()'’"
_TOKEN = rf"\+?[{_LTR}](?:[{_LTR}]|[{_JOIN}]+(?=[{_LTR}]))*"
_RUN = re.compile(
    # an existing isolate is kept as it is, never wrapped twice
    rf"(?P<iso>[\u2066\u2067\u2068][^\u2069]*\u2069)"
    rf"|(?P<run>{_TOKEN}(?:[ \u00a0]+{_TOKEN})*)"
)
_HAS_LTR = re.compile(rf"[{_LTR}+]")
# Strong right-to-left letters: Hebrew, Arabic, Syriac, Thaana, N'Ko and presentation forms.
_HAS_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def has_ltr(text: str) -> bool:
    """Whether ``text`` holds a digit, a '+' or a Latin letter."""
    return _HAS_LTR.search(text) is not None


def _wrap_match(match: re.Match[str]) -> str:
    run = match.group("run")
    return match.group(0) if run is None else f"{LRI}{run}{PDI}"


def isolate_runs(text: str) -> str:
    """Wrap every left-to-right run of ``text`` in LRI ... PDI."""
    return _RUN.sub(_wrap_match, text)


def wrap(value: str) -> str:
    """Isolate a value inserted into right-to-left text.

    A value with no right-to-left letters (a phone number, a recruiter's
    Latin name, a count) is wrapped whole, so "+974 4493 1870" stays one
    unit; a value that mixes in Arabic keeps its own direction and only its
    left-to-right runs are wrapped.
    """
    if not has_ltr(value):
        return value
    if _HAS_RTL.search(value) is None:
        if value.startswith(LRI) and value.endswith(PDI):
            return value
        return f"{LRI}{value}{PDI}"
    return isolate_runs(value)
