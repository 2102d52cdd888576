"""The channels ``serve`` can run, and how each is built from the settings.

This is the composition root's list: the only place that reads a channel's
settings and turns them into its frozen config. Adding a channel (SMS,
Viber...) adds one ``ChannelEntry`` here; ``bot.web.app`` mounts whatever is
enabled the same way (routes, start/stop, counters).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.channels import telegram, whatsapp
from bot.channels.base import Channel, PersonWrote, Pusher, Pushers
from bot.channels.push import TemplatePurpose
from bot.channels.telegram.commands import command_menus
from bot.services import Services
from bot.settings import Settings


class ConfigurationError(Exception):
    """The settings enable a channel but leave it unsafe or unusable."""


@dataclass(frozen=True, slots=True)
class Options:
    """How ``serve`` was started: Telegram by long polling or webhook; this worker's name."""

    telegram_polling: bool = False
    worker: str = ""
    on_write: PersonWrote | None = None
    """Told when a person writes, so what waits for them goes out: case replies and
    check-ins announced by a WhatsApp template or by a neutral notice."""


@dataclass(frozen=True, slots=True)
class ChannelEntry:
    name: str
    enabled: Callable[[Settings], bool]
    build: Callable[[Services, Options], Channel]
    describe: Callable[[Options], str]


def telegram_config(
    settings: Settings, polling: bool, *, worker: str = "",
    commands: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (),
) -> telegram.TelegramConfig:
    """The Telegram channel's plain settings; a webhook without a secret is refused."""
    assert settings.TELEGRAM_BOT_TOKEN is not None
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    if not polling and secret is None:
        raise ConfigurationError(
            "TELEGRAM_WEBHOOK_SECRET must be set to receive Telegram updates by webhook "
            "(or run `serve --polling`)."
        )
    return telegram.TelegramConfig(
        token=settings.TELEGRAM_BOT_TOKEN.get_secret_value(),
        webhook_url=settings.TELEGRAM_WEBHOOK_URL,
        webhook_secret=secret.get_secret_value() if secret is not None else None,
        api_base_url=settings.TELEGRAM_API_BASE_URL,
        polling=polling,
        worker=worker,
        commands=commands,
    )


def whatsapp_config(settings: Settings, *, worker: str = "") -> whatsapp.WhatsAppConfig:
    """The WhatsApp channel's plain settings; every WHATSAPP_* one is needed."""
    token, number = settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID
    secret, verify = settings.WHATSAPP_APP_SECRET, settings.WHATSAPP_VERIFY_TOKEN
    if token is None or number is None or secret is None or verify is None:
        raise ConfigurationError(
            "WhatsApp needs WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, "
            "WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN"
        )
    return whatsapp.WhatsAppConfig(
        access_token=token.get_secret_value(),
        phone_number_id=number,
        app_secret=secret.get_secret_value(),
        verify_token=verify.get_secret_value(),
        api_base_url=settings.WHATSAPP_API_BASE_URL,
        worker=worker,
        templates=whatsapp_templates(settings),
    )


def whatsapp_templates(settings: Settings) -> whatsapp.WhatsAppTemplates:
    """The approved templates by purpose, in the languages they were approved in."""
    names = (
        (TemplatePurpose.CASE_REPLY, settings.WHATSAPP_TEMPLATE_CASE_REPLY),
        (TemplatePurpose.CHECKIN, settings.WHATSAPP_TEMPLATE_CHECKIN),
        (TemplatePurpose.REPORT_BACK, settings.WHATSAPP_TEMPLATE_REPORT_BACK),
        (TemplatePurpose.NOTICE, settings.WHATSAPP_TEMPLATE_NOTICE),
    )
    return whatsapp.WhatsAppTemplates(
        names=tuple((purpose, name) for purpose, name in names if name),
        languages=settings.whatsapp_template_languages,
    )


def pushers_of(channels: Iterable[Channel]) -> Pushers:
    """The push senders among the mounted channels, by channel name.

    The terminal's sender is not among them: ``serve`` writes its standard output
    to logs, which must never hold a message (``chat`` adds its own).
    """
    found = Pushers()
    for channel in channels:
        if isinstance(channel, Pusher):
            found.add(channel)
    return found


def _telegram(services: Services, options: Options) -> Channel:
    menus = command_menus(services.catalogs, services.content.site.locales)
    config = telegram_config(
        services.settings, options.telegram_polling, worker=options.worker, commands=menus
    )
    return telegram.TelegramChannel(config, services.runner, services.store,
                                    on_write=options.on_write)


def _whatsapp(services: Services, options: Options) -> Channel:
    config = whatsapp_config(services.settings, worker=options.worker)
    return whatsapp.WhatsAppChannel(config, services.runner, services.store, services.catalogs,
                                    on_write=options.on_write)


REGISTRY: tuple[ChannelEntry, ...] = (
    ChannelEntry(
        telegram.CHANNEL,
        lambda settings: settings.telegram_enabled,
        _telegram,
        lambda options: "telegram (polling)" if options.telegram_polling else "telegram (webhook)",
    ),
    ChannelEntry(
        whatsapp.CHANNEL,
        lambda settings: settings.whatsapp_enabled,
        _whatsapp,
        lambda options: "whatsapp (webhook)",
    ),
)
"""Every channel, in the order they start."""
