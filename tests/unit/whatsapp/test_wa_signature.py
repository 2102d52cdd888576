"""Meta's handshake and body signatures."""

from __future__ import annotations

import hashlib
import hmac

from bot.channels.whatsapp.signature import handshake_challenge, sign, valid_signature

SECRET = "app-secret"


def test_the_signature_is_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"object":"whatsapp_business_account"}'
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert sign(body, SECRET) == expected
    assert valid_signature(body, expected, SECRET)


def test_a_wrong_missing_or_malformed_signature_is_refused() -> None:
    body = b"{}"
    good = sign(body, SECRET)
    assert not valid_signature(body + b" ", good, SECRET)  # the raw body, byte for byte
    assert not valid_signature(body, sign(body, "other"), SECRET)
    assert not valid_signature(body, None, SECRET)
    assert not valid_signature(body, "", SECRET)
    assert not valid_signature(body, good.removeprefix("sha256="), SECRET)
    assert not valid_signature(body, "sha256=ünïcode", SECRET)


def test_the_handshake_echoes_the_challenge_only_for_subscribe_with_our_token() -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "42"}
    assert handshake_challenge(query, "tok") == "42"
    assert handshake_challenge({**query, "hub.verify_token": "tok2"}, "tok") is None
    assert handshake_challenge({**query, "hub.mode": "unsubscribe"}, "tok") is None
    assert handshake_challenge({"hub.mode": "subscribe", "hub.verify_token": "tok"}, "tok") is None
