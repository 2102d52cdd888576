"""Check the recordings a scan found against the texts they narrate.

Errors (the tree is refused, as for any broken file): a file that is not mono
Ogg Opus or is too long or too large, a broken ``.audio.yaml``, a recording of
no article, card or prompt, an article that says ``audio:`` with no recording
or has one without saying so. A recording whose text changed, or one without
its ``.audio.yaml`` yet (an editor just added it), is only *stale*
(``AudioFile.stale``): a warning, never offered to a person, and
``content audio`` stamps the second kind.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.audio import (
    PROMPTS,
    SIDECAR_SUFFIX,
    AudioFile,
    AudioPlace,
    Sidecar,
    article_hash,
    probe,
    sos_hash,
)
from bot.content.errors import ContentError
from bot.content.models import Article, AudioKind, CountryRole
from bot.content.scan import AudioFound, Scan
from bot.content.sources import parse_yaml, read_text, validate

__all__ = ["check_audio", "sidecar_path", "stale_audio"]


def sidecar_path(recording: Path) -> Path:
    """``passport.ogg`` -> ``passport.audio.yaml``."""
    return recording.with_name(recording.stem + SIDECAR_SUFFIX)


def check_audio(result: Scan) -> None:
    """Fill ``result.audio`` with the recordings that pass; record errors for the rest."""
    articles = {(a.country, a.locale, a.topic, a.slug): a for a in result.articles}
    locales = set(result.site.locales) if result.site else set()
    default = result.site.default_locale if result.site else "en"
    heard: set[tuple[str, str, str, str]] = set()
    for found in result.audio_found:
        if found.locale not in locales:
            result.errors.append(ContentError(found.display, 1,
                                 f"{found.locale!r} is not a locale of site.yaml"))
            continue
        kind, expected, key = _what_it_narrates(result, found, articles, default)
        if key is None:
            continue
        if found.place is AudioPlace.ARTICLE:
            heard.add((found.country, found.locale, found.topic, found.name))
        audio = _read(result, found, kind, expected, key)
        if audio is not None:
            result.audio.append(audio)
    for place, article in articles.items():
        if article.meta.audio is not None and place not in heard:
            result.errors.append(ContentError(article.path, result.id_lines.get(article.path, 1),
                                 f"audio: {article.meta.audio} but there is no "
                                 f"{article.slug}.ogg beside it"))


def _what_it_narrates(
    result: Scan,
    found: AudioFound,
    articles: dict[tuple[str, str, str, str], Article],
    default: str,
) -> tuple[AudioKind | None, str | None, tuple[str, str] | None]:
    """(the kind the text declares, the hash of the text today, the tree's key) or no key."""
    errors = result.errors
    if found.place is AudioPlace.ARTICLE:
        article = articles.get((found.country, found.locale, found.topic, found.name))
        if article is None:
            errors.append(ContentError(found.display, 1,
                          f"no {found.name}.md beside it: a recording narrates an article"))
            return None, None, None
        if article.meta.audio is None:
            errors.append(ContentError(article.path, 1,
                          f"{found.name}.ogg narrates this article: add 'audio: draft' "
                          "(generated) or 'audio: recorded' (a person) to the front matter"))
            return None, None, None
        expected = article_hash(article.meta.title, article.body)
        return article.meta.audio, expected, (article.meta.id, found.locale)
    if found.place is AudioPlace.SOS:
        country = result.countries.get(found.country.lower())
        if country is None or CountryRole.DESTINATION not in country.roles:
            errors.append(ContentError(found.display, 1,
                          "an SOS recording belongs to a destination country"))
            return None, None, None
        return None, sos_hash(country, found.locale, default), (country.code, found.locale)
    if found.name not in PROMPTS:
        errors.append(ContentError(found.display, 1,
                      f"no prompt {found.name!r}: the prompts are {', '.join(PROMPTS)}"))
        return None, None, None
    return None, None, (found.name, found.locale)


def _read(
    result: Scan,
    found: AudioFound,
    kind: AudioKind | None,
    expected: str | None,
    key: tuple[str, str],
) -> AudioFile | None:
    errors = result.errors
    side = sidecar_path(found.path)
    side_display = found.display.removesuffix(found.path.name) + side.name
    heard = probe(found.path, found.display, errors, found.place)
    if not side.is_file():
        # Just dropped in by an editor: kept, not offered (stale) until stamped.
        if heard is None:
            return None
        return AudioFile(found.place, key, found.path.resolve(), found.display,
                         kind or AudioKind.RECORDED, heard.seconds, heard.size, heard.digest,
                         narrates="", voice="", expected=expected)
    text = read_text(side, side_display, errors)
    doc = parse_yaml(text, side_display, errors) if text is not None else None
    sidecar = validate(Sidecar, doc, errors) if doc is not None else None
    if sidecar is None or heard is None:
        return None
    if found.place is AudioPlace.ARTICLE:
        if sidecar.audio is not None and sidecar.audio != kind:
            errors.append(ContentError(side_display, doc.line(("audio",)) if doc else 1,
                          "an article says audio: in its front matter; remove it here"))
            return None
    elif sidecar.audio is None:
        errors.append(ContentError(side_display, 1,
                      "say who made it: 'audio: recorded' (a person) or 'audio: draft'"))
        return None
    return AudioFile(
        place=found.place,
        key=key,
        path=found.path.resolve(),
        display=found.display,
        kind=kind or sidecar.audio or AudioKind.DRAFT,
        seconds=heard.seconds,
        size=heard.size,
        digest=heard.digest,
        narrates=sidecar.narrates,
        voice=sidecar.voice,
        expected=expected,
    )


def stale_audio(result: Scan) -> list[ContentError]:
    """A warning per recording whose text changed after it was made."""
    warnings = []
    for audio in result.audio:
        if not audio.narrates:
            side = sidecar_path(audio.path).name
            warnings.append(ContentError(audio.display, 1,
                            f"warning: no {side} beside it saying what it reads, so the bot "
                            "does not offer it; run 'python -m bot content audio' to stamp it"))
        elif audio.stale:
            warnings.append(ContentError(audio.display, 1,
                            f"warning: stale: the text changed after this {audio.kind} "
                            "recording was made, so the bot does not offer it; "
                            + ("re-record it" if audio.kind is AudioKind.RECORDED
                               else "run 'python -m bot content audio --missing'")))
    return warnings
