"""``python -m bot registry import``: a saved copy of a regulator's agency list into the registry.

Kept apart from ``bot.cli`` (argument parsing only) so the import's wording and
defaults sit in one place. The default sources are the regulators' list pages
as the facts sheet cites them; an editor passes ``--source`` for anything else.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TextIO

DEFAULT_SOURCES = {
    "KE": "National Employment Authority: list of employment agencies, "
    "https://neaims.go.ke/EmploymentAgencyList.aspx",
    "NP": "Department of Foreign Employment: list of recruiting agencies, "
    "https://dofe.gov.np/Recruting-Agences.aspx",
}


def add_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``registry import --origin KE FILE... --as-of DATE [--source TEXT] [--content DIR]``."""
    registry = commands.add_parser("registry", help="the licensed-agency registries")
    actions = registry.add_subparsers(dest="registry_command", required=True)
    imported = actions.add_parser(
        "import", help="read a saved copy of the regulator's list (HTML, CSV or XLSX)"
    )
    imported.add_argument(
        "files", nargs="+", type=Path, help="the saved page or file (every page of the list)"
    )
    imported.add_argument("--origin", required=True, help="the country of the list, e.g. KE, NP")
    imported.add_argument(
        "--as-of",
        required=True,
        type=dt.date.fromisoformat,
        help="the day the list was saved or published (YYYY-MM-DD)",
    )
    imported.add_argument("--source", help="the list's title and address (default per origin)")
    imported.add_argument("--content", type=Path, help="content folder (default CONTENT_DIR)")


def run_import(args: argparse.Namespace, content_dir: Path, out: TextIO, err: TextIO) -> int:
    """Import, then print what was added, changed and removed; 1 (nothing written) on error."""
    from recruiter_reports.registry_import import RegistryImportFailed, import_registry

    origin = str(args.origin).upper()
    source = args.source or DEFAULT_SOURCES.get(origin)
    if not source:
        print(f"No default source for {origin}: give --source.", file=err)
        return 2
    target = content_dir / "recruiters" / f"{origin}.csv"
    try:
        result = import_registry(args.files, origin, target, source, args.as_of)
    except RegistryImportFailed as exc:
        print(f"Nothing was written: {exc}", file=err)
        return 1
    print(result.report(), file=out)
    print(f"Wrote {target} (as of {args.as_of.isoformat()}).", file=out)
    return 0
