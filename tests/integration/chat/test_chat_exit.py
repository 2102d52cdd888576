"""``/exit`` in the terminal is the quick exit (screen and scrollback cleared, the neutral
screen shown); ``/quit`` leaves. Run on a pseudo-terminal, as a person types it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.channels.console.chat import CLEAR
from tests.integration.chat.console import ROOT, chat_env, run_chat


def test_exit_clears_the_terminal_and_quit_leaves(tmp_path: Path) -> None:
    main, typed = os.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--user", "tty", "--locale", "en"],
            stdin=typed, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=chat_env(tmp_path / "chat.sqlite3"), cwd=ROOT,
        )
        os.write(main, b"/sos\n/exit\n/quit\n")
        out, err = process.communicate(timeout=60)
    finally:
        os.close(main)
        os.close(typed)
    assert process.returncode == 0, err
    shown = out.decode("utf-8")
    assert "(Type /quit to leave. Ctrl-D also works.)" in shown
    before, cleared = shown.split(CLEAR, 1)
    assert "Qatar: 999" in before and "Quick exit" in before
    assert "Notes" in cleared and "No notes yet." in cleared
    assert "Help now" not in cleared.split("No notes yet.")[1].split(">")[0]


def test_exit_in_a_script_says_the_screen_was_cleared(tmp_path: Path) -> None:
    replies = run_chat(["/start", "1", "/exit", "menu"], tmp_path / "chat.sqlite3")
    assert "(screen cleared)" in replies[2]
    assert "No notes yet." in replies[2]
    assert "What do you need?" in replies[3] and "Help now" in replies[3]
