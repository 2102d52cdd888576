"""Maintainer tooling: collect the UI strings from the code and merge them into the catalogs.

Run ``python -m bot.i18n`` (see ``__main__``) or, with plain Babel,
``pybabel extract -F babel.cfg -k t -k plural:1,2 -o locales/bot.pot .``.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.core import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, unescape, write_po

from bot.i18n.catalogs import TEMPLATE_NAME, catalog_path

__all__ = ["KEYWORDS", "PROJECT", "extract_messages", "update_catalogs"]

PROJECT = "safe-migration-bot"
# t("Main menu") and t.plural("{n} report", "{n} reports", n): Babel's Python
# extractor matches the last name before "(", so "t.plural" is found as "plural".
KEYWORDS: dict[str, tuple[int, ...] | None] = {"t": None, "plural": (1, 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
_WIDTH = 76
_DATE_HEADERS = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


def extract_messages(source_dirs: list[Path]) -> Catalog:
    """A template catalog of every ``t(...)`` and ``t.plural(...)`` string under ``source_dirs``,
    in the Python code and in the portal's Jinja templates.

    ``# TRANSLATORS:`` comments just above a call travel with the string.
    Strings built at run time (f-strings, variables) cannot be extracted, so
    they are never translated: keep UI strings literal.
    """
    template = Catalog(project=PROJECT, fuzzy=False, domain="bot")
    for source in source_dirs:
        root = Path(source)
        if not root.is_dir():
            raise FileNotFoundError(f"no source folder {root}")
        base = root.parent
        for filename, lineno, msgid, comments, context in extract_from_dir(
            root,
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
            directory_filter=_keep_dir,
        ):
            where = (root / filename).relative_to(base).as_posix()
            template.add(
                msgid,
                locations=[(where, lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def _keep_dir(dirpath: str) -> bool:
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def update_catalogs(locales_dir: Path, template: Catalog, locales: list[str]) -> None:
    """Write ``bot.pot`` and bring every ``<lang>/LC_MESSAGES/bot.po`` up to the template.

    Missing catalogs are created with the language's Plural-Forms; existing
    ones keep their translations, gain the new msgids and move removed ones
    to obsolete (``#~``) entries. Strings merged from an older msgid come out
    ``#, fuzzy`` with the old msgid as ``#|``, which the bot never shows
    until a translator checks them. Files whose only change would be a date
    are left untouched, so git shows real changes only.
    """
    locales_dir = Path(locales_dir)
    locales_dir.mkdir(parents=True, exist_ok=True)
    _write(locales_dir / TEMPLATE_NAME, template)
    for code in locales:
        path = catalog_path(locales_dir, code)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code)
            previous = {
                message.id if isinstance(message.id, str) else message.id[0]: message.previous_id
                for message in catalog
                if _restore_previous_id(message)
            }
        else:
            previous = {}
            catalog = Catalog(
                locale=Locale.parse(code),
                domain="bot",
                project=PROJECT,
                fuzzy=False,
                creation_date=template.creation_date,
            )
        catalog.update(template, update_creation_date=True)
        _keep_previous_ids(catalog, previous)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, catalog)


def _keep_previous_ids(catalog: Catalog, previous: dict[str, list[str]]) -> None:
    """Put back the ``#|`` msgids that ``Catalog.update`` drops from unchanged entries.

    Without them a still-unchecked merged entry would pass for a translator's
    draft and be shown to users.
    """
    for message in catalog:
        if not message.id or not message.fuzzy or message.previous_id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in previous:
            message.previous_id = previous[key]


def _restore_previous_id(message: Message) -> bool:
    """Turn the ``#|`` lines Babel reads as comments back into the previous msgid.

    Babel's reader keeps ``#| msgid "old"`` as a user comment; without this
    the marker would be rewritten as ``# | ...`` and lost to gettext tools.
    """
    previous: list[str] = []
    kept: list[str] = []
    for comment in message.user_comments:
        body = comment[1:].strip() if comment.startswith("|") else None
        if body is not None and body.startswith(("msgid ", "msgid_plural ")):
            previous.append(unescape(body.split(" ", 1)[1].strip()))
        elif body is not None and body.startswith('"') and previous:
            previous[-1] += unescape(body)
        else:
            kept.append(comment)
    if previous:
        message.previous_id = previous
        message.user_comments = kept
    return bool(previous)


def _render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=_WIDTH, include_previous=True, sort_output=False)
    return buffer.getvalue()


def _without_dates(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if not line.startswith(_DATE_HEADERS)]


def _write(path: Path, catalog: Catalog) -> None:
    data = _render(catalog)
    if path.is_file() and _without_dates(path.read_bytes()) == _without_dates(data):
        return
    path.write_bytes(data)
