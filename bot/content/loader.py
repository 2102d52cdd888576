"""Entry points: check a content tree, or load it for serving."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.content.audio_check import check_audio, stale_audio
from bot.content.crosscheck import crosscheck
from bot.content.errors import ContentError, ContentInvalid
from bot.content.freshness import old_legal_sources
from bot.content.labels import check_labels
from bot.content.phrasebook import check_phrasebooks
from bot.content.reportback_check import check_reportback, read_reportback
from bot.content.scan import Scan, scan
from bot.content.show_this import missing_show_this
from bot.content.tree import ContentTree
from recruiter_reports.clock import utc_now

__all__ = ["check_content", "content_warnings", "load_content"]


def _scan_and_check(content_dir: Path) -> Scan:
    result = scan(content_dir)
    result.reportback, reportback_docs = read_reportback(result)
    crosscheck(result)
    check_reportback(result, result.reportback, reportback_docs)
    check_audio(result)
    check_labels(result)
    check_phrasebooks(
        result.phrasebooks,
        result.phrasebook_docs,
        result.site,
        result.emergency,
        result.emergency_doc,
        result.errors,
    )
    result.errors.sort(key=lambda error: (error.path, error.line))
    return result


def check_content(content_dir: Path) -> list[ContentError]:
    """Every problem of the tree, sorted by file and line; never raises for bad files."""
    return _scan_and_check(content_dir).errors


def content_warnings(content_dir: Path, today: dt.date | None = None) -> list[ContentError]:
    """What an editor should look at but that does not stop the bot: old legal sources,
    Arabic articles without their "show this" summary."""
    result = _scan_and_check(content_dir)
    warnings = old_legal_sources(result, today or utc_now().date())
    warnings += missing_show_this(result)
    warnings += stale_audio(result)
    return sorted(warnings, key=lambda warning: (warning.path, warning.line))


def load_content(content_dir: Path) -> ContentTree:
    """Load the tree, refusing it whole when anything is wrong: a half-loaded tree
    could silently drop an emergency number."""
    result = _scan_and_check(content_dir)
    if result.errors or result.site is None or result.emergency is None:
        raise ContentInvalid(result.errors)
    return ContentTree(
        site=result.site,
        emergency=result.emergency,
        countries=result.countries.values(),
        resources={cc: found.resources for cc, found in result.resources.items()},
        articles=result.articles,
        phrasebooks=result.phrasebooks,
        audio=result.audio,
        partners=result.partners.partners if result.partners is not None else (),
        reportback=result.reportback,
    )
