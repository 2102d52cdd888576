"""``python -m bot content stats`` on the shipped tree shows audio coverage per corridor
and locale, as an editor runs it: the Kiswahili Saudi passport article and every SOS card."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_content_stats_shows_audio_per_corridor_and_locale() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "content", "stats"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    rows = {tuple(line.split()[:2]): line.split() for line in done.stdout.splitlines()
            if line[:2] in ("KE", "NP") and "-" in line.split()[0]}
    header = next(line.split() for line in done.stdout.splitlines()
                  if line.startswith("corridor"))
    audio, sos = header.index("audio"), header.index("sos")
    assert rows[("KE-SA", "sw")][audio] == "1/15"  # the Saudi passport article in Kiswahili
    for corridor, locale in (("KE-QA", "en"), ("KE-QA", "sw"), ("NP-QA", "ne"), ("NP-QA", "ar")):
        assert rows[(corridor, locale)][sos] == "draft", (corridor, locale)  # Qatar's SOS card
    assert "Audio: " in done.stdout and "drafted by a speech engine, 0 stale" in done.stdout
