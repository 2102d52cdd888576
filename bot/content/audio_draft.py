"""``python -m bot content audio``: draft narrations with a local speech engine.

A drafted recording lets a person who reads little hear an article or the SOS
card today; it is marked ``draft`` so that a person re-records it (a speech
engine mispronounces names and sounds foreign to most listeners). Nothing leaves
the machine: Debian's ``espeak-ng`` speaks (it has Swahili, Nepali, Arabic and
English voices) and ``opusenc`` (``opus-tools``) encodes mono Opus at a low
bitrate, which keeps speech clear and the repository small.

A recording a person made (``audio: recorded``) is never overwritten; one that
lacks its ``.audio.yaml`` gets it, saying it reads today's text (the person
recorded it from that text).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml
from tqdm import tqdm

from bot.content.audio import AudioKind, AudioPlace, Narration
from bot.content.audio_check import sidecar_path

__all__ = ["BITRATE_KBPS", "VOICES", "DraftReport", "SpeechEngine", "draft_all"]

VOICES = {"en": "en", "sw": "sw", "ne": "ne", "ar": "ar"}
"""espeak-ng voice per locale of the site."""
BITRATE_KBPS = 12
"""Opus at 12 kbit/s mono: clear speech, about 90 KiB a minute."""
WORDS_PER_MINUTE = 150
"""espeak-ng's default is 175; a little slower is easier to follow in a second language."""
PERSON = "a person"
_FRONT_AUDIO = re.compile(r"^audio:.*$", re.MULTILINE)


class EngineMissing(RuntimeError):
    """espeak-ng or opusenc is not installed."""


@dataclass(frozen=True)
class SpeechEngine:
    """The two programs, found on the PATH, and what they call themselves."""

    espeak: str
    opusenc: str
    version: str

    @classmethod
    def find(cls) -> SpeechEngine:
        espeak, opusenc = shutil.which("espeak-ng"), shutil.which("opusenc")
        if espeak is None or opusenc is None:
            missing = [n for n, p in (("espeak-ng", espeak), ("opus-tools", opusenc)) if not p]
            raise EngineMissing(
                f"{' and '.join(missing)} not installed: apt-get install espeak-ng opus-tools"
            )
        shown = subprocess.run(  # noqa: S603 - a program found on the PATH, fixed arguments
            [espeak, "--version"], capture_output=True, text=True, check=True
        ).stdout
        match = re.search(r"eSpeak NG text-to-speech: ([0-9.]+)", shown)
        return cls(espeak, opusenc, f"espeak-ng {match.group(1) if match else '?'}")

    def voice(self, locale: str) -> str:
        return VOICES.get(locale, locale)

    def speak(self, script: str, locale: str, target: Path, bitrate: int = BITRATE_KBPS) -> None:
        """Text -> WAV on a pipe -> mono Opus in ``target`` (written whole, then moved)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".ogg.part")
        speech = subprocess.run(  # noqa: S603
            [self.espeak, "-v", self.voice(locale), "-s", str(WORDS_PER_MINUTE), "--stdout"],
            input=script.encode(), capture_output=True, check=True,
        )
        subprocess.run(  # noqa: S603
            [self.opusenc, "--quiet", "--downmix-mono", "--bitrate", str(bitrate),
             "--speech", "-", str(partial)],
            input=speech.stdout, capture_output=True, check=True,
        )  # fmt: skip
        partial.replace(target)


@dataclass
class DraftReport:
    """What a run did, by outcome (drafted, up to date, recorded, stamped)."""

    counts: Counter[str]
    size: int
    voices: dict[str, str]
    engine: str

    def lines(self) -> list[str]:
        voices = ", ".join(f"{loc}: {voice}" for loc, voice in sorted(self.voices.items()))
        told = [f"Voice: {self.engine} ({voices or 'none used'}), Opus {BITRATE_KBPS} kbit/s mono."]
        told.append(
            f"{self.counts['drafted']} drafted, {self.counts['current']} already up to date, "
            f"{self.counts['recorded']} recorded by a person (kept), "
            f"{self.counts['stamped']} recording(s) stamped; "
            f"drafts written: {self.size / 1024:.0f} KiB."
        )
        return told


def draft_all(
    jobs: Sequence[Narration], engine: SpeechEngine, *, missing_only: bool, out: TextIO
) -> DraftReport:
    """Draft every job (or only those without a current recording), with a progress bar."""
    report = DraftReport(Counter(), 0, {}, engine.version)
    with tqdm(jobs, desc="Drafting audio", unit="file", file=out, disable=not jobs) as bar:
        for job in bar:
            bar.set_postfix_str(f"{job.locale} {job.name}"[:30])
            outcome = _one(job, engine, missing_only)
            report.counts[outcome] += 1
            if outcome == "drafted":
                report.voices[job.locale] = engine.voice(job.locale)
                report.size += job.target.stat().st_size
    return report


def _one(job: Narration, engine: SpeechEngine, missing_only: bool) -> str:
    side = sidecar_path(job.target)
    current = _read_sidecar(side)
    kind = _declared_kind(job, current)
    if kind is AudioKind.RECORDED and job.target.is_file():
        if current is None:
            _write_sidecar(side, job, PERSON, AudioKind.RECORDED)
            return "stamped"
        return "recorded"
    fresh = current is not None and current.get("narrates") == job.narrates
    if missing_only and job.target.is_file() and fresh:
        return "current"
    engine.speak(job.script, job.locale, job.target)
    _write_sidecar(side, job, f"{engine.version} {engine.voice(job.locale)}", AudioKind.DRAFT)
    if job.article is not None:
        _mark_article(job.article, AudioKind.DRAFT)
    return "drafted"


def _declared_kind(job: Narration, sidecar: dict[str, object] | None) -> AudioKind | None:
    if job.place is AudioPlace.ARTICLE and job.article is not None:
        found = _FRONT_AUDIO.search(_front_matter(job.article.read_text(encoding="utf-8")))
        value = found.group(0).split(":", 1)[1].strip() if found else ""
        return AudioKind(value) if value in set(AudioKind) else None
    value = (sidecar or {}).get("audio")
    return AudioKind(value) if isinstance(value, str) and value in set(AudioKind) else None


def _front_matter(text: str) -> str:
    parts = text.split("\n---", 1)
    return parts[0] if text.startswith("---") else ""


def _read_sidecar(path: Path) -> dict[str, object] | None:
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _write_sidecar(path: Path, job: Narration, voice: str, kind: AudioKind) -> None:
    lines = [f"narrates: {job.narrates}", f"voice: {voice}"]
    if job.place is not AudioPlace.ARTICLE:
        lines.append(f"audio: {kind}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _mark_article(path: Path, kind: AudioKind) -> None:
    """Say ``audio: draft`` in the article's front matter (replacing a line already there)."""
    text = path.read_text(encoding="utf-8")
    head_end = text.index("\n---", 3)
    head, rest = text[:head_end], text[head_end:]
    if _FRONT_AUDIO.search(head):
        head = _FRONT_AUDIO.sub(f"audio: {kind}", head, count=1)
    else:
        head = f"{head}\naudio: {kind}"
    path.write_text(head + rest, encoding="utf-8")
