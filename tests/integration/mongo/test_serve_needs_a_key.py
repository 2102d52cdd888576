"""``serve`` on MongoDB without PSEUDONYM_KEY refuses to start and says why, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_serve_on_mongodb_without_a_key_explains_and_exits(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PSEUDONYM_KEY", "STORE_URL")}
    env["STORE_URL"] = "mongodb://127.0.0.1:9/bot"
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # no .env file here to supply a key
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "PSEUDONYM_KEY must be set when the store is MongoDB" in done.stderr
    assert "losing the key" in done.stderr
    assert "Traceback" not in done.stderr
