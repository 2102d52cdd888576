"""Loading ``content/recruiters/<cc>.csv`` with precise, line-numbered errors.

Content editors maintain these files by hand or export them from a licensing
authority's list; every problem is reported with its line so they can fix it
in one pass, and a broken file never half-loads.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from recruiter_reports.matching import licence_key
from recruiter_reports.registry import (
    MAX_ID_BYTES,
    LicenceStatus,
    Recruiter,
    Registry,
    named_recruiter_id,
    recruiter_id,
)

REQUIRED_COLUMNS = ("name", "licence_no", "status", "aliases", "source", "as_of")
OPTIONAL_COLUMNS = ("example",)
_LISTED = (
    LicenceStatus.VALID,
    LicenceStatus.REVOKED,
    LicenceStatus.EXPIRED,
    LicenceStatus.INVALID,
    LicenceStatus.DEREGISTERED,
)
_LICENCE_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$")


class RegistryInvalid(Exception):
    """A registry file has problems; ``errors`` lists ``(line, message)`` for each."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        lines = "; ".join(f"line {line}: {message}" for line, message in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} problem(s): {lines}{more}")


class _Row(BaseModel):
    """One CSV row as written by an editor, before it becomes a ``Recruiter``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1)]
    licence_no: str
    """Empty only for a deregistered agency known by name (from a dated press source)."""
    status: str
    aliases: tuple[str, ...]
    source: Annotated[str, Field(min_length=1)]
    as_of: dt.date
    example: bool = False

    @field_validator("licence_no")
    @classmethod
    def _licence_chars(cls, value: str) -> str:
        if not value:
            return value
        if not value.isascii() or not _LICENCE_CHARS.match(value):
            raise ValueError("use only letters A-Z, digits, spaces and . / -")
        if licence_key(value).startswith("PENDING"):
            raise ValueError("must not start with 'pending' (kept for agencies not listed)")
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value.casefold() not in {status.value for status in _LISTED}:
            allowed = ", ".join(status.value for status in _LISTED)
            raise ValueError(f"must be one of {allowed} (got {value!r})")
        return value.casefold()

    @model_validator(mode="after")
    def _licence_or_deregistered(self) -> Self:
        if not self.licence_no and self.status != LicenceStatus.DEREGISTERED.value:
            raise ValueError("licence_no must not be empty (only a deregistered agency may "
                             "lack one)")
        return self

    @field_validator("aliases", mode="before")
    @classmethod
    def _split_aliases(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(alias.strip() for alias in value.split("|") if alias.strip())
        return value

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"must be an ISO date like 2025-01-31 (got {value!r})") from None
        return value

    @field_validator("example", mode="before")
    @classmethod
    def _blank_is_false(cls, value: object) -> object:
        return False if isinstance(value, str) and not value.strip() else value


def _message(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "row"
        text = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "string_too_short":
            text = "must not be empty"
        parts.append(f"{field}: {text}")
    return "; ".join(parts)


def _parse(path: Path, country: str) -> tuple[list[Recruiter], list[tuple[int, str]]]:
    """Every valid row and every problem; never raises for bad content."""
    errors: list[tuple[int, str]] = []
    recruiters: list[Recruiter] = []
    if not re.fullmatch(r"[A-Z]{2}", country):
        return [], [(0, f"country must be a two-letter code like KE (got {country!r})")]
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        return [], [(0, f"cannot read the file: {exc.strerror or exc}")]
    with handle:
        reader = csv.DictReader(handle)
        try:
            columns = [column.strip() for column in (reader.fieldnames or [])]
        except (csv.Error, UnicodeDecodeError) as exc:
            return [], [(1, f"cannot read the header: {exc}")]
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if missing:
            errors.append((1, f"missing column(s): {', '.join(missing)}"))
        if unknown:
            errors.append((1, f"unknown column(s): {', '.join(unknown)}"))
        if missing or unknown:
            return [], errors
        reader.fieldnames = columns
        seen: dict[str, int] = {}
        try:
            for raw in reader:
                line = reader.line_num
                if None in raw:
                    errors.append((line, "more values than columns"))
                    continue
                values = {key: (value or "") for key, value in raw.items()}
                try:
                    row = _Row.model_validate(values)
                except ValidationError as exc:
                    errors.append((line, _message(exc)))
                    continue
                key = licence_key(row.licence_no) if row.licence_no else f"name:{row.name}"
                if key in seen:
                    what = (f"licence number {row.licence_no}" if row.licence_no
                            else f"name {row.name}")
                    errors.append((line, f"duplicate {what} (first on line "
                                         f"{seen[key]})"))  # fmt: skip
                    continue
                seen[key] = line
                rid = (
                    recruiter_id(country, row.licence_no)
                    if row.licence_no
                    else named_recruiter_id(country, row.name)
                )
                if len(rid.encode()) > MAX_ID_BYTES:
                    errors.append((line, f"licence number too long for an id ({rid})"))
                    continue
                recruiters.append(
                    Recruiter(
                        id=rid, country=country, name=" ".join(row.name.split()),
                        licence_no=row.licence_no, status=LicenceStatus(row.status),
                        aliases=row.aliases, example=row.example, source=row.source,
                        as_of=row.as_of,
                    )
                )  # fmt: skip
        except (csv.Error, UnicodeDecodeError) as exc:
            errors.append((reader.line_num, f"cannot read the file: {exc}"))
    return recruiters, errors


def check_registry(path: Path) -> list[tuple[int, str]]:
    """Problems of ``<cc>.csv`` as ``(line, message)``; empty when it is fine. Never raises."""
    return _parse(path, path.stem.upper())[1]


def load_registry(path: Path, country: str) -> Registry:
    """The registry in ``path``, or ``RegistryInvalid`` listing every problem at once."""
    recruiters, errors = _parse(path, country.upper())
    if errors:
        raise RegistryInvalid(errors)
    return Registry(country.upper(), recruiters)


def load_registries(folder: Path) -> dict[str, Registry]:
    """Every ``<CC>.csv`` registry in ``folder`` (content/recruiters), by country code.

    The one loader the bot, the portal and the tools use. A broken file stops
    the start-up with its line-numbered problems (``RegistryInvalid``): a
    half-loaded registry would mislead workers.
    """
    return {
        path.stem.upper(): load_registry(path, path.stem.upper())
        for path in sorted(Path(folder).glob("*.csv"))
    }
