"""Pseudonyms and the key behind them: the only link between a person and their data."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import pytest

from recruiter_reports.keyfile import KEY_FILE_NAME, load_or_create_key
from recruiter_reports.pseudonyms import Pseudonymizer

KEY = b"unit-test-pseudonym-key-0123456789abcdef"


def test_the_same_person_always_gets_the_same_pseudonym() -> None:
    assert Pseudonymizer(KEY)("telegram", "123456789") == Pseudonymizer(KEY)(
        "telegram", "123456789"
    )


def test_the_pseudonym_depends_on_the_channel() -> None:
    pseudonymize = Pseudonymizer(KEY)
    assert pseudonymize("telegram", "254700000001") != pseudonymize("whatsapp", "254700000001")


def test_the_pseudonym_depends_on_the_key() -> None:
    other_key = b"another-deployment-key-0123456789abcdef"
    assert Pseudonymizer(KEY)("telegram", "42") != Pseudonymizer(other_key)("telegram", "42")


def test_the_pseudonym_is_64_hex_characters_without_the_raw_id() -> None:
    pseudonym = Pseudonymizer(KEY)("whatsapp", "9779800000000")
    assert len(pseudonym) == 64
    assert set(pseudonym) <= set("0123456789abcdef")
    assert "9779800000000" not in pseudonym


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="PSEUDONYM_KEY"):
        Pseudonymizer(b"too-short-key")


def test_the_pseudonym_is_the_hmac_of_channel_colon_user_id() -> None:
    # DESIGN.md: HMAC-SHA256(PSEUDONYM_KEY, channel + ":" + user_id), written out by hand.
    block = 64
    padded = KEY.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded) + b"telegram:123456789").digest()
    expected = hashlib.sha256(bytes(b ^ 0x5C for b in padded) + inner).hexdigest()
    assert Pseudonymizer(KEY)("telegram", "123456789") == expected
    assert expected == hmac.new(KEY, b"telegram:123456789", "sha256").hexdigest()


def test_a_configured_key_is_used_as_given(tmp_path: Path) -> None:
    configured = "k" * 40
    assert load_or_create_key(configured, tmp_path, required=True) == (configured.encode(), False)
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_a_stray_newline_around_the_configured_key_changes_nothing(tmp_path: Path) -> None:
    key, _ = load_or_create_key("k" * 40 + "\n", tmp_path, required=False)
    assert key == b"k" * 40


def test_a_short_configured_key_is_refused_with_the_minimum(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 32"):
        load_or_create_key("short-secret", tmp_path, required=False)


def test_mongodb_without_a_key_explains_why_it_is_needed(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PSEUDONYM_KEY must be set") as caught:
        load_or_create_key(None, tmp_path, required=True)
    assert "every worker" in str(caught.value)
    assert "unlinks everyone" in str(caught.value)
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_a_key_is_generated_once_privately_and_reused(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    first, generated = load_or_create_key(None, var_dir, required=False)
    assert generated is True
    assert len(first) >= 64
    path = var_dir / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(var_dir.iterdir()) == [path]

    again, generated_again = load_or_create_key(None, var_dir, required=False)
    assert (again, generated_again) == (first, False)
    assert Pseudonymizer(again)("telegram", "1") == Pseudonymizer(first)("telegram", "1")


def test_a_truncated_key_file_is_refused_rather_than_silently_used(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE_NAME).write_text("abc\n")
    with pytest.raises(ValueError, match="too short"):
        load_or_create_key(None, tmp_path, required=False)
