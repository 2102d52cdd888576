"""Parses one PO catalog into plain lookup tables, checking it on the way.

Everything an editor can get wrong is found here, once, at start-up: a
broken file, a bad Plural-Forms header, the wrong number of plural forms, a
placeholder missing from a translation. After that the bot only does
dictionary lookups.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po

from bot.i18n._po_lint import lint_po
from bot.i18n.errors import CatalogError
from bot.i18n.placeholders import check_plural, check_singular

__all__ = ["ParsedCatalog", "is_stale", "parse_po"]

PluralIndex = Callable[[int], int]

_PLURAL_FORMS = re.compile(r'^\s*"Plural-Forms:', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ParsedCatalog:
    """The usable content of one locale's ``bot.po``.

    ``singular`` and ``plural`` hold every translation shown to users,
    reviewed or drafted (``#, fuzzy``); ``drafted`` says which still need a
    native speaker's review. ``msgids`` is every msgid in the file, used as
    the list of UI strings when this is the default catalog.
    """

    locale: str
    path: Path
    nplurals: int
    plural_index: PluralIndex
    singular: dict[str, str]
    plural: dict[str, tuple[str, ...]]
    drafted: frozenset[str]
    msgids: frozenset[str]


def is_stale(message: Message) -> bool:
    """A fuzzy entry made by merging (it keeps the old msgid as ``#|``).

    Its text translates a different, older English string, so it is never
    shown; a ``#, fuzzy`` entry without ``#|`` is a draft and is shown.
    """
    return message.fuzzy and (
        bool(message.previous_id)
        or any(comment.startswith("|") for comment in message.user_comments)
    )


def _header_line(text: str) -> int | None:
    match = _PLURAL_FORMS.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _read(path: Path, locale: str) -> tuple[Catalog, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(path, line, "not valid UTF-8") from None
    problems = lint_po(text)
    if problems:
        raise CatalogError(path, problems[0].line, problems[0].message)
    try:
        catalog = read_po(io.StringIO(text), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        message = str(exc).split(" on ")[0]
        if "more translations than num_plurals" in message:
            nplurals = exc.catalog.num_plurals
            message = f"more plural forms than Plural-Forms allows (nplurals={nplurals})"
        raise CatalogError(path, exc.lineno + 1, message) from None
    except ValueError as exc:  # Babel's own parse of Plural-Forms
        raise CatalogError(path, _header_line(text), f"bad Plural-Forms header: {exc}") from None
    return catalog, text


def _plural_rule(catalog: Catalog, path: Path, text: str) -> tuple[int, PluralIndex]:
    """Compile the catalog's Plural-Forms and prove it picks a valid form."""
    nplurals = catalog.num_plurals
    try:
        index = gettext.c2py(catalog.plural_expr)
    except (ValueError, SyntaxError) as exc:
        raise CatalogError(path, _header_line(text), f"bad Plural-Forms header: {exc}") from None
    if nplurals < 1:
        raise CatalogError(path, _header_line(text), "bad Plural-Forms header: nplurals < 1")
    for n in range(1001):
        if not 0 <= index(n) < nplurals:
            raise CatalogError(
                path,
                _header_line(text),
                f"bad Plural-Forms header: n={n} selects form {index(n)} of {nplurals}",
            )
    return nplurals, index


def parse_po(path: Path, locale: str) -> ParsedCatalog:
    """Read and check ``path``; raise CatalogError at the first problem."""
    catalog, text = _read(path, locale)
    nplurals, index = _plural_rule(catalog, path, text)
    singular: dict[str, str] = {}
    plural: dict[str, tuple[str, ...]] = {}
    drafted: set[str] = set()
    msgids: set[str] = set()
    for message in catalog:
        if not message.id or message.context is not None:
            continue  # the header; contexts are not used by the bot
        line = message.lineno
        try:
            key = _add(message, nplurals, singular, plural)
        except ValueError as exc:  # PlaceholderError included
            raise CatalogError(path, line, str(exc)) from None
        msgids.add(key)
        if message.fuzzy and (key in singular or key in plural):
            drafted.add(key)
    return ParsedCatalog(
        locale=locale,
        path=path,
        nplurals=nplurals,
        plural_index=index,
        singular=singular,
        plural=plural,
        drafted=frozenset(drafted),
        msgids=frozenset(msgids),
    )


def _add(
    message: Message,
    nplurals: int,
    singular: dict[str, str],
    plural: dict[str, tuple[str, ...]],
) -> str:
    """Check one message and file its usable translation; return its key."""
    stale = is_stale(message)
    string = message.string or ""
    strings = (string,) if isinstance(string, str) else tuple(string)
    if isinstance(message.id, str):
        text = strings[0] if strings else ""
        if text and not stale:
            check_singular(message.id, text)
            singular[message.id] = text
        return message.id
    one, many = message.id[0], message.id[1]
    forms = (strings + ("",) * nplurals)[:nplurals]
    if all(forms) and not stale:
        check_plural(one, many, forms)
        plural[one] = forms
    return one
