"""Running ``python -m bot chat`` as a subprocess and reading its transcript."""

from __future__ import annotations

import os
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
