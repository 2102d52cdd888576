"""Hand-over to a person: consented cases that a partner organisation's caseworkers read.

- ``sealing``: AES-GCM with rotating keys from ``CONTACT_KEY``;
- ``models``: cases, messages, notes, reply addresses (sealed values only);
- ``rules``: how a case changes (one place, every adapter applies it);
- ``port``: the ``CaseStore`` protocol and its errors; ``stores``: adapters;
- ``retention``: erasing closed cases after ``CASE_RETENTION_DAYS``.

This package never imports ``bot`` nor the ratings domain.
"""

from casework.models import (
    Case,
    CaseMessage,
    CaseNote,
    CaseState,
    ClosedBy,
    Direction,
    MessageKind,
    ReplyAddress,
    new_case_id,
    new_item_id,
)
from casework.port import CaseClosed, CaseNotFound, CaseStore, CasesUnavailable, InvalidTransition
from casework.sealing import ContactKeyError, Sealer, SealingError, parse_contact_key

__all__ = [
    "Case",
    "CaseClosed",
    "CaseMessage",
    "CaseNotFound",
    "CaseNote",
    "CaseState",
    "CaseStore",
    "CasesUnavailable",
    "ClosedBy",
    "ContactKeyError",
    "Direction",
    "InvalidTransition",
    "MessageKind",
    "ReplyAddress",
    "Sealer",
    "SealingError",
    "new_case_id",
    "new_item_id",
    "parse_contact_key",
]
