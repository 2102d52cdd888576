"""Server-rendered SVG charts (bars; lines for trends): no script, no external file.

Each chart has a ``<title>`` and ``<desc>`` (its text alternative) and the
page shows the same figures in a table next to it. Withheld bars are drawn as
an empty outline labelled with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "Series", "bar_chart", "line_chart"]

_WIDTH = 800
_LABEL = 260
_ROW = 28
_BAR = 18


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: a share from 0 to 1, or None with ``note`` saying why it is withheld."""

    label: str
    share: float | None
    text: str
    """What is written after the bar: "42% of 17", or the withheld reason."""


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> Markup:
    """An accessible horizontal bar chart of shares."""
    height = _ROW * len(bars) + 10
    span = _WIDTH - _LABEL - 290
    desc = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" aria-labelledby="{escape(chart_id)}-t '
        f'{escape(chart_id)}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = 5 + row * _ROW
        parts.append(
            f'<text class="label" x="{_LABEL - 8}" y="{y + _BAR - 4}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="track" x="{_LABEL}" y="{y}" width="{span}" height="{_BAR}"/>'
        )
        if bar.share is not None:
            width = max(0.0, min(1.0, bar.share)) * span
            parts.append(
                f'<rect class="bar" x="{_LABEL}" y="{y}" width="{width:.1f}" height="{_BAR}"/>'
            )
        parts.append(
            f'<text class="value{"" if bar.share is not None else " withheld"}" '
            f'x="{_LABEL + span + 8}" y="{y + _BAR - 4}">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a trend chart: a share (0-1) per point, None where it is withheld."""

    label: str
    css: str
    values: list[float | None]


def line_chart(
    chart_id: str, title: str, points: list[str], series: list[Series], desc: str
) -> Markup:
    """An accessible trend chart: one line per series over ``points`` (e.g. quarters).

    A withheld value breaks its line and is marked with a hollow ring on the
    axis, so a gap is never read as zero. ``desc`` is the text alternative.
    """
    width, height, left, top, bottom = _WIDTH, 260, 60, 20, 40
    span_x = width - left - 180
    span_y = height - top - bottom
    step = span_x / max(1, len(points) - 1)
    cid = escape(chart_id)
    parts = [
        f'<svg class="chart trend" id="{cid}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{cid}-t {cid}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(desc)}</desc>',
    ]
    for tick in (0, 50, 100):
        y = top + span_y * (1 - tick / 100)
        parts.append(f'<line class="grid" x1="{left}" x2="{left + span_x}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/><text class="label" x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick}%</text>')  # fmt: skip
    for i, point in enumerate(points):
        x = left + i * step
        parts.append(f'<text class="label" x="{x:.1f}" y="{height - 12}" '
                     f'text-anchor="middle">{escape(point)}</text>')  # fmt: skip
    for row, line in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, value in enumerate(line.values):
            x = left + i * step
            if value is None:
                runs.append([])
                parts.append(f'<circle class="withheld {escape(line.css)}" cx="{x:.1f}" '
                             f'cy="{top + span_y}" r="4"/>')  # fmt: skip
                continue
            y = top + span_y * (1 - max(0.0, min(1.0, value)))
            runs[-1].append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle class="{escape(line.css)}" cx="{x:.1f}" cy="{y:.1f}" r="4"/>')
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline class="{escape(line.css)}" fill="none" '
                             f'points="{" ".join(run)}"/>')  # fmt: skip
        legend_y = top + 16 * row + 4
        parts.append(f'<text class="legend {escape(line.css)}" x="{left + span_x + 16}" '
                     f'y="{legend_y}">{escape(line.label)}</text>')  # fmt: skip
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
