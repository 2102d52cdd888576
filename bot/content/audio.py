"""Narrations in the content tree: small OGG/Opus files beside the text they read.

Many workers read little, so an article, a destination's SOS card and the few
things the bot says aloud can each have a recording:

```
countries/<cc>/<locale>/<topic>/<slug>.ogg   an article (front matter ``audio: recorded|draft``)
countries/<cc>/<locale>/sos.ogg              the SOS card of a destination, in one language
prompts/<locale>/<id>.ogg                    a spoken prompt of the bot (``PROMPTS``)
```

Each file has ``<name>.audio.yaml`` beside it, saying what it reads:

```yaml
narrates: 5d41402abc4b2a76     # hash of the text it reads (``text_hash``)
voice: espeak-ng 1.51 sw       # who speaks: a speech engine's voice, or "a person"
audio: draft                   # SOS cards and prompts; an article says it in its front matter
```

Why a hash of the text and not the files' dates: git does not keep modification
times, so on a fresh clone every file is as new as every other. A recording
whose ``narrates`` differs from the hash of today's text is *stale*: the text
changed after it was made (a new phone number, say). A stale recording is never
offered to a person, and ``content check`` lists it as a warning rather than
failing, so that fixing a number in the text is never blocked by its recording.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from mutagen import MutagenError
from mutagen.oggopus import OggOpus
from pydantic import Field, StringConstraints

from bot.content.errors import ContentError
from bot.content.models import AudioKind, Country, _Strict

__all__ = [
    "AUDIO_SUFFIX",
    "PROMPTS",
    "SIDECAR_SUFFIX",
    "AudioFile",
    "AudioPlace",
    "Narration",
    "Sidecar",
    "article_hash",
    "probe",
    "sos_hash",
    "text_hash",
]

AUDIO_SUFFIX = ".ogg"
SIDECAR_SUFFIX = ".audio.yaml"
SOS_NAME = "sos"
PROMPTS_DIR = "prompts"
PROMPTS = ("ask-audio", "cannot-listen")
"""The bot's spoken prompts: the question "answer me with audio too?" and the answer to a
voice note ("I cannot listen myself..."). Their text is a UI string of the catalogs."""

MIN_SECONDS = 0.5
MAX_SECONDS = {"article": 900.0, "sos": 240.0, "prompt": 60.0}
"""Longest recording per kind: an article read slowly, a card a person in danger can
bear to hear to the end, a prompt."""
MAX_BYTES = 1_500_000
"""Largest file: 12 minutes at 16 kbit/s; a phone on a prepaid plan downloads it."""
HASH_DIGITS = 16
"""Hex digits of SHA-256 kept in ``narrates``: 64 bits, plenty to tell two texts apart."""


class AudioPlace(StrEnum):
    ARTICLE = "article"
    SOS = "sos"
    PROMPT = "prompt"


class Sidecar(_Strict):
    """``<name>.audio.yaml``: what a recording reads and who reads it."""

    narrates: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16,64}$")]
    voice: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    audio: AudioKind | None = None
    seconds: Annotated[float, Field(ge=0)] | None = None
    """Informational: the duration when it was made (the file's own header is what counts)."""


@dataclass(frozen=True, slots=True)
class AudioFile:
    """One checked recording, as the tree offers it."""

    place: AudioPlace
    key: tuple[str, str]
    """(article id | country code | prompt id, locale)."""
    path: Path
    """The file on disk, for a channel to upload."""
    display: str
    kind: AudioKind
    seconds: float
    size: int
    digest: str
    """Hash of the file's bytes: a platform's cached file id is valid for these bytes only."""
    narrates: str
    voice: str
    expected: str | None
    """Hash of the text it should read today; None for a prompt (its text is a UI string,
    compared by the engine, which has the catalogs)."""

    @property
    def stale(self) -> bool:
        """The text changed after this was recorded (see the module docstring)."""
        return not self.narrates or (self.expected is not None and self.expected != self.narrates)

    def narrates_text(self, text: str) -> bool:
        """True when this recording reads ``text`` as it is now."""
        return self.narrates == text_hash(text)


@dataclass(frozen=True, slots=True)
class Narration:
    """One recording to make: where it goes, what it reads, and the hash of that text."""

    place: AudioPlace
    name: str
    """Article id, country code or prompt id."""
    locale: str
    target: Path
    """The ``.ogg`` to write."""
    script: str
    narrates: str
    article: Path | None = None
    """The article's ``.md`` (its front matter says ``audio: draft``)."""


def text_hash(text: str) -> str:
    """The ``narrates`` value of a text: whitespace at the ends and line endings ignored."""
    normal = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normal.encode()).hexdigest()[:HASH_DIGITS]


def article_hash(title: str, body: str) -> str:
    """What an article's recording reads: its title and its body (not the front matter,
    whose sources and dates a listener does not hear)."""
    return text_hash(f"{title}\n\n{body}")


def sos_hash(country: Country, locale: str, default_locale: str) -> str:
    """What an SOS card's recording reads: the country's name and its emergency numbers,
    in the locale (the card's fixed sentences are UI strings and do not make it stale)."""

    def name(localized: Mapping[str, str]) -> str:
        return localized.get(locale) or localized.get(default_locale) or ""

    lines = [name(country.names)]
    lines += [f"{name(number.service)}: {number.number}" for number in country.emergency]
    return text_hash("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Probe:
    """What the file's own headers say."""

    seconds: float
    channels: int
    size: int
    digest: str


def probe(path: Path, display: str, errors: list[ContentError], place: AudioPlace) -> Probe | None:
    """Read an Ogg Opus file's headers with mutagen and check it is one we can send:
    decodable, mono, not empty, not too long, not too large."""
    try:
        data = path.read_bytes()
        opus: Any = OggOpus(path)  # type: ignore[no-untyped-call]  # mutagen has no type hints
    except (MutagenError, OSError) as error:
        errors.append(ContentError(display, 1, f"not an Ogg Opus file ({type(error).__name__}): "
                                   "encode it with opusenc (opus-tools)"))
        return None
    seconds = float(opus.info.length)
    channels = int(opus.info.channels)
    problems = []
    if channels != 1:
        problems.append(f"{channels} channels: record or encode in mono (opusenc --downmix-mono)")
    if seconds < MIN_SECONDS:
        problems.append(f"{seconds:.1f} s long: a recording needs at least {MIN_SECONDS} s")
    if seconds > MAX_SECONDS[place]:
        problems.append(f"{seconds:.0f} s long: at most {MAX_SECONDS[place]:.0f} s for a {place}")
    if len(data) > MAX_BYTES:
        problems.append(f"{len(data)} bytes: at most {MAX_BYTES} (encode at 12-16 kbit/s)")
    errors.extend(ContentError(display, 1, problem) for problem in problems)
    if problems:
        return None
    digest = hashlib.sha256(data).hexdigest()[:HASH_DIGITS]
    return Probe(seconds, channels, len(data), digest)
