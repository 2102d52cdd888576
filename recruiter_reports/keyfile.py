"""Where the pseudonym key comes from: the setting, or a file generated for local use.

The key is what links a person to their saved state and ratings. If it changes,
everyone becomes a stranger to the bot (their data stays, but unreachable), so
a generated key is kept in ``var/`` and reused on every start.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["KEY_FILE_NAME", "MIN_KEY_CHARS", "load_or_create_key"]

KEY_FILE_NAME = "pseudonym.key"
MIN_KEY_CHARS = 32
"""32 characters of a random key leave no room for guessing the key from pseudonyms."""


def load_or_create_key(
    configured: str | None, var_dir: Path, *, required: bool
) -> tuple[bytes, bool]:
    """The key bytes and whether they were generated just now (the caller warns if so).

    ``configured`` is ``PSEUDONYM_KEY``; surrounding whitespace is ignored so a
    stray newline in an environment file cannot silently change every pseudonym.
    ``required`` is true when several workers share one database (MongoDB): each
    would otherwise invent its own key.
    """
    if configured is not None:
        return _checked(configured.strip(), "PSEUDONYM_KEY"), False
    if required:
        raise ValueError(
            "PSEUDONYM_KEY must be set when the store is MongoDB: every worker must "
            "use the same key to recognise the same person, and losing the key "
            "unlinks everyone from their saved data. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'` and keep it safe."
        )
    path = var_dir / KEY_FILE_NAME
    if path.exists():
        return _checked(path.read_text(encoding="utf-8").strip(), str(path)), False
    return _create(path)


def _checked(key: str, source: str) -> bytes:
    if len(key) < MIN_KEY_CHARS:
        raise ValueError(
            f"{source} is too short ({len(key)} characters): use at least "
            f"{MIN_KEY_CHARS} random characters, e.g. from secrets.token_urlsafe(48)"
        )
    return key.encode("utf-8")


def _create(path: Path) -> tuple[bytes, bool]:
    """Write the key to a private temporary file, then link it into place.

    Linking fails if another process created the key first; then its key wins,
    so two workers starting together still agree.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _checked(path.read_text(encoding="utf-8").strip(), str(path)), False
    finally:
        temporary.unlink(missing_ok=True)
    return key.encode("utf-8"), True
