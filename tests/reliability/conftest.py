"""The reliability suite drives the real server through the Telegram e2e fixtures."""

from tests.e2e.telegram.conftest import start_server, telegram_api

__all__ = ["start_server", "telegram_api"]
