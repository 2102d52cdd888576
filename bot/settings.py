"""Every setting of the bot, in one frozen object built once at start-up.

Only the composition root (``bot.cli`` and ``bot.web.app``) reads it; everything
else receives plain values, so tests never have to patch the environment.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from casework.sealing import parse_contact_key

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` -> networks; a wrong entry raises ValueError naming it."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else value
    networks = []
    for item in (entry.strip() for entry in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {item!r}") from None
    return tuple(networks)


def parse_languages(value: str) -> tuple[tuple[str, str], ...]:
    """``"en=en_US, sw=sw"`` -> (locale, WhatsApp language) pairs; a bare ``"ar"`` means ``ar=ar``.

    Raises ValueError naming a malformed entry: a typo here would send every
    template in a language that was never approved, and Meta would refuse all.
    """
    pairs: list[tuple[str, str]] = []
    for item in (entry.strip() for entry in value.split(",")):
        if not item:
            continue
        locale, _, code = item.partition("=")
        locale, code = locale.strip(), (code.strip() or locale.strip())
        if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?", locale) or not re.fullmatch(
            r"[A-Za-z]{2,3}(_[A-Za-z0-9]{2,8})?", code
        ):
            raise ValueError(f"not a locale=language pair: {item!r}")
        pairs.append((locale, code))
    if not pairs:
        raise ValueError("at least one template language is needed, e.g. 'en=en_US'")
    return tuple(pairs)



PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


class Settings(BaseSettings):
    """Settings from the environment or a ``.env`` file (names as in DESIGN.md)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    STORE_URL: str = f"sqlite:///{VAR_DIR / 'bot.sqlite3'}"
    PSEUDONYM_KEY: SecretStr | None = None

    TELEGRAM_BOT_TOKEN: SecretStr | None = None
    TELEGRAM_WEBHOOK_URL: str | None = None
    TELEGRAM_WEBHOOK_SECRET: SecretStr | None = None
    TELEGRAM_API_BASE_URL: str | None = None

    WHATSAPP_ACCESS_TOKEN: SecretStr | None = None
    WHATSAPP_PHONE_NUMBER_ID: str | None = None
    WHATSAPP_APP_SECRET: SecretStr | None = None
    WHATSAPP_VERIFY_TOKEN: SecretStr | None = None
    WHATSAPP_API_BASE_URL: str = "https://graph.facebook.com/v21.0"
    WHATSAPP_TEMPLATE_CASE_REPLY: str | None = None
    """Approved template sent outside the 24-hour window when a caseworker replied:
    "You have a reply from {{1}}, write anything to read it" ({{1}}: the partner)."""
    WHATSAPP_TEMPLATE_CHECKIN: str | None = None
    """Approved template sent outside the window when a check-in is due."""
    WHATSAPP_TEMPLATE_REPORT_BACK: str | None = None
    """Approved template sent outside the window when a quarter's report-back is ready:
    "Workers from your country shared what happened this quarter; write anything to read
    it" (no placeholder)."""
    WHATSAPP_TEMPLATE_NOTICE: str | None = None
    """Approved template sent outside the window, instead of the two above, to a person who
    chose discreet notifications: "You have a new message" and one quick-reply button
    "Open"; no placeholder, nothing that names the bot's subject."""
    WHATSAPP_TEMPLATE_LANGUAGES: str = "en=en"
    """Bot locale = WhatsApp language code of the approved translations, comma-separated
    (``en=en_US, sw=sw, ar=ar``); the first is used for any other locale."""

    MIN_REPORTERS: int = Field(default=5)

    CONTACT_KEY: SecretStr | None = None
    """Seals case messages, contact handles and reply addresses (AES-GCM); unset: cases are off.

    ``id:key`` entries, comma-separated, newest first: the first seals, all open, so a key
    rotates by putting a new one in front. A key is 32 random bytes in url-safe base64;
    ``python -m casework.sealing`` prints a new entry. See ``casework.sealing``.
    """
    CASE_RETENTION_DAYS: int = Field(default=90)
    """Days a closed case is kept, then erased by the sweep inside ``serve``."""

    CONTENT_DIR: Path = PROJECT_ROOT / "content"
    LOCALES_DIR: Path = PROJECT_ROOT / "locales"
    DEFAULT_LOCALE: str = "en"
    HOST: str = "127.0.0.1"
    PORT: int = 8080

    TRUSTED_PROXIES: str = ""
    """Comma-separated addresses or networks whose X-Forwarded-For/-Proto are believed."""
    METRICS_TOKEN: SecretStr | None = None
    """Set: /metrics needs ``Authorization: Bearer <token>``. Unset: it answers loopback only."""

    @field_validator("TRUSTED_PROXIES")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        parse_networks(value)  # a typo here would silently trust no one, or the wrong one
        return value

    @field_validator("WHATSAPP_TEMPLATE_LANGUAGES")
    @classmethod
    def _template_languages_are_pairs(cls, value: str) -> str:
        parse_languages(value)  # a typo would send every template in an unapproved language
        return value

    @field_validator("WHATSAPP_TEMPLATE_CASE_REPLY", "WHATSAPP_TEMPLATE_CHECKIN",
                     "WHATSAPP_TEMPLATE_REPORT_BACK", "WHATSAPP_TEMPLATE_NOTICE")
    @classmethod
    def _template_names_are_names(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.fullmatch(r"[a-z0-9_]{1,512}", value.strip()):
            # Meta's template names are lower case letters, digits and underscores.
            raise ValueError(f"not a WhatsApp template name: {value!r}")
        return value.strip()

    @property
    def trusted_proxies(self) -> tuple[Network, ...]:
        return parse_networks(self.TRUSTED_PROXIES)

    @field_validator("MIN_REPORTERS")
    @classmethod
    def _threshold_protects_reporters(cls, value: int) -> int:
        # Below 3, a reporter's own answer could be read back from a published share.
        if value < 3:
            raise ValueError("MIN_REPORTERS must be at least 3 to keep reporters anonymous")
        return value

    @field_validator("CONTACT_KEY", mode="before")
    @classmethod
    def _blank_contact_key_is_unset(cls, value: object) -> object:
        # "CONTACT_KEY=" in a .env file means "no key", as if the line were not there.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("CONTACT_KEY")
    @classmethod
    def _contact_key_is_well_formed(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_contact_key(value.get_secret_value())  # the error names the entry, not the key
        return value

    @field_validator("CASE_RETENTION_DAYS")
    @classmethod
    def _retention_is_positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("CASE_RETENTION_DAYS must be at least 1")
        return value

    @property
    def cases_enabled(self) -> bool:
        """Cases need a key: nothing a person tells a caseworker is ever stored unsealed."""
        return self.CONTACT_KEY is not None

    @property
    def whatsapp_template_languages(self) -> tuple[tuple[str, str], ...]:
        return parse_languages(self.WHATSAPP_TEMPLATE_LANGUAGES)

    @property
    def store_is_mongodb(self) -> bool:
        return self.STORE_URL.startswith(("mongodb://", "mongodb+srv://"))

    @property
    def telegram_enabled(self) -> bool:
        return self.TELEGRAM_BOT_TOKEN is not None

    @property
    def whatsapp_enabled(self) -> bool:
        return all(
            value is not None
            for value in (
                self.WHATSAPP_ACCESS_TOKEN,
                self.WHATSAPP_PHONE_NUMBER_ID,
                self.WHATSAPP_APP_SECRET,
                self.WHATSAPP_VERIFY_TOKEN,
            )
        )


def load_settings(**overrides: object) -> Settings:
    """Build the settings once; keyword overrides win over the environment (for tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
