"""Fake channel servers on 127.0.0.1 and builders of real channel payloads, for tests."""

from tests.fakes.telegram_api import TOKEN, ApiCall, FakeTelegramAPI
from tests.fakes.telegram_updates import TelegramPerson

__all__ = ["TOKEN", "ApiCall", "FakeTelegramAPI", "TelegramPerson"]
