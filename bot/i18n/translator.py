"""The per-locale translator every reply goes through: ``t("Main menu")``.

It is on the hot path of every message, so all merging happens when it is
built: one dict holds the locale's own strings laid over the default
locale's, and a lookup is a single ``dict.get``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from babel.core import Locale
from babel.numbers import format_decimal

from bot.i18n.bidi import isolate_runs, wrap

__all__ = ["Translator"]

_log = logging.getLogger(__name__)

PluralIndex = Callable[[int], int]
_PluralEntry = tuple[tuple[str, ...], PluralIndex]
_SMALL = 1024  # numbers below this are cached per translator
_FORMAT_ERRORS = (KeyError, IndexError, ValueError, AttributeError, TypeError)


def _english_index(n: int) -> int:
    return 0 if n == 1 else 1


class _Isolated:
    """A parameter that wraps itself in LRI/PDI once formatted (right-to-left only).

    Wrapping after ``format(value, spec)`` keeps format specs such as
    ``{amount:,}`` working on the original value.
    """

    __slots__ = ("_value",)

    def __init__(self, value: object) -> None:
        self._value = value

    def __format__(self, spec: str) -> str:
        return wrap(format(self._value, spec))

    def __str__(self) -> str:
        return wrap(str(self._value))

    def __repr__(self) -> str:
        return wrap(repr(self._value))


class Translator:
    """Translates UI strings into one locale, falling back to the default locale, then English.

    Built by ``Catalogs``; get one with ``catalogs.translator(locale)``.
    """

    __slots__ = ("_babel_locale", "_plural", "_singular", "_small_numbers", "locale", "rtl")

    def __init__(
        self,
        locale: str,
        babel_locale: Locale,
        rtl: bool,
        singular: Mapping[str, str],
        plural: Mapping[str, tuple[str, ...]],
        plural_index: PluralIndex,
        fallback: Translator | None = None,
    ) -> None:
        self.locale = locale
        self.rtl = rtl
        self._babel_locale = babel_locale
        self._small_numbers: dict[int, str] = {}
        merged: dict[str, str] = dict(fallback._singular) if fallback else {}
        merged.update(singular)
        self._singular: dict[str, str] = merged
        entries: dict[str, _PluralEntry] = dict(fallback._plural) if fallback else {}
        entries.update((key, (forms, plural_index)) for key, forms in plural.items())
        self._plural: dict[str, _PluralEntry] = entries

    def __repr__(self) -> str:
        return f"<Translator {self.locale}{' rtl' if self.rtl else ''}>"

    def __call__(self, msgid: str, /, **params: object) -> str:
        """The translation of ``msgid`` with ``params`` filled in."""
        return self._format(msgid, self._singular.get(msgid, msgid), params)

    def plural(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """The plural form for ``n`` by the locale's rule; ``{n}`` is ``number(n)``."""
        source = singular if n == 1 else plural
        entry = self._plural.get(singular)
        if entry is None:
            text = source
        else:
            forms, index = entry
            text = forms[index(n)]
        if "n" not in params:
            params["n"] = self.number(n)
        return self._format(source, text, params)

    def number(self, value: int | float) -> str:
        """``value`` with the locale's digits and grouping ("12,34,567" in Nepali).

        Counts in messages are mostly small, so those are formatted once and kept.
        """
        if type(value) is int and 0 <= value < _SMALL:
            cached = self._small_numbers.get(value)
            if cached is None:
                cached = self._small_numbers[value] = format_decimal(
                    value, locale=self._babel_locale
                )
            return cached
        return format_decimal(value, locale=self._babel_locale)

    def isolate(self, text: str) -> str:
        """In a right-to-left locale, keep numbers, phones, URLs and Latin words in order."""
        return isolate_runs(text) if self.rtl else text

    def _format(self, source: str, text: str, params: dict[str, Any]) -> str:
        if self.rtl and params:
            params = {key: _Isolated(value) for key, value in params.items()}
        try:
            return text.format_map(params)
        except _FORMAT_ERRORS:
            if text is source:
                raise  # the msgid itself does not fit the call: a bug in the caller
            # Only the msgid is logged: parameters may hold a user's words.
            _log.warning(
                "translation to %s does not format; using English: %r", self.locale, source
            )
            return source.format_map(params)
