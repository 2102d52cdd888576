"""What ``python -m bot content check|stats`` print, kept apart from argument parsing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.content.corridors import CorridorLocale, corridor_stats
from bot.content.errors import ContentInvalid
from bot.content.loader import check_content, content_warnings, load_content
from bot.content.models import AudioKind
from bot.content.stats import ContentStats, Coverage
from bot.content.tree import ContentTree
from recruiter_reports import check_registry

__all__ = ["run_check", "run_stats"]


def run_check(content_dir: Path, out: TextIO, today: dt.date | None = None) -> int:
    """Print one ``path:line: message`` per problem; exit code 1 when there is any.

    Warnings (a legal fact whose source is more than two years old) are printed
    too but do not fail the check.

    The recruiter registries (``recruiters/<cc>.csv``) are checked here too: they
    belong to the ratings domain, but editors maintain them beside the content.
    """
    errors = [str(error) for error in check_content(content_dir)]
    errors += _registry_errors(content_dir)
    if errors:
        for error in errors:
            print(error, file=out)
        print(f"{len(errors)} problem(s) found.", file=out)
        return 1
    tree = load_content(content_dir)
    stats = tree.stats()
    print(
        f"OK: {content_dir}: {len(tree.countries)} countries, {stats.total_articles} articles "
        f"in {len(stats.locales)} locales, "
        f"{sum(len(tree.resources(code)) for code in tree.countries)} resources.",
        file=out,
    )
    warnings = content_warnings(content_dir, today)
    for warning in warnings:
        print(warning, file=out)
    if warnings:
        print(f"{len(warnings)} warning(s): the check passes, but look at them.", file=out)
    return 0


def _registry_errors(content_dir: Path) -> list[str]:
    folder = content_dir / "recruiters"
    return [
        f"{content_dir.name}/recruiters/{path.name}:{line}: {message}"
        for path in sorted(folder.glob("*.csv"))
        for line, message in check_registry(path)
    ]


def run_stats(content_dir: Path, out: TextIO) -> int:
    """Print translation coverage per locale and per country, then per corridor."""
    try:
        tree = load_content(content_dir)
    except ContentInvalid as exc:
        print(f"The content tree has {len(exc.errors)} problem(s); run 'content check'.", file=out)
        return 1
    print(_table(tree.stats()), file=out)
    rows = corridor_stats(
        tree.countries.values(), tree.all_articles(), tree.site.locales,
        lambda article: tree.article_audio(article) is not None, _sos_audio(tree),
    )
    if rows:
        print("", file=out)
        print(_corridor_table(rows), file=out)
    print("", file=out)
    print(audio_summary(tree), file=out)
    return 0


def _sos_audio(tree: ContentTree) -> Callable[[str, str], str]:
    def kind(code: str, locale: str) -> str:
        found = tree.sos_audio(code, locale)
        return str(found.kind) if found else "-"

    return kind


def audio_summary(tree: ContentTree) -> str:
    """One line on every recording: how many, of which kind, how many stale, how large."""
    files = tree.audio_files
    drafts = sum(1 for a in files if a.kind is AudioKind.DRAFT)
    stale = sum(1 for a in files if a.stale)
    size = sum(a.size for a in files)
    minutes = sum(a.seconds for a in files) / 60
    return (
        f"Audio: {len(files)} recording(s), {len(files) - drafts} recorded by a person, "
        f"{drafts} drafted by a speech engine, {stale} stale (not offered); "
        f"{size / 1024:.0f} KiB, {minutes:.1f} minutes."
    )


def _corridor_table(rows: list[CorridorLocale]) -> str:
    header = (
        "corridor", "locale", "articles", "words", "audio", "sos audio", "review", "oldest source",
    )
    cells = [header] + [
        (row.corridor, row.locale, str(row.articles), str(row.words),
         f"{row.audio}/{row.articles}", row.sos_audio, str(row.review_needed),
         row.oldest_source or "-")
        for row in rows
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i in (0, 1, 5, 7) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _table(stats: ContentStats) -> str:
    header = ("country", "locale", "articles", f"of {stats.default_locale}", "coverage", "review")
    rows: list[tuple[str, ...]] = [header]
    for locale in stats.locales:
        rows.append(_row("all", locale, stats.by_locale[locale]))
    for code, by_locale in stats.by_country.items():
        for locale in stats.locales:
            rows.append(_row(code, locale, by_locale[locale]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        f"{stats.total_articles} articles, {stats.review_needed} need review "
        f"by a native speaker or a fact check (review_needed: true)."
    )
    return "\n".join(lines)


def _row(country: str, locale: str, coverage: Coverage) -> tuple[str, ...]:
    return (
        country,
        locale,
        str(coverage.articles),
        f"{coverage.translated}/{coverage.reference}",
        f"{coverage.percent:.0f}%" if coverage.reference else "-",
        str(coverage.review_needed),
    )
