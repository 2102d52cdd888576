"""Running ``python -m bot chat`` as a subprocess and reading its transcript."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def chat_env(store: Path) -> dict[str, str]:
    """The environment of a chat on its own SQLite file, with no channel configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WHATSAPP_"))}
    env["STORE_URL"] = f"sqlite:///{store}"
    env["PSEUDONYM_KEY"] = "chat-test-pseudonym-key-" + "x" * 32
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def split_replies(output: str) -> list[str]:
    """The output split at each echoed input line ("> text"); [0] is before any input."""
    chunks: list[str] = [""]
    for line in output.splitlines():
        if line.startswith("> "):
            chunks.append("")
        else:
            chunks[-1] += line + "\n"
    return chunks


ROOT = Path(__file__).resolve().parents[3]
SHOW_THIS = "اعرض هذا:"
"""The first words of the "show this" summary that opens every Arabic destination article."""


def run_chat(lines: list[str], store: Path, user: str = "corridor") -> list[str]:
    """The replies to each line, in order, from one ``python -m bot chat`` on its own store."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", user],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=chat_env(store),
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = split_replies(done.stdout)[1:]
    assert len(replies) == len(lines), done.stdout
    return replies
