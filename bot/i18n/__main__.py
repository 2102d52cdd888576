"""``python -m bot.i18n``: refresh ``locales/`` from the code and show what is left to translate.

Extracts every ``t(...)``/``t.plural(...)`` string, writes ``locales/bot.pot``,
creates or updates each language's ``bot.po`` and prints coverage.
``--check`` writes nothing and exits 1 when a catalog is broken or a string
has no translation, for CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.i18n.catalogs import CATALOG_NAME, Catalogs
from bot.i18n.coverage import missing_translations
from bot.i18n.errors import CatalogError
from bot.i18n.extract import extract_messages, update_catalogs

_ROOT = Path(__file__).resolve().parents[2]
_FIRST_LOCALES = ["en", "sw", "ne", "ar"]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n", description=__doc__)
    parser.add_argument("--locales-dir", type=Path, default=_ROOT / "locales")
    parser.add_argument("--default-locale", default="en")
    parser.add_argument(
        "--locale",
        action="append",
        dest="locales",
        help="a language to create or update (repeatable); default: those in --locales-dir, "
        f"or {','.join(_FIRST_LOCALES)} when there are none",
    )
    parser.add_argument(
        "--source",
        action="append",
        type=Path,
        help="a source folder (default: bot, recruiter_reports)",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if incomplete")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status."""
    args = _arguments(argv)
    sources = args.source or [_ROOT / "bot", _ROOT / "recruiter_reports"]
    template = extract_messages([s for s in sources if s.is_dir()])
    existing = sorted(
        p.parent.parent.name for p in args.locales_dir.glob(f"*/LC_MESSAGES/{CATALOG_NAME}")
    )
    locales = args.locales or existing or _FIRST_LOCALES
    if not args.check:
        update_catalogs(args.locales_dir, template, locales)
    try:
        catalogs = Catalogs.load(args.locales_dir, args.default_locale)
    except CatalogError as exc:
        print(exc, file=sys.stderr)
        return 1
    missing = missing_translations(catalogs, template)
    for code, counts in catalogs.coverage(template).items():
        print(
            f"{code:6} {counts.translated:4} reviewed  {counts.fuzzy:4} to review  "
            f"{counts.missing:4} missing  of {counts.total}"
        )
    incomplete = any(missing.values())
    if args.check and incomplete:
        for code, msgids in missing.items():
            for msgid in msgids:
                print(f"{code}: no translation for {msgid!r}", file=sys.stderr)
    return 1 if args.check and incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
