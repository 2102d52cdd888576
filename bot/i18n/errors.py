"""The one error the languages package raises for a catalog an editor must fix."""

from __future__ import annotations

from pathlib import Path

__all__ = ["CatalogError"]


class CatalogError(Exception):
    """A PO catalog that cannot be used as it stands.

    ``str()`` is ``path:line: message`` (``path: message`` when the problem is
    not on one line) so editors and ``content check`` can point at the spot.
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"
