"""Reading one content file: bytes -> text -> YAML (with line numbers) -> model.

Every step records a ``ContentError`` pointing at the file and line an editor
has to fix, and returns ``None`` instead of raising, so one check run lists
every problem of the tree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.errors import ContentError

__all__ = ["FrontMatter", "YamlDoc", "parse_yaml", "read_text", "split_front_matter", "validate"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t\r]*$", re.MULTILINE)


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document that still knows which line each key came from."""

    path: str
    data: object
    node: yaml.Node | None
    offset: int
    """Lines of the file before the YAML text (1 for front matter after ``---``)."""

    def line(self, loc: Sequence[str | int]) -> int:
        """File line of the key or item at ``loc``, or of the deepest part of it
        that exists (a missing field is reported on its parent's line)."""
        node = self.node
        if node is None:
            return self.offset + 1
        line: int = node.start_mark.line
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = next((kv for kv in node.value if kv[0].value == str(part)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line
            else:
                break
        return self.offset + line + 1


@dataclass(frozen=True)
class FrontMatter:
    """An article split into its front matter and its Markdown body."""

    yaml_text: str
    body: str
    body_offset: int
    """Lines of the file before the body, so body line n is file line n + offset."""


def read_text(path: Path | str, display: str, errors: list[ContentError]) -> str | None:
    """Decode a file as UTF-8 (a leading BOM is tolerated)."""
    with open(path, "rb") as file:  # faster than Path.read_bytes over thousands of files
        data = file.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(ContentError(display, line, "not valid UTF-8 text: save the file as UTF-8"))
        return None


def split_front_matter(text: str, display: str, errors: list[ContentError]) -> FrontMatter | None:
    """Split ``---`` front matter from the body; the fences must be whole lines."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        errors.append(
            ContentError(display, 1, "missing front matter: the file must start with a '---' line")
        )
        return None
    closing = _CLOSING_FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        errors.append(ContentError(display, 1, "front matter is not closed by a '---' line"))
        return None
    body_start = closing.end() + 1
    return FrontMatter(
        yaml_text=text[first_end + 1 : closing.start()],
        body=text[body_start:],
        body_offset=text.count("\n", 0, body_start),
    )


def parse_yaml(
    text: str, display: str, errors: list[ContentError], offset: int = 0
) -> YamlDoc | None:
    """Parse one YAML document, keeping its node tree for line numbers."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + (mark.line + 1 if mark else 1)
        problem = exc.problem or exc.context or "cannot be read"
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
            problem += " (indent with spaces, not tabs)"
        errors.append(ContentError(display, line, f"invalid YAML: {problem}"))
        return None
    except yaml.YAMLError as exc:
        errors.append(ContentError(display, offset + 1, f"invalid YAML: {exc}"))
        return None
    except ValueError:
        # PyYAML reads 2025-02-30 as a date and fails outside its own error types.
        line, value = _impossible_date(text)
        errors.append(ContentError(display, offset + line, f"{value!r} is not a real date"))
        return None
    finally:
        loader.dispose()
    doc = YamlDoc(display, data, node, offset)
    if node is not None:
        _check_duplicate_keys(doc, node, errors)
    return doc


_ISO_DAY = re.compile(r"\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b")


def _impossible_date(text: str) -> tuple[int, str]:
    """The first ``YYYY-MM-DD`` of ``text`` that is no day, and its line (1 if none)."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _ISO_DAY.finditer(line):
            year, month, day = (int(part) for part in match.groups())
            try:
                dt.date(year, month, day)
            except ValueError:
                return number, match.group(0)
    return 1, "a date"


def _check_duplicate_keys(doc: YamlDoc, node: yaml.Node, errors: list[ContentError]) -> None:
    """YAML keeps the last of two equal keys silently; an editor almost never means that."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        line = doc.offset + key.start_mark.line + 1
                        errors.append(ContentError(doc.path, line, f"duplicate key '{key.value}'"))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def validate[M: BaseModel](model: type[M], doc: YamlDoc, errors: list[ContentError]) -> M | None:
    """Validate ``doc`` against ``model``, one error per field on that field's line."""
    if doc.data is None:
        errors.append(ContentError(doc.path, doc.offset + 1, "empty document"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = _describe(loc, err["type"], err["msg"], err.get("input"))
            errors.append(ContentError(doc.path, doc.line(loc), message))
        return None


def _describe(loc: tuple[str | int, ...], kind: str, msg: str, value: object) -> str:
    name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    msg = msg.removeprefix("Value error, ")
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'"
    if not name:
        return "expected a mapping of 'key: value' lines" if kind.endswith("_type") else msg
    if kind == "string_pattern_mismatch":
        return f"{name}: {value!r} is not written as expected ({msg.lower()})"
    return f"{name}: {msg}"
