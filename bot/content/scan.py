"""Walk the content tree and parse every file on its own.

The result holds whatever parsed, plus the errors of the files that did not;
checks that need several files at once live in ``crosscheck``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from bot.content.audio import (
    AUDIO_SUFFIX,
    PROMPTS_DIR,
    SIDECAR_SUFFIX,
    SOS_NAME,
    AudioFile,
    AudioPlace,
)
from bot.content.errors import ContentError
from bot.content.models import Article, ArticleMeta, Country, Emergency, Resources, Site
from bot.content.partners import Partners
from bot.content.phrasebook import Phrasebook, read_phrasebooks
from bot.content.plainyaml import read_plain_yaml
from bot.content.reportback import Reportback
from bot.content.sources import YamlDoc, parse_yaml, read_text, split_front_matter, validate

__all__ = ["ArticleLink", "AudioFound", "Scan", "scan"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ID_LINE = re.compile(r"^id:\s*[\"']?([a-z0-9][a-z0-9-]*)", re.MULTILINE)
_LINK = re.compile(r"\]\(\s*article:([^)\s]*)\s*\)")
_IGNORED_SUFFIXES = (".csv",)


@dataclass(frozen=True)
class ArticleLink:
    """A ``[text](article:<id>)`` link and the file line it sits on."""

    target: str
    line: int


@dataclass(frozen=True)
class AudioFound:
    """A recording found in the tree, before it is read: where it is and what it narrates."""

    place: AudioPlace
    name: str
    """The article's file name without ``.md`` (slug), the country code, or the prompt id."""
    locale: str
    path: Path
    display: str
    country: str = ""
    topic: str = ""


@dataclass
class Scan:
    """Everything that parsed, keyed for the cross-file checks and the tree."""

    content_dir: Path
    errors: list[ContentError] = field(default_factory=list)
    site: Site | None = None
    site_doc: YamlDoc | None = None
    emergency: Emergency | None = None
    emergency_doc: YamlDoc | None = None
    partners: Partners | None = None
    """``partners.yaml``, optional: without it nobody takes cases and ``/talk`` says so."""
    partners_doc: YamlDoc | None = None
    reportback: Reportback | None = None
    """``reportback/``, optional: the words of the quarterly report-back."""
    phrasebooks: dict[str, Phrasebook] = field(default_factory=dict)
    """By locale: ``phrases/<locale>.yaml``."""
    phrasebook_docs: dict[str, YamlDoc] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    """By folder name (lowercase code)."""
    country_docs: dict[str, YamlDoc] = field(default_factory=dict)
    resources: dict[str, Resources] = field(default_factory=dict)
    resource_docs: dict[str, YamlDoc] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    id_lines: dict[str, int] = field(default_factory=dict)
    """Article path -> line of its ``id`` key."""
    links: dict[str, list[ArticleLink]] = field(default_factory=dict)
    """Article path -> its links to other articles."""
    unparsed_ids: dict[str, set[str]] = field(default_factory=dict)
    """Locale -> ids guessed from articles that failed to parse, so their own error
    is not repeated as a broken link in every article that points to them."""

    audio_found: list[AudioFound] = field(default_factory=list)
    audio: list[AudioFile] = field(default_factory=list)
    """The recordings that passed ``bot.content.audio_check`` (stale ones included)."""

    root: str = ""
    """The content folder as editors see it: relative to its parent (``content``)."""

    def display(self, path: Path) -> str:
        """Path as editors see it; built by string, as resolving 5,000 paths is slow."""
        relative = path.relative_to(self.content_dir).as_posix()
        return self.root if relative == "." else f"{self.root}/{relative}"


def scan(content_dir: Path) -> Scan:
    """Parse every file of ``content_dir``; never raises for a bad file."""
    result = Scan(content_dir, root=content_dir.resolve().name or content_dir.as_posix())
    if not content_dir.is_dir():
        result.errors.append(ContentError(result.display(content_dir), 1, "no such folder"))
        return result
    site_doc = _load_yaml(result, content_dir / "site.yaml")
    if site_doc is not None:
        result.site_doc = site_doc
        result.site = validate(Site, site_doc, result.errors)
    emergency_doc = _load_yaml(result, content_dir / "emergency.yaml")
    if emergency_doc is not None:
        result.emergency_doc = emergency_doc
        result.emergency = validate(Emergency, emergency_doc, result.errors)
    partners_doc = _load_yaml(result, content_dir / "partners.yaml", required=False)
    if partners_doc is not None:
        result.partners_doc = partners_doc
        result.partners = validate(Partners, partners_doc, result.errors)
    result.phrasebooks, result.phrasebook_docs = read_phrasebooks(
        content_dir, result.root, result.errors
    )
    _scan_prompts(result, content_dir / PROMPTS_DIR)
    countries_dir = content_dir / "countries"
    if not countries_dir.is_dir():
        result.errors.append(ContentError(result.display(countries_dir), 1, "missing folder"))
        return result
    for entry in sorted(countries_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            _scan_country(result, entry)
        else:
            _unexpected(result, entry, "countries/ holds one folder per country")
    return result


def _load_yaml(result: Scan, path: Path, required: bool = True) -> YamlDoc | None:
    display = result.display(path)
    if not path.is_file():
        if required:
            result.errors.append(ContentError(display, 1, "missing file"))
        return None
    text = read_text(path, display, result.errors)
    return None if text is None else parse_yaml(text, display, result.errors)


def _unexpected(result: Scan, path: Path, hint: str) -> None:
    if path.name.startswith(".") or path.suffix in _IGNORED_SUFFIXES:
        return
    if path.is_dir() or path.suffix in (".md", ".yaml", ".yml"):
        result.errors.append(ContentError(result.display(path), 1, f"unexpected here: {hint}"))


def _scan_country(result: Scan, folder: Path) -> None:
    cc = folder.name
    shown = result.display(folder)
    doc = _load_yaml(result, folder / "country.yaml")
    if doc is not None:
        result.country_docs[cc] = doc
        country = validate(Country, doc, result.errors)
        if country is not None:
            result.countries[cc] = country
    doc = _load_yaml(result, folder / "resources.yaml", required=False)
    if doc is not None:
        result.resource_docs[cc] = doc
        resources = validate(Resources, doc, result.errors)
        if resources is not None:
            result.resources[cc] = resources
    for entry in _entries(folder):
        if entry.name in ("country.yaml", "resources.yaml") or entry.name.startswith("."):
            continue
        if not entry.is_dir():
            hint = "a country holds country.yaml, resources.yaml, <locale>/"
            _unexpected(result, Path(entry), hint)
            continue
        for topic in _entries(entry):
            if not topic.is_dir():
                if topic.name == SOS_NAME + AUDIO_SUFFIX:
                    result.audio_found.append(AudioFound(
                        AudioPlace.SOS, cc.upper(), entry.name, Path(topic.path),
                        f"{shown}/{entry.name}/{topic.name}", country=cc.upper(),
                    ))
                elif not _audio_beside(result, topic, f"{shown}/{entry.name}/{topic.name}"):
                    _unexpected(result, Path(topic), "articles go in <locale>/<topic>/<slug>.md")
                continue
            place = (cc.upper(), entry.name, topic.name)
            prefix = f"{shown}/{entry.name}/{topic.name}/"
            for article in _entries(topic):
                if article.name.endswith(".md") and article.is_file():
                    _scan_article(result, article, prefix + article.name, place)
                elif article.name.endswith(AUDIO_SUFFIX) and article.is_file():
                    result.audio_found.append(AudioFound(
                        AudioPlace.ARTICLE, article.name.removesuffix(AUDIO_SUFFIX),
                        entry.name, Path(article.path), prefix + article.name,
                        country=cc.upper(), topic=topic.name,
                    ))
                elif not _audio_beside(result, article, prefix + article.name):
                    _unexpected(result, Path(article), "articles go in <locale>/<topic>/<slug>.md")


def _audio_beside(result: Scan, entry: os.DirEntry[str], display: str) -> bool:
    """A recording's ``.audio.yaml`` (read with its ``.ogg``); one without its recording
    is an error. False for any other file."""
    if not entry.name.endswith(SIDECAR_SUFFIX):
        return False
    recording = entry.name.removesuffix(SIDECAR_SUFFIX) + AUDIO_SUFFIX
    if not (Path(entry.path).parent / recording).is_file():
        result.errors.append(ContentError(display, 1, f"no {recording} beside it: add the "
                                          "recording or delete this file"))
    return True


def _scan_prompts(result: Scan, folder: Path) -> None:
    """``prompts/<locale>/<id>.ogg``: the bot's spoken prompts (optional folder)."""
    if not folder.is_dir():
        return
    for locale in _entries(folder):
        if not locale.is_dir():
            _unexpected(result, Path(locale), "prompts/ holds one folder per locale")
            continue
        for entry in _entries(locale):
            display = result.display(Path(entry.path))
            if entry.name.endswith(AUDIO_SUFFIX) and entry.is_file():
                result.audio_found.append(AudioFound(
                    AudioPlace.PROMPT, entry.name.removesuffix(AUDIO_SUFFIX), locale.name,
                    Path(entry.path), display,
                ))
            elif not _audio_beside(result, entry, display):
                result.errors.append(ContentError(display, 1, "unexpected here: prompts/<locale>/"
                                                  "holds <id>.ogg and <id>.audio.yaml"))


def _entries(folder: os.PathLike[str]) -> list[os.DirEntry[str]]:
    """A folder's entries by name; ``scandir`` spares a ``stat`` per file."""
    with os.scandir(folder) as found:
        return sorted(found, key=lambda entry: entry.name)


def _scan_article(
    result: Scan, entry: os.DirEntry[str], display: str, place: tuple[str, str, str]
) -> None:
    country, locale, topic = place
    errors = result.errors
    slug = entry.name.removesuffix(".md")
    if not _SLUG.match(slug):
        errors.append(
            ContentError(display, 1, "file name must be lowercase letters, digits and dashes")
        )
    text = read_text(entry.path, display, errors)
    if text is None:
        return
    front = split_front_matter(text, display, errors)
    meta, id_line = _fast_meta(front.yaml_text) if front else (None, 0)
    if front is not None and meta is None:
        doc = parse_yaml(front.yaml_text, display, errors, offset=1)
        meta = validate(ArticleMeta, doc, errors) if doc is not None else None
        id_line = doc.line(("id",)) if doc is not None else 0
    if front is None or meta is None:
        guessed = _ID_LINE.search(text)
        if guessed:
            result.unparsed_ids.setdefault(locale, set()).add(guessed.group(1))
        return
    result.articles.append(
        Article(
            meta=meta,
            country=country,
            locale=locale,
            topic=topic,
            slug=slug,
            body=front.body,
            path=display,
        )
    )
    result.id_lines[display] = id_line
    links = [
        ArticleLink(m.group(1), front.body_offset + front.body.count("\n", 0, m.start()) + 1)
        for m in _LINK.finditer(front.body)
    ]
    if links:
        result.links[display] = links


def _fast_meta(yaml_text: str) -> tuple[ArticleMeta | None, int]:
    """Front matter through the plain-YAML fast path; ``None`` sends it to PyYAML,
    which also gives the line numbers of any error."""
    plain = read_plain_yaml(yaml_text)
    if plain is None:
        return None, 0
    data, lines = plain
    try:
        meta = ArticleMeta.model_validate(data)
    except ValidationError:
        return None, 0
    return meta, lines.get("id", 0) + 2
