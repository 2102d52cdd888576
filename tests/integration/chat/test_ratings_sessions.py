"""Ratings tried as new people would: several ``python -m bot chat --user`` sessions, one store.

Replays tests/transcripts/sessions/*.yaml (each a list of sessions, every one
a real chat process over the same SQLite file), then reads the file's bytes:
no user's name and no phone number from a comment may be in it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.integration.chat.console import chat_env, split_replies

ROOT = Path(__file__).resolve().parents[3]
SESSIONS = sorted((ROOT / "tests" / "transcripts" / "sessions").glob("*.yaml"))


def _chat(store: Path, user: str, steps: list[dict[str, Any]]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", user, "--locale", "en"],
        input="".join(f"{step['send']}\n" for step in steps),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=chat_env(store),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = split_replies(done.stdout)[1:]
    assert len(replies) == len(steps)
    return replies


def _check(session: dict[str, Any], steps: list[dict[str, Any]], replies: list[str]) -> None:
    user = session["user"]
    for step, reply in zip(steps, replies, strict=True):
        for text in step.get("expect", []):
            assert text in reply, f"{user} after {step['send']!r}: {text!r} not in\n{reply}"
    for text in session.get("last_expect", []):
        assert text in replies[-1], f"{user}: {text!r} not in\n{replies[-1]}"
    for text in session.get("last_absent", []):
        assert text not in replies[-1], f"{user}: {text!r} shown in\n{replies[-1]}"


@pytest.mark.parametrize("path", SESSIONS, ids=[p.stem for p in SESSIONS])
def test_sessions_over_one_store(path: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    store = tmp_path / "chat.sqlite3"
    for session in case["sessions"]:
        steps = [*case["flows"].get(session.get("flow", ""), []), *session.get("steps", [])]
        replies = _chat(store, session["user"], steps)
        _check(session, steps, replies)
    written = b"".join(
        p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("chat.sqlite3")
    )
    for session in case["sessions"]:
        assert session["user"].encode() not in written
    for digits in (b"0712 345 678", b"0712345678", b"345 678"):
        assert digits not in written
    assert b"Fees were too high" in written  # a kept comment: we read the right bytes
