"""Keyed pseudonyms: the only key under which anything about a person is kept.

``HMAC-SHA256(PSEUDONYM_KEY, channel + ":" + user_id)``. Without the key, a
pseudonym cannot be linked back to a Telegram id or a phone number, and the same
person gets the same pseudonym on every worker that shares the key.
"""

from __future__ import annotations

import hmac


class Pseudonymizer:
    """Turns a raw channel user reference into a stable, unlinkable pseudonym."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("PSEUDONYM_KEY must be at least 32 bytes")
        self._key = key

    def __call__(self, channel: str, user_ref: str) -> str:
        message = f"{channel}:{user_ref}".encode()
        return hmac.digest(self._key, message, "sha256").hex()  # HMAC-SHA256 in one C call
