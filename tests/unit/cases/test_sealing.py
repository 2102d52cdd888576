"""Sealing: AES-GCM with key ids, so keys rotate and nothing opens where it does not belong."""

from __future__ import annotations

import base64

import pytest
from pydantic import ValidationError

from bot.settings import load_settings
from casework.sealing import (
    ContactKeyError,
    Sealer,
    SealingError,
    generate_entry,
    parse_contact_key,
)

OLD = "2026a:" + base64.urlsafe_b64encode(bytes(range(32))).decode()
NEW = "2026b:" + base64.urlsafe_b64encode(bytes(range(32, 64))).decode().rstrip("=")


def test_a_sealed_value_opens_again_and_does_not_show_its_plaintext() -> None:
    sealer = Sealer.from_setting(OLD)
    sealed = sealer.seal(b"+254 712 345678")
    assert b"712" not in sealed and b"+254" not in sealed
    assert sealer.open(sealed) == b"+254 712 345678"
    assert sealer.seal(b"same") != sealer.seal(b"same")  # a fresh nonce every time


def test_the_newest_key_seals_and_every_key_opens() -> None:
    before = Sealer.from_setting(OLD)
    sealed_before = before.seal(b"written last year")
    rotated = Sealer.from_setting(f"{NEW},{OLD}")
    assert rotated.key_id == "2026b"
    assert rotated.open(sealed_before) == b"written last year"
    sealed_now = rotated.seal(b"written today")
    assert rotated.key_id_of(sealed_now) == "2026b"
    assert rotated.key_id_of(sealed_before) == "2026a"
    with pytest.raises(SealingError, match="2026b"):
        before.open(sealed_now)  # a worker without the new key says which key it lacks


def test_a_value_opens_only_in_its_own_context() -> None:
    sealer = Sealer.from_setting(OLD)
    sealed = sealer.seal(b"message", context=b"case:C-1:message:m1")
    assert sealer.open(sealed, context=b"case:C-1:message:m1") == b"message"
    with pytest.raises(SealingError):
        sealer.open(sealed, context=b"case:C-2:message:m1")
    with pytest.raises(SealingError):
        sealer.open(sealed)


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s[:-1] + bytes([s[-1] ^ 1]),  # ciphertext or tag changed
        lambda s: s[:20],  # cut short
        lambda s: b"\x02" + s[1:],  # unknown format
        lambda s: b"",
        lambda s: s[:2] + b"2026X" + s[7:],  # relabelled to an unknown key
    ],
)
def test_a_damaged_value_is_refused(damage) -> None:  # type: ignore[no-untyped-def]
    sealer = Sealer.from_setting(OLD)
    with pytest.raises(SealingError):
        sealer.open(damage(sealer.seal(b"hello world")))


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "empty"),
        ("nokeyid", "entry 1 must look like id:key"),
        ("bad id!:AAAA", "entry 1 must look like id:key"),
        (OLD + ",short:" + base64.urlsafe_b64encode(b"x" * 16).decode(), "entry 2 (short)"),
        ("k:not base64 at all", "entry 1 (k)"),
        (f"{OLD},{OLD}", "twice"),
    ],
)
def test_a_malformed_contact_key_names_the_entry_not_the_key(value: str, says: str) -> None:
    with pytest.raises(ContactKeyError, match=says.replace("(", r"\(").replace(")", r"\)")) as err:
        parse_contact_key(value)
    assert OLD.split(":")[1] not in str(err.value)


def test_generated_entries_parse_and_differ() -> None:
    first, second = generate_entry("k1"), generate_entry("k2")
    assert first != second
    assert [key_id for key_id, _ in parse_contact_key(f"{second}, {first}")] == ["k2", "k1"]


def test_the_sealer_never_shows_its_keys() -> None:
    sealer = Sealer.from_setting(f"{NEW},{OLD}")
    assert repr(sealer) == "Sealer(key_ids=['2026b', '2026a'])"


def test_settings_refuse_a_malformed_contact_key_and_a_zero_retention() -> None:
    with pytest.raises(ValidationError, match="CONTACT_KEY entry 1"):
        load_settings(CONTACT_KEY="oops")
    with pytest.raises(ValidationError, match="CASE_RETENTION_DAYS"):
        load_settings(CASE_RETENTION_DAYS=0)
    settings = load_settings(CONTACT_KEY=f"{NEW},{OLD}")
    assert settings.cases_enabled and settings.CASE_RETENTION_DAYS == 90
    assert not load_settings(CONTACT_KEY=None).cases_enabled
