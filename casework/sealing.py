"""Sealing what must be kept to reach a person again: AES-256-GCM with rotating keys.

A case's messages, its contact handle and its reply address (the channel and
the raw chat id or phone number) are only ever stored sealed. ``CONTACT_KEY``
holds one or more keys, each with a short id, newest first::

    CONTACT_KEY="2026b:<44 characters of url-safe base64>,2026a:<...>"

The first key seals; every key opens, so an operator rotates by putting a new
key in front and drops an old one only once nothing sealed with it is kept
(closed cases are erased after ``CASE_RETENTION_DAYS``). A key is 32 random
bytes in url-safe base64 (padding optional)::

    python -m casework.sealing   # prints a new entry "k<date>:<key>"

A sealed value is ``b"\\x01" + len(key id) + key id + 12-byte nonce +
ciphertext-and-tag``: it names the key that sealed it, so opening never has to
guess. ``context`` (authenticated, not stored) binds a value to where it is
kept (the case and field), so a sealed body copied into another case or field
no longer opens. Without ``CONTACT_KEY`` there is no sealer and cases are off.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import sys
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["ContactKeyError", "Sealer", "SealingError", "generate_entry", "parse_contact_key"]

_FORMAT = 1
_NONCE_BYTES = 12
_KEY_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")


class ContactKeyError(ValueError):
    """``CONTACT_KEY`` is malformed; the message says which entry and why, never the key."""


class SealingError(Exception):
    """A sealed value cannot be opened: unknown key id, tampered, wrong context or not sealed."""


def parse_contact_key(value: str) -> tuple[tuple[str, bytes], ...]:
    """``"id:key,id:key"`` -> ((id, key bytes), ...), newest first; refuses anything doubtful.

    Entries are separated by commas (or whitespace); each is ``id:base64key``.
    A duplicate id, a key that is not 32 bytes or an empty value is refused.
    """
    entries = [item for item in re.split(r"[,\s]+", value.strip()) if item]
    if not entries:
        raise ContactKeyError("CONTACT_KEY is empty; give at least one entry id:key")
    keys: list[tuple[str, bytes]] = []
    for position, entry in enumerate(entries, start=1):
        key_id, separator, encoded = entry.partition(":")
        if not separator or not _KEY_ID.fullmatch(key_id):
            raise ContactKeyError(
                f"CONTACT_KEY entry {position} must look like id:key "
                "(id of letters, digits, '.', '_' or '-', at most 32)"
            )
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError):
            raise ContactKeyError(
                f"CONTACT_KEY entry {position} ({key_id}): the key is not base64"
            ) from None
        if len(key) != _KEY_BYTES:
            raise ContactKeyError(
                f"CONTACT_KEY entry {position} ({key_id}): the key must be {_KEY_BYTES} bytes, "
                f"not {len(key)}"
            )
        if any(known == key_id for known, _ in keys):
            raise ContactKeyError(f"CONTACT_KEY names key id {key_id!r} twice")
        keys.append((key_id, key))
    return tuple(keys)


@dataclass(frozen=True, slots=True)
class _Key:
    key_id: bytes
    aead: AESGCM


class Sealer:
    """Seals with the newest key, opens with any configured one (see the module docstring).

    It fits ``followups``' own ``Sealer`` protocol (``seal(bytes) -> bytes``,
    ``open(bytes) -> bytes``): ``context`` is optional and empty by default.
    """

    def __init__(self, keys: tuple[tuple[str, bytes], ...]) -> None:
        if not keys:
            raise ContactKeyError("a sealer needs at least one key")
        self._keys = tuple(_Key(kid.encode("ascii"), AESGCM(key)) for kid, key in keys)
        self._by_id = {key.key_id: key for key in self._keys}

    @classmethod
    def from_setting(cls, value: str) -> Sealer:
        """The sealer ``CONTACT_KEY`` describes."""
        return cls(parse_contact_key(value))

    @property
    def key_id(self) -> str:
        """The id of the key new values are sealed with."""
        return self._keys[0].key_id.decode("ascii")

    def seal(self, plaintext: bytes, *, context: bytes = b"") -> bytes:
        """Encrypt and authenticate ``plaintext`` (bound to ``context``) with the newest key."""
        key = self._keys[0]
        nonce = os.urandom(_NONCE_BYTES)
        sealed = key.aead.encrypt(nonce, plaintext, _aad(key.key_id, context))
        return bytes((_FORMAT, len(key.key_id))) + key.key_id + nonce + sealed

    def open(self, sealed: bytes, *, context: bytes = b"") -> bytes:
        """The plaintext; ``SealingError`` when the value was not sealed by a known key here."""
        if len(sealed) < 2 or sealed[0] != _FORMAT:
            raise SealingError("not a sealed value of a known format")
        id_end = 2 + sealed[1]
        key_id = bytes(sealed[2:id_end])
        key = self._by_id.get(key_id)
        if key is None:
            raise SealingError(f"sealed with key {key_id.decode('ascii', 'replace')!r}, not here")
        nonce, body = sealed[id_end : id_end + _NONCE_BYTES], sealed[id_end + _NONCE_BYTES :]
        if len(nonce) != _NONCE_BYTES or not body:
            raise SealingError("the sealed value is cut short")
        try:
            return key.aead.decrypt(nonce, body, _aad(key_id, context))
        except InvalidTag:
            raise SealingError("the sealed value was changed, or belongs elsewhere") from None

    def key_id_of(self, sealed: bytes) -> str | None:
        """The key id a value records (to find what still needs an old key), or None."""
        if len(sealed) < 2 or sealed[0] != _FORMAT:
            return None
        return bytes(sealed[2 : 2 + sealed[1]]).decode("ascii", "replace")

    def __repr__(self) -> str:  # never the keys
        return f"Sealer(key_ids={[key.key_id.decode('ascii') for key in self._keys]})"


def _aad(key_id: bytes, context: bytes) -> bytes:
    # The key id is authenticated too, so a value cannot be relabelled to another key.
    return bytes((_FORMAT, len(key_id))) + key_id + context


def generate_entry(key_id: str) -> str:
    """A new ``CONTACT_KEY`` entry ``key_id:key`` from the operating system's randomness."""
    if not _KEY_ID.fullmatch(key_id):
        raise ContactKeyError("a key id is 1-32 letters, digits, '.', '_' or '-'")
    return key_id + ":" + base64.urlsafe_b64encode(os.urandom(_KEY_BYTES)).decode("ascii")


if __name__ == "__main__":  # pragma: no cover - an operator's one-liner
    import datetime as _dt

    label = sys.argv[1] if len(sys.argv) > 1 else "k" + _dt.date.today().strftime("%Y%m%d")
    print(generate_entry(label))
