"""Run every benchmark, or those named on the command line."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    folder = Path(__file__).parent
    found = sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules([str(folder)])
        if info.name.startswith("bench_")
    )
    chosen = names or found
    unknown = set(chosen) - set(found)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have {', '.join(found)}")
        return 2
    for name in chosen:
        importlib.import_module(f"benchmarks.bench_{name}").main()
    return 0


sys.exit(main(sys.argv[1:]))
