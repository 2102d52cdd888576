"""Whole conversations replayed through ``python -m bot chat`` as another program would.

Each file in tests/transcripts/ lists lines to send and what the replies to
each line must contain; the chat runs as a real process on a throw-away store.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.integration.chat.console import chat_env, split_replies

ROOT = Path(__file__).resolve().parents[3]
TRANSCRIPTS = sorted((ROOT / "tests" / "transcripts").glob("*.yaml"))


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_transcript(path: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = "".join(f"{step['send']}\n" for step in case["steps"])
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", *case.get("args", [])],
        input=lines,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=chat_env(tmp_path / "chat.sqlite3"),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = split_replies(done.stdout)[1:]
    assert len(replies) == len(case["steps"])
    for step, reply in zip(case["steps"], replies, strict=True):
        for expected in step["expect"]:
            assert expected in reply, f"after {step['send']!r}: {expected!r} not in\n{reply}"


def test_each_line_is_answered_as_soon_as_it_arrives(tmp_path: Path) -> None:
    """A driving program gets the reply to a line before it sends the next one."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--user", "driver"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=chat_env(tmp_path / "chat.sqlite3"),
        cwd=ROOT,
    )
    assert process.stdin and process.stdout
    try:
        process.stdin.write("/start\n")
        process.stdin.flush()
        seen = ""
        deadline = time.monotonic() + 30
        while "Kiswahili" not in seen and time.monotonic() < deadline:
            seen += process.stdout.readline()
        assert "Kiswahili" in seen
        process.stdin.write("/sos\n")
        process.stdin.flush()
        while "Qatar" not in seen and time.monotonic() < deadline:
            seen += process.stdout.readline()
        assert "Qatar" in seen
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0


def test_an_unknown_language_is_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--locale", "xx"],
        input="",
        capture_output=True,
        text=True,
        env=chat_env(tmp_path / "chat.sqlite3"),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Unknown language 'xx'" in done.stderr
