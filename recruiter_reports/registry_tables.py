"""Reading a saved copy of a regulator's agency list: an HTML page, a CSV or an XLSX file.

Regulators publish their lists as web tables (Kenya's NEA prints valid agencies
in black and invalid ones in red; Nepal's DoFE a plain table), sometimes as a
spreadsheet. Each reader returns the same thing: the rows of the largest table
as text cells, each with whether it was marked in red, so the importer maps
columns once for every format.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["TableRow", "TableUnreadable", "pages_linked", "read_table"]

_RED = re.compile(
    r"(?:^|[;\s\"'])color\s*:\s*(?:red\b|#f00\b|#ff0000\b|#c00\b|#cc0000\b|#dc3545\b|"
    r"rgb\(\s*255\s*,\s*0\s*,\s*0\s*\))",
    re.IGNORECASE,
)
"""An inline colour that is red: ``color:Red`` (what an ASP.NET grid writes), hex or rgb."""
_RED_CLASSES = frozenset({"red", "text-red", "text-danger", "invalid", "danger"})
_RED_FONT = frozenset({"red", "#f00", "#ff0000"})
_RED_ARGB = re.compile(r"^(?:FF)?(?:FF0000|C00000|CC0000)$", re.IGNORECASE)


class TableUnreadable(Exception):
    """The file has no table we can read; the message says why, for the editor."""


@dataclass(frozen=True)
class TableRow:
    """One row of the list as printed: its cells and whether it was shown in red."""

    line: int
    """Line in the file (HTML, CSV) or row number (XLSX), for messages."""
    cells: tuple[str, ...]
    red: bool


def read_table(path: Path) -> list[TableRow]:
    """The rows of the file's largest table, header included; ``TableUnreadable`` if none."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".html", ".htm", ".aspx"):
            rows = _html_rows(path.read_text(encoding="utf-8", errors="replace"))
        elif suffix == ".csv":
            rows = _csv_rows(path)
        elif suffix == ".xlsx":
            rows = _xlsx_rows(path)
        else:
            kind = suffix or "(none)"
            raise TableUnreadable(f"unknown file type {kind}: use .html, .csv or .xlsx")
    except OSError as exc:
        raise TableUnreadable(f"cannot read {path}: {exc.strerror or exc}") from exc
    rows = [row for row in rows if any(cell for cell in row.cells)]
    if not rows:
        raise TableUnreadable(f"no table rows found in {path.name}")
    return rows


_PAGE_LINK = re.compile(r"Page\$(\d+|Next|Last)")


def pages_linked(path: Path) -> tuple[int, bool]:
    """How many pages a saved list page links to (an ASP.NET grid pager writes
    ``'Page$2'``), and whether it links to pages it does not number (Next, Last).

    A saved page holds one page of the list only; importing it alone would
    report every agency of the other pages as removed.
    """
    if path.suffix.lower() not in (".html", ".htm", ".aspx"):
        return 1, False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1, False
    found = _PAGE_LINK.findall(text)
    numbers = [int(page) for page in found if page.isdigit()]
    return max([1, *numbers]), any(not page.isdigit() for page in found)


def _is_red_style(style: str | None) -> bool:
    return bool(style) and bool(_RED.search(style or ""))


def _is_red_attrs(attrs: dict[str, str | None]) -> bool:
    classes = set((attrs.get("class") or "").lower().split())
    font = (attrs.get("color") or "").strip().lower()
    return _is_red_style(attrs.get("style")) or bool(classes & _RED_CLASSES) or font in _RED_FONT


class _Tables(HTMLParser):
    """Collects every ``<table>`` as rows of cell text, with red marks from the row,
    the cell or any element inside the cell (``<font color=red>``, a styled span)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[TableRow]] = []
        self._stack: list[list[TableRow]] = []
        self._row: list[str] | None = None
        self._row_red = False
        self._row_line = 0
        self._cell: list[str] | None = None
        self._cell_red = False
        self._red_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._row, self._row_red, self._row_line = [], _is_red_attrs(found), self.getpos()[0]
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._cell_red = [], _is_red_attrs(found)
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif self._cell is not None and _is_red_attrs(found):
            self._red_depth += 1
            self._cell_red = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._row_red = self._row_red or self._cell_red
            self._cell = None
        elif tag == "tr" and self._row is not None and self._stack:
            if self._cell is not None:  # a cell left open by sloppy HTML
                self.handle_endtag("td")
            self._stack[-1].append(TableRow(self._row_line, tuple(self._row), self._row_red))
            self._row = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_rows(text: str) -> list[TableRow]:
    parser = _Tables()
    parser.feed(text)
    parser.close()
    while parser._stack:  # a table never closed still counts
        parser.tables.append(parser._stack.pop())
    if not parser.tables:
        raise TableUnreadable("no <table> in the page: save the page with its list showing")
    return max(parser.tables, key=len)


def _csv_rows(path: Path) -> list[TableRow]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        try:
            return [
                TableRow(reader.line_num, tuple(" ".join(c.split()) for c in cells), False)
                for cells in reader
            ]
        except csv.Error as exc:
            raise TableUnreadable(f"line {reader.line_num}: {exc}") from exc


def _xlsx_rows(path: Path) -> list[TableRow]:
    from openpyxl import load_workbook  # only the import command needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise TableUnreadable(f"not a readable XLSX file: {exc}") from exc
    try:
        sheet = max(book.worksheets, key=lambda ws: ws.max_row or 0)
        rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = tuple("" if c.value is None else " ".join(str(c.value).split()) for c in cells)
            red = any(_red_font(cell) for cell in cells if cell.value is not None)
            rows.append(TableRow(number, texts, red))
        return rows
    finally:
        book.close()


def _red_font(cell: object) -> bool:
    font = getattr(cell, "font", None)
    color = getattr(font, "color", None)
    rgb = getattr(color, "rgb", None)
    return isinstance(rgb, str) and bool(_RED_ARGB.match(rgb))
