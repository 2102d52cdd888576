"""Importing the engine and the store ports loads no database driver."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_engine_does_not_import_pymongo() -> None:
    code = (
        "import sys, bot.core.engine, bot.core.runner, recruiter_reports.stores; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pymongo', 'bson')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_the_stores_package_exports_ports_and_open_store_only() -> None:
    import recruiter_reports.stores as stores

    assert "open_store" in stores.__all__
    assert not [name for name in stores.__all__ if name.endswith(("MemoryStore", "SQLiteStore",
                                                                  "MongoDBStore"))]  # fmt: skip
