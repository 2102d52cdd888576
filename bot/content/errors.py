"""Problems found in the content tree, shaped for editors: ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ContentError", "ContentInvalid"]


@dataclass(frozen=True)
class ContentError:
    """One problem in one file; ``path`` is relative to the content folder's parent
    so editors can paste it into their editor, ``line`` counts from 1."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentInvalid(Exception):
    """Raised by ``load_content`` so a broken tree never reaches users half-loaded."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} problem(s) in the content tree:\n{shown}{more}")
