"""Recordings for tests: a real two-second mono Ogg Opus file, placed where the tree wants it.

``tests/fixtures/audio/speech.ogg`` was made with espeak-ng and opusenc (12 kbit/s, mono);
``stereo.ogg`` is a stereo file the check must refuse.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.content.audio import article_hash
from bot.content.audio_check import sidecar_path

FIXTURES = Path(__file__).parent / "fixtures" / "audio"
SPEECH = FIXTURES / "speech.ogg"
STEREO = FIXTURES / "stereo.ogg"


def place(target: Path, narrates: str, *, audio: str | None = None, source: Path = SPEECH,
          voice: str = "a person") -> Path:
    """Copy a recording to ``target`` with its ``.audio.yaml`` saying it reads ``narrates``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    lines = [f"narrates: {narrates}", f"voice: {voice}"]
    if audio is not None:
        lines.append(f"audio: {audio}")
    sidecar_path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def narrate_article(article: Path, kind: str = "draft", *, source: Path = SPEECH) -> Path:
    """Give the article at ``article`` (a ``.md``) a current recording and say so in it."""
    text = article.read_text(encoding="utf-8")
    end = text.index("\n---", 3)
    head, rest = text[:end], text[end:]
    article.write_text(f"{head}\naudio: {kind}{rest}", encoding="utf-8")
    title, body = _title_and_body(article.read_text(encoding="utf-8"))
    return place(article.with_suffix(".ogg"), article_hash(title, body), source=source)


def _title_and_body(text: str) -> tuple[str, str]:
    """The title and the body the loader reads (front matter parsed as the loader does)."""
    import yaml

    end = text.index("\n---", 3)
    meta = yaml.safe_load(text[4:end])
    body_start = text.index("\n", end + 1) + 1
    return str(meta["title"]), text[body_start:]
