"""What the engine may read about cases: a narrow port (the case store fulfils it).

The engine never writes a case; it emits ``OpenCase`` and friends, which the
runner applies. It reads a case to know whether it is still open and whose it
is (a button's case id is never trusted on its own: callback data can be forged).
"""

from __future__ import annotations

from typing import Protocol

from casework.models import Case

__all__ = ["CASE_CONSENT_VERSION", "MAX_CASE_MESSAGE", "CaseReads"]

CASE_CONSENT_VERSION = "case-1"
"""The version of the consent text shown before a case; change it with the text."""

MAX_CASE_MESSAGE = 2000
"""Characters in one message to a caseworker; a longer one is refused with this number."""

MAX_CONTACT = 120
"""Characters of a contact handle (a phone number, an account name)."""


class CaseReads(Protocol):
    async def get(self, case_id: str) -> Case | None: ...

    async def cases_of(self, pseudonym: str, *, open_only: bool = True) -> list[Case]: ...
