"""Proof that a request comes from Meta: the subscription handshake and body signatures.

Both comparisons run in constant time, so response timing reveals nothing
about the secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def handshake_challenge(query: Mapping[str, str], verify_token: str) -> str | None:
    """The ``hub.challenge`` to echo when the subscription request carries our token."""
    mode = query.get("hub.mode", "")
    token = query.get("hub.verify_token", "")
    challenge = query.get("hub.challenge")
    same = hmac.compare_digest(token.encode(), verify_token.encode())
    if mode == "subscribe" and same and challenge:
        return challenge
    return None


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for ``body`` (also used by tests and the fake API)."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return _PREFIX + digest


def valid_signature(body: bytes, header: str | None, app_secret: str) -> bool:
    """True when ``header`` is the HMAC-SHA256 of the raw body with the app secret."""
    if not header or not header.startswith(_PREFIX):
        return False
    return hmac.compare_digest(sign(body, app_secret).encode(), header.strip().lower().encode())
