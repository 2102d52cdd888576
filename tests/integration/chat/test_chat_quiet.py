"""The terminal chat shows the conversation and nothing else: no log line ever."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.integration.chat.console import chat_env, split_replies

ROOT = Path(__file__).resolve().parents[3]


def test_odd_digits_and_sos_get_answers_and_no_log_line(tmp_path: Path) -> None:
    env = chat_env(tmp_path / "chat.sqlite3")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "amani", "--locale", "en"],
        input="²\n/sos\nmenu\n①\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    replies = split_replies(done.stdout)
    assert "Your rights in" in replies[1] and "Menu" in replies[1]
    assert "Qatar: 999" in replies[2]
    assert "What do you need?" in replies[3]
    assert "Which country do you want to read about?" in replies[4]
    for line in done.stdout.splitlines():
        assert not any(level in line for level in ("WARNING", "ERROR", "INFO ")), line
