"""A fast reader for the plain YAML that article front matter is written in.

PyYAML builds Python objects event by event (about 100 µs per front matter
even with libyaml), which alone would spend half the one-second budget for
loading 5,000 articles. Front matter is almost always flat: ``key: value``,
``key: [a, b]`` and a block list of flat mappings (``sources``). This reader
handles exactly that subset and gives up (returns ``None``) on anything else,
so the caller falls back to PyYAML; values are resolved by PyYAML's own
resolver and constructors, so both paths give the same data.
"""

from __future__ import annotations

import re

import yaml
from yaml.constructor import SafeConstructor

__all__ = ["read_plain_yaml"]

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_FORBIDDEN = frozenset("[]{}#'\"")
_STR = "tag:yaml.org,2002:str"
_CONSTRUCTED = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "null", "timestamp")
)
_RESOLVER = yaml.resolver.Resolver()
_RESOLVED_FIRST = frozenset(_RESOLVER.yaml_implicit_resolvers)
"""First characters for which YAML may read a plain scalar as other than text."""
_CONSTRUCTOR = SafeConstructor()
_KEY_LINES: dict[str, tuple[str, str]] = {}
"""``key: value`` lines already split: sources blocks and dates repeat a lot."""
_SCALARS: dict[str, object] = {}
"""Short plain scalars already resolved: front matters repeat many of them."""
_SCALARS_MAX = 20_000

type _Row = tuple[int, int, str]
"""(0-based line, indentation, text without indentation and trailing spaces)."""


class _NotPlain(Exception):
    """The text leaves the subset: let PyYAML read it."""


def read_plain_yaml(text: str) -> tuple[dict[str, object], dict[str, int]] | None:
    """The mapping in ``text`` and the 0-based line of each top-level key, or
    ``None`` when ``text`` is not in the plain subset (or is not valid YAML)."""
    try:
        rows = _rows(text)
        if not rows:
            return None
        return _document(rows)
    except (_NotPlain, yaml.YAMLError, ValueError):
        return None


def _rows(text: str) -> list[_Row]:
    if "\t" in text or "\r" in text:
        raise _NotPlain
    rows: list[_Row] = []
    number = -1
    for raw in text.split("\n"):
        number += 1
        content = raw.lstrip(" ")
        if content and content[0] != "#":
            rows.append((number, len(raw) - len(content), content.rstrip(" ")))
    return rows


def _document(rows: list[_Row]) -> tuple[dict[str, object], dict[str, int]]:
    data: dict[str, object] = {}
    lines: dict[str, int] = {}
    position = 0
    while position < len(rows):
        number, indent, content = rows[position]
        key, value = _key_value(content, data) if indent == 0 else _fail()
        lines[key] = number
        position += 1
        if value:
            data[key] = _inline(value)
            continue
        block: list[_Row] = []
        while position < len(rows) and (rows[position][1] > 0 or rows[position][2][:2] == "- "):
            block.append(rows[position])
            position += 1
        data[key] = _sequence(block) if block else None
    return data, lines


def _fail() -> tuple[str, str]:
    raise _NotPlain


def _key_value(content: str, mapping: dict[str, object]) -> tuple[str, str]:
    split = _KEY_LINES.get(content)
    if split is None:
        split = _split_key(content)
        if len(_KEY_LINES) >= _SCALARS_MAX:
            _KEY_LINES.clear()
        _KEY_LINES[content] = split
    if not split[0] or split[0] in mapping:
        raise _NotPlain
    return split


def _split_key(content: str) -> tuple[str, str]:
    """``("", "")`` when ``content`` is not a ``key: value`` line with a text key."""
    match = _KEY.fullmatch(content)
    if match is None or _resolve(match.group(1)) != _STR:
        return "", ""
    return match.group(1), match.group(2) or ""


def _sequence(rows: list[_Row]) -> list[object]:
    """A block list whose items are scalars, flow lists or flat mappings."""
    items: list[object] = []
    item_indent = rows[0][1]
    position = 0
    while position < len(rows):
        _, indent, content = rows[position]
        if indent != item_indent or content[:2] != "- " or content[2:3] == " ":
            raise _NotPlain
        rest = content[2:]
        position += 1
        if _KEY.fullmatch(rest) is None:
            items.append(_inline(rest))
            continue
        item: dict[str, object] = {}
        key, value = _key_value(rest, item)
        item[key] = _inline(value) if value else None
        while position < len(rows) and rows[position][1] == item_indent + 2:
            key, value = _key_value(rows[position][2], item)
            item[key] = _inline(value) if value else None
            position += 1
        items.append(item)
    return items


def _inline(value: str) -> object:
    first = value[0]
    if first == '"':
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != '"' or '"' in inner or "\\" in inner:
            raise _NotPlain
        return inner
    if first == "'":
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotPlain
        return inner.replace("''", "'")
    if first == "[":
        inner = value[1:-1]
        if value[-1] != "]" or any(c in _FLOW_FORBIDDEN for c in inner):
            raise _NotPlain
        if not inner.strip(" "):
            return []
        return [_plain(part.strip(" "), flow=True) for part in inner.split(",")]
    return _plain(value, flow=False)


def _plain(value: str, flow: bool) -> object:
    known = _SCALARS.get(value, _SCALARS)
    if known is not _SCALARS:
        return known
    if (
        not value
        or value[0] in _INDICATORS
        or ": " in value
        or value.endswith(":")
        or " #" in value
        or (flow and "," in value)
    ):
        raise _NotPlain
    tag = _resolve(value)
    if tag == _STR:
        result: object = value
    elif tag in _CONSTRUCTED:
        result = SafeConstructor.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    else:
        raise _NotPlain
    if len(value) <= 40:
        if len(_SCALARS) >= _SCALARS_MAX:
            _SCALARS.clear()
        _SCALARS[value] = result  # text, numbers, dates: immutable, safe to share
    return result


def _resolve(value: str) -> str:
    if value[0] not in _RESOLVED_FIRST:
        return _STR
    return str(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)))
