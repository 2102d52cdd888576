"""What a recording says: the spoken form of an article, an SOS card and the bot's prompts.

One place builds both what the bot shows and what a speech engine reads for the
prompts (``ask_audio_text``, ``cannot_listen_text``), so the engine can tell a
prompt recording that still reads today's translation from a stale one. The
scripts are plain sentences: no icons, no web addresses (a listener cannot
click them), phone numbers digit by digit so a speech engine says "nine nine
nine" and not "nine hundred and ninety-nine".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.content import Article, ContentTree, CountryRole
from bot.content.audio import (
    PROMPTS,
    AudioPlace,
    Narration,
    article_hash,
    sos_hash,
    text_hash,
)
from bot.core.textfmt import to_chat_text
from bot.i18n import Catalogs, Translator

__all__ = [
    "article_script",
    "ask_audio_text",
    "cannot_listen_text",
    "narrations",
    "prompt_text",
    "sos_script",
    "stale_prompts",
]

_URL = re.compile(r"\s*\(?https?://\S+\)?")
_ICONS = re.compile(r"[\u2190-\u2bff\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u2022]")


def ask_audio_text(t: Translator) -> str:
    """The question asked once: should every screen with audio send it beside the text?"""
    return t(
        "Do you want me to send you recordings to listen to, beside the text? "
        "Tap Yes or No. You can change it later: type /audio."
    )


def cannot_listen_text(t: Translator) -> str:
    """The answer to a voice note: the bot is a program; the first button reaches a person."""
    return t(
        "I am a computer program and cannot listen to voice messages myself. "
        "To be heard by a person, tap the first button below."
    )


def prompt_text(t: Translator, prompt: str) -> str:
    """The text a prompt recording reads (``bot.content.audio.PROMPTS``)."""
    return {"ask-audio": ask_audio_text, "cannot-listen": cannot_listen_text}[prompt](t)


def stale_prompts(content: ContentTree, catalogs: Catalogs) -> list[str]:
    """``path:1: warning: ...`` for each prompt recording that no longer reads its UI
    string (the catalogs are not known to ``content check`` itself)."""
    stale = []
    for locale in content.site.locales:
        t = catalogs.translator(locale)
        for prompt in PROMPTS:
            found = content.prompt_audio(prompt, locale)
            if found is not None and found.narrates and not found.narrates_text(
                prompt_text(t, prompt)
            ):
                stale.append(
                    f"{found.display}:1: warning: stale: its text in the catalog changed, so "
                    "the bot does not play it; run 'python -m bot content audio --missing'"
                )
    return stale


def article_script(article: Article) -> str:
    """An article as it is read aloud: its title, then its text."""
    return _spoken(f"{article.meta.title}.\n\n{to_chat_text(article.body)}")


def sos_script(content: ContentTree, t: Translator, code: str) -> str:
    """The SOS card as it is read aloud: the numbers first, as on the card."""
    country = content.country(code)
    if country is None:
        return ""
    name = content.text(country.names, t.locale)
    lines = [t("🆘 In {country}, if you are in danger now, call:", country=name)]
    for number in country.emergency:
        digits = " ".join(number.number.replace(" ", ""))
        lines.append(f"{content.text(number.service, t.locale)}: {digits}.")
    lines.append(
        t("If you cannot speak, ask someone you trust to call, or go to a police station.")
    )
    return _spoken("\n".join(lines))


def _spoken(text: str) -> str:
    text = _URL.sub("", text)
    text = _ICONS.sub("", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def narrations(
    content: ContentTree,
    catalogs: Catalogs,
    content_dir: Path,
    *,
    locales: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    articles: Iterable[str] | None = None,
    kinds: Iterable[AudioPlace] = tuple(AudioPlace),
) -> list[Narration]:
    """Every recording the tree could have, narrowed to some locales, countries, article
    ids and kinds; in a stable order (prompts, SOS cards, articles)."""
    wanted = set(locales or content.site.locales)
    codes = {code.upper() for code in countries} if countries else None
    ids = set(articles) if articles else None
    kinds = set(kinds)
    found: list[Narration] = []
    for locale in (loc for loc in content.site.locales if loc in wanted):
        t = catalogs.translator(locale)
        if AudioPlace.PROMPT in kinds and codes is None and ids is None:
            for prompt in PROMPTS:
                text = prompt_text(t, prompt)
                target = content_dir / "prompts" / locale / f"{prompt}.ogg"
                found.append(Narration(AudioPlace.PROMPT, prompt, locale, target,
                                       _spoken(text), text_hash(text)))
        if AudioPlace.SOS in kinds and ids is None:
            for country in content.destinations():
                if codes is not None and country.code not in codes:
                    continue
                if CountryRole.DESTINATION not in country.roles or not country.emergency:
                    continue
                target = content_dir / "countries" / country.code.lower() / locale / "sos.ogg"
                found.append(Narration(
                    AudioPlace.SOS, country.code, locale, target,
                    sos_script(content, t, country.code),
                    sos_hash(country, locale, content.default_locale),
                ))
    if AudioPlace.ARTICLE in kinds:
        for article in sorted(content.all_articles(), key=lambda a: a.path):
            if article.locale not in wanted or (codes is not None and article.country not in codes):
                continue
            if ids is not None and article.meta.id not in ids:
                continue
            source = content_dir / Path(*Path(article.path).parts[1:])  # path starts "content/"
            found.append(Narration(
                AudioPlace.ARTICLE, article.meta.id, article.locale, source.with_suffix(".ogg"),
                article_script(article), article_hash(article.meta.title, article.body),
                article=source,
            ))
    return found
