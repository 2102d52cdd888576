"""A disk that fills up: a small tmpfs to mount (root, in a private mount namespace) and fill.

Shared by the outage tests of the store (``tests/integration/stores/checkpoint_outages``)
and of the served bot (``tests/reliability/disk_full``).
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path


def mount_small_disk(base: Path, megabytes: int) -> Path:
    """Mount a tmpfs of ``megabytes`` on ``base / "disk"``; that folder."""
    disk = base / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(disk)],
                   check=True)
    return disk


def fill(disk: Path) -> Path:
    """Write until the file system refuses another byte; the file that filled it."""
    filler = disk / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 8, 1):
            while True:
                out.write(b"\0" * size)
                out.flush()
    return filler
