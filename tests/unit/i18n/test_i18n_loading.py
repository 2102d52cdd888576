"""Broken catalogs are refused at start-up with the file and line an editor must fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import CatalogError, Catalogs


def _po(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "LC_MESSAGES" / "bot.po"


def _append(path: Path, text: str) -> int:
    """Append ``text`` and return the 1-based line number its first line lands on."""
    before = path.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def _load_error(locales_dir: Path) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        Catalogs.load(locales_dir, "en")
    return caught.value


def test_garbage_line_names_path_and_line(locales_dir: Path) -> None:
    po = _po(locales_dir, "sw")
    line = _append(po, "\nthis is not a PO line\n") + 1
    error = _load_error(locales_dir)
    assert (error.path, error.line) == (po, line)
    assert str(error).startswith(f"{po}:{line}: ")


def test_unterminated_string_names_its_line(locales_dir: Path) -> None:
    po = _po(locales_dir, "ne")
    line = _append(po, '\nmsgid "Back"\nmsgstr "पछाडि\n') + 2
    error = _load_error(locales_dir)
    assert str(error) == f"{po}:{line}: malformed or unterminated string"


def test_msgid_without_msgstr(locales_dir: Path) -> None:
    po = _po(locales_dir, "ar")
    line = _append(po, '\nmsgid "Back"\n') + 1
    assert str(_load_error(locales_dir)) == f"{po}:{line}: msgid without msgstr"


def test_duplicate_msgid(locales_dir: Path) -> None:
    po = _po(locales_dir, "sw")
    line = _append(po, '\nmsgid "Main menu"\nmsgstr "Menyu"\n') + 1
    error = _load_error(locales_dir)
    assert (error.path, error.line) == (po, line)
    assert "duplicate msgid 'Main menu'" in error.message


def test_translation_missing_a_placeholder_is_refused(locales_dir: Path) -> None:
    po = _po(locales_dir, "sw")
    line = _append(po, '\nmsgid "Call {number} now"\nmsgstr "Piga simu sasa"\n') + 1
    error = _load_error(locales_dir)
    assert (error.path, error.line) == (po, line)
    assert "{number}" in error.message


def test_translation_with_an_unknown_placeholder_is_refused(locales_dir: Path) -> None:
    po = _po(locales_dir, "ar")
    line = _append(po, '\nmsgid "Call {number} now"\nmsgstr "اتصل {nombre} الآن"\n') + 1
    error = _load_error(locales_dir)
    assert error.line == line
    assert "{nombre}" in error.message


def test_positional_placeholder_is_refused(locales_dir: Path) -> None:
    po = _po(locales_dir, "ne")
    _append(po, '\nmsgid "Call {number} now"\nmsgstr "{} {number}"\n')
    assert "positional" in _load_error(locales_dir).message


def test_plural_form_for_most_numbers_must_show_n(locales_dir: Path) -> None:
    po = _po(locales_dir, "ne")
    line = (
        _append(
            po,
            '\nmsgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n} दिन"\nmsgstr[1] "दिनहरू"\n',
        )
        + 1
    )
    error = _load_error(locales_dir)
    assert error.line == line
    assert "msgstr[1] lacks {n}" in error.message


def test_more_plural_forms_than_the_header_allows(locales_dir: Path) -> None:
    po = _po(locales_dir, "sw")
    line = 1 + _append(
        po,
        '\nmsgid "{n} day"\nmsgid_plural "{n} days"\n'
        'msgstr[0] "siku {n}"\nmsgstr[1] "siku {n}"\nmsgstr[2] "siku {n}"\n',
    )
    error = _load_error(locales_dir)
    assert (error.line, error.message) == (
        line,
        "more plural forms than Plural-Forms allows (nplurals=2)",
    )


@pytest.mark.parametrize(
    "header",
    [
        "nplurals=2; plural=(n !=;",  # not an expression
        "nplurals=2; plural=n;",  # n=2 selects a third form
        "nplurals=x; plural=(n != 1);",  # not a number
    ],
)
def test_bad_plural_header_names_its_line(locales_dir: Path, header: str) -> None:
    po = _po(locales_dir, "sw")
    text = po.read_text(encoding="utf-8")
    good = "nplurals=2; plural=(n != 1);"
    po.write_text(text.replace(good, header), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "Plural-Forms" in row)
    error = _load_error(locales_dir)
    assert str(error).startswith(f"{po}:{line}: bad Plural-Forms header")


def test_not_utf8(locales_dir: Path) -> None:
    po = _po(locales_dir, "sw")
    line = _append(po, "\n# comment\n") + 1
    po.write_bytes(po.read_bytes().replace(b"# comment", b"# \xff"))
    error = _load_error(locales_dir)
    assert (error.line, error.message) == (line, "not valid UTF-8")


def test_default_locale_without_catalog(locales_dir: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        Catalogs.load(locales_dir, "fr")
    assert caught.value.path == locales_dir / "fr" / "LC_MESSAGES" / "bot.po"


def test_directory_that_is_no_locale(locales_dir: Path) -> None:
    po = _po(locales_dir, "zz")
    po.parent.mkdir(parents=True)
    po.write_bytes(_po(locales_dir, "sw").read_bytes())
    assert "unknown locale 'zz'" in str(_load_error(locales_dir))


def test_a_merged_entry_with_mismatched_placeholders_does_not_block_start_up(
    locales_dir: Path,
) -> None:
    po = _po(locales_dir, "sw")
    _append(po, '\n#, fuzzy\n#| msgid "Call now"\nmsgid "Call {number} now"\nmsgstr "Piga sasa"\n')
    sw = Catalogs.load(locales_dir, "en").translator("sw")
    assert sw("Call {number} now", number="999") == "Call 999 now"


def test_coverage_counts_reviewed_drafted_and_missing(catalogs: Catalogs) -> None:
    counts = {
        code: (c.total, c.translated, c.fuzzy, c.missing) for code, c in catalogs.coverage().items()
    }
    assert counts == {
        "en": (5, 5, 0, 0),
        "ar": (5, 3, 0, 2),
        "ne": (5, 3, 0, 2),
        "sw": (5, 1, 1, 3),
    }
    assert catalogs.coverage()["sw"].needs_review == 1
