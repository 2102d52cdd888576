"""Turning a saved copy of a regulator's agency list into ``content/recruiters/<CC>.csv``.

The regulators publish no downloadable file (see the facts sheet), so an editor
saves the page (or an export of it) and runs ``python -m bot registry import``.
This module finds the header row, maps its columns by the names regulators use,
reads each agency's status (a status column, or red print for "not valid"),
keeps the list's source and as-of date on every row, and reports what changed
against the current file. Entries the regulator's list cannot hold (agencies
the press names as deregistered, with their own source) are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from recruiter_reports.matching import licence_key, name_key
from recruiter_reports.registry import LicenceStatus, Recruiter
from recruiter_reports.registry_csv import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RegistryInvalid,
    load_registry,
)
from recruiter_reports.registry_tables import TableRow, TableUnreadable, pages_linked, read_table

__all__ = [
    "ImportResult",
    "Imported",
    "RegistryImportFailed",
    "import_registry",
    "map_rows",
]

_NAME_HEADERS = (
    "agency name", "name of agency", "name of the agency", "company name", "name of company",
    "employment agency", "agency", "company", "organization", "organisation", "name",
    "संस्थाको नाम", "नाम",
)  # fmt: skip
_LICENCE_HEADERS = (
    "licence no", "license no", "licence number", "license number", "lic no", "licence",
    "license", "registration no", "registration number", "reg no", "certificate no",
    "इजाजत नं", "इजाजतपत्र नं", "इजाजत पत्र नं",
)  # fmt: skip
_STATUS_HEADERS = ("status", "licence status", "license status", "validity", "स्थिति")
_VALID_WORDS = frozenset({"valid", "active", "renewed", "licensed", "registered", "सक्रिय"})
_INVALID_WORDS = frozenset({
    "invalid", "not valid", "inactive", "suspended", "cancelled", "canceled", "revoked",
    "expired", "deregistered", "blacklisted", "निष्क्रिय", "खारेज",
})  # fmt: skip
_WORD_STATUS = {
    "revoked": LicenceStatus.REVOKED,
    "cancelled": LicenceStatus.REVOKED,
    "canceled": LicenceStatus.REVOKED,
    "खारेज": LicenceStatus.REVOKED,
    "expired": LicenceStatus.EXPIRED,
    "deregistered": LicenceStatus.DEREGISTERED,
}


class RegistryImportFailed(Exception):
    """The list cannot be imported; nothing was written. The message says what to fix."""


@dataclass(frozen=True)
class Imported:
    """One agency as the regulator's list shows it."""

    name: str
    licence_no: str
    status: LicenceStatus


@dataclass
class ImportResult:
    """What the import found and wrote, for the editor to read before committing it."""

    agencies: list[Imported]
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Entries with their own source (press) that the regulator's list does not replace."""
    skipped: list[str] = field(default_factory=list)
    """Rows of the list that could not be read, with their line."""

    def report(self) -> str:
        """The summary ``registry import`` prints."""
        lines = [
            f"{len(self.agencies)} agencies read: {len(self.added)} added, "
            f"{len(self.changed)} changed, {len(self.removed)} removed."
        ]
        for title, names in (
            ("added", self.added), ("changed", self.changed), ("removed", self.removed),
            ("kept (own source)", self.kept), ("skipped", self.skipped),
        ):  # fmt: skip
            lines += [f"  {title}: {name}" for name in names]
        return "\n".join(lines)


def _header_key(text: str) -> str:
    return " ".join(text.casefold().replace(".", " ").replace(":", " ").replace("_", " ").split())


def _find(header: Sequence[str], wanted: Iterable[str]) -> int | None:
    keys = [_header_key(cell) for cell in header]
    for name in wanted:  # the most specific names first
        for index, key in enumerate(keys):
            if key == name:
                return index
    return None


def _header(rows: list[TableRow]) -> tuple[int, int, int, int | None]:
    """Position of the header row and of the name, licence and status columns."""
    for position, row in enumerate(rows[:20]):
        name = _find(row.cells, _NAME_HEADERS)
        licence = _find(row.cells, _LICENCE_HEADERS)
        if name is not None and licence is not None and name != licence:
            return position, name, licence, _find(row.cells, _STATUS_HEADERS)
    first = " | ".join(rows[0].cells)
    raise RegistryImportFailed(
        "no header row with an agency name column and a licence number column "
        f"(the first row reads: {first[:200]!r})"
    )


def _status(row: TableRow, status_at: int | None) -> LicenceStatus | None:
    """The status column when there is one, else the print colour (red = not valid)."""
    if status_at is not None and status_at < len(row.cells) and row.cells[status_at].strip():
        word = " ".join(row.cells[status_at].casefold().split())
        if word in _WORD_STATUS:
            return _WORD_STATUS[word]
        if word in _VALID_WORDS:
            return LicenceStatus.INVALID if row.red else LicenceStatus.VALID
        if word in _INVALID_WORDS:
            return LicenceStatus.INVALID
        return None
    return LicenceStatus.INVALID if row.red else LicenceStatus.VALID


def map_rows(rows: list[TableRow]) -> tuple[list[Imported], list[str]]:
    """The agencies of a table (header found by its column names) and the rows skipped."""
    start, name_at, licence_at, status_at = _header(rows)
    agencies: list[Imported] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    for row in rows[start + 1 :]:
        cells = row.cells
        name = cells[name_at].strip() if name_at < len(cells) else ""
        licence = cells[licence_at].strip() if licence_at < len(cells) else ""
        if not name and not licence:
            continue
        if _header_key(name) in _NAME_HEADERS:  # the header repeated on every page
            continue
        if not name or not licence:
            skipped.append(f"line {row.line}: no {'name' if not name else 'licence number'}")
            continue
        status = _status(row, status_at)
        if status is None:
            shown = cells[status_at] if status_at is not None else ""
            skipped.append(f"line {row.line}: unknown status {shown!r} for {name}")
            continue
        key = licence_key(licence)
        if key in seen:
            skipped.append(f"line {row.line}: licence {licence} again (first on line {seen[key]})")
            continue
        seen[key] = row.line
        agencies.append(Imported(" ".join(name.split()), licence, status))
    if not agencies:
        raise RegistryImportFailed("the table has a header but no agency rows")
    return agencies, skipped


def _current(path: Path, country: str) -> list[Recruiter]:
    if not path.exists():
        return []
    try:
        return list(load_registry(path, country))
    except RegistryInvalid as exc:
        message = f"the current {path.name} has problems; fix them first: {exc}"
        raise RegistryImportFailed(message) from exc


def _own_source(recruiter: Recruiter, imported_names: set[str]) -> bool:
    """A press entry (deregistered, no licence number) the official list does not name."""
    return (
        recruiter.status is LicenceStatus.DEREGISTERED
        and not recruiter.licence_no
        and name_key(recruiter.name) not in imported_names
    )


def import_registry(
    source_files: Path | Sequence[Path], country: str, target: Path, source: str, as_of: dt.date
) -> ImportResult:
    """Read the saved list (every page of it), write ``target`` (``<CC>.csv``)
    atomically, say what changed.

    Example rows leave the file: an imported list is the regulator's, not an example.
    A saved page that links to more pages than were given is refused: the agencies
    of the missing pages would otherwise be reported as removed, and then called
    unlisted to workers.
    """
    files = [source_files] if isinstance(source_files, Path) else list(source_files)
    country = country.upper()
    if not source.strip():
        raise RegistryImportFailed(
            "give the list's source (--source), e.g. the page's title and address"
        )
    _check_every_page(files)
    rows: list[TableRow] = []
    for path in files:
        try:
            rows += read_table(path)
        except TableUnreadable as exc:
            raise RegistryImportFailed(str(exc)) from exc
    agencies, skipped = map_rows(rows)
    current = _current(target, country)
    imported_names = {name_key(agency.name) for agency in agencies}
    before = {licence_key(r.licence_no): r for r in current if r.licence_no and not r.example}
    result = ImportResult(agencies=agencies, skipped=skipped)
    for agency in agencies:
        old = before.pop(licence_key(agency.licence_no), None)
        if old is None:
            result.added.append(f"{agency.name} ({agency.licence_no}, {agency.status.value})")
        elif old.name != agency.name or old.status is not agency.status:
            result.changed.append(
                f"{agency.name} ({agency.licence_no}): {old.status.value} -> {agency.status.value}"
                + (f", was named {old.name}" if old.name != agency.name else "")
            )
    result.removed = [f"{r.name} ({r.licence_no})" for r in before.values()]
    result.removed += [f"{r.name} (example data)" for r in current if r.example]
    kept = [r for r in current if _own_source(r, imported_names)]
    result.kept = [f"{r.name} ({r.status.value}, {r.source})" for r in kept]
    _write(target, agencies, kept, source.strip(), as_of)
    return result


def _check_every_page(files: Sequence[Path]) -> None:
    for path in files:
        pages, unnumbered = pages_linked(path)
        if pages > len(files) or unnumbered:
            more = f"at least {pages}" if unnumbered else str(pages)
            raise RegistryImportFailed(
                f"{path.name} is one page of a list with {more} pages: save every page "
                f"and import them together (FILE FILE ...), or nothing would say which "
                f"agencies are on the others"
            )


def _write(
    target: Path, agencies: list[Imported], kept: list[Recruiter], source: str, as_of: dt.date
) -> None:
    """Write beside the target, check it, then replace: a bad import never half-writes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))
    for agency in sorted(agencies, key=lambda a: name_key(a.name)):
        writer.writerow(
            (agency.name, agency.licence_no, agency.status.value, "", source, as_of.isoformat(),
             "false")
        )  # fmt: skip
    for recruiter in kept:
        writer.writerow(
            (recruiter.name, "", recruiter.status.value, "|".join(recruiter.aliases),
             recruiter.source, recruiter.as_of.isoformat() if recruiter.as_of else "", "false")
        )  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}-", suffix=".csv"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(buffer.getvalue())
        problems = _check_as(Path(temporary), target.stem.upper())
        if problems:
            listed = "; ".join(f"line {line}: {message}" for line, message in problems[:5])
            raise RegistryImportFailed(f"the imported list would not load: {listed}")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_as(path: Path, country: str) -> list[tuple[int, str]]:
    try:
        load_registry(path, country)
    except RegistryInvalid as exc:
        return exc.errors
    return []
