"""An agency's published cells (``Published``), the one shape every figure is summed from.

Its own module so that ``origin_cells`` can keep them between reads without importing
``publication``, which uses it (``publication`` says which cells are published and why).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from recruiter_reports.summaries import Summary, sum_of

__all__ = ["Published"]


@dataclass(frozen=True, slots=True)
class Published:
    """An agency's published cells: every figure about it is a sum of these."""

    recruiter_id: str
    cells: Mapping[str, Summary] = field(default_factory=dict)
    """``"QA|2026Q3"`` -> the cell as last published."""
    brokers: Mapping[str, int] = field(default_factory=dict)
    """Broker key -> workers who named that broker, as last published (each >= k)."""

    def total(self) -> Summary:
        """The agency's total: the sum of its published cells."""
        return sum_of(self.cells.values(), self.recruiter_id)

    def by_destination(self) -> dict[str, Summary]:
        """The sums of its published cells by destination (``""``: not said)."""
        parts: dict[str, list[Summary]] = {}
        for key, cell in self.cells.items():
            parts.setdefault(key.partition("|")[0], []).append(cell)
        return {code: sum_of(cells, self.recruiter_id) for code, cells in sorted(parts.items())}
