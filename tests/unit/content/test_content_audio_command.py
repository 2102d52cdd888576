"""``python -m bot content audio`` on a small tree: espeak-ng and opusenc draft every
recording, with a progress bar and the voice named, and never touch a recorded one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.content import load_content
from tests.audio_files import narrate_article

ROOT = Path(__file__).resolve().parents[3]


def _audio(content: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "content", "audio", "--content", str(content), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )


def test_drafts_sos_prompts_and_an_article_then_skips_what_is_current(content_copy: Path) -> None:
    done = _audio(content_copy, "--locale", "sw")
    assert done.returncode == 0, done.stderr
    assert "Voice: espeak-ng" in done.stdout and "sw: sw" in done.stdout
    assert "Drafting audio: 100%" in done.stderr  # the progress bar
    assert "4 drafted" in done.stdout  # 2 prompts, Qatar's card, the one Swahili article
    assert (content_copy / "countries/qa/sw/sos.ogg").read_bytes().startswith(b"OggS")
    article = content_copy / "countries/qa/sw/wages/minimum-wage.md"
    assert "\naudio: draft\n" in article.read_text(encoding="utf-8")
    side = (content_copy / "countries/qa/sw/sos.audio.yaml").read_text(encoding="utf-8")
    assert "voice: espeak-ng" in side and "audio: draft" in side

    tree = load_content(content_copy)  # the check accepts what it made, and all is current
    found = tree.article("qa-minimum-wage", "sw")
    assert found is not None and tree.article_audio(found) is not None
    assert tree.sos_audio("QA", "sw") is not None
    assert tree.prompt_audio("ask-audio", "sw") is not None

    again = _audio(content_copy, "--locale", "sw", "--missing")
    assert again.returncode == 0 and "0 drafted, 4 already up to date" in again.stdout


def test_a_recorded_file_is_kept_and_stamped(content_copy: Path) -> None:
    recording = narrate_article(content_copy / "countries/qa/en/wages/minimum-wage.md",
                                kind="recorded")
    before = recording.read_bytes()
    recording.with_name("minimum-wage.audio.yaml").unlink()
    done = _audio(content_copy, "--locale", "en", "--only", "article", "--country", "QA")
    assert done.returncode == 0, done.stderr
    assert "1 recording(s) stamped" in done.stdout
    assert recording.read_bytes() == before
    side = recording.with_name("minimum-wage.audio.yaml").read_text(encoding="utf-8")
    assert "voice: a person" in side
    again = _audio(content_copy, "--locale", "en", "--only", "article", "--country", "QA")
    assert "1 recorded by a person (kept)" in again.stdout


def test_an_unknown_locale_is_refused(content_copy: Path) -> None:
    done = _audio(content_copy, "--locale", "xx")
    assert done.returncode == 2 and "Unknown locale(s): xx" in done.stderr
