"""Server-rendered SVG bar charts: no script, no external file, readable when printed.

Each chart has a ``<title>`` and ``<desc>`` (its text alternative) and the
page shows the same figures in a table next to it. Withheld bars are drawn as
an empty outline labelled with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "bar_chart"]

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
