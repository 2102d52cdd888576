"""WhatsApp Cloud API channel: webhook in, Graph API out, every message within WhatsApp's limits.

``WhatsAppChannel(config, ...)`` is a ``bot.channels.base.Channel`` serving
``GET|POST /webhooks/whatsapp``. The parts are small and separately testable:
``parse`` (webhook body -> ``Inbound``), ``render`` (``Outbound`` -> Graph API
bodies), ``graph`` (the sending client), ``channel`` (claim -> engine -> send)
and ``webhook`` (HTTP).
"""

from bot.channels.whatsapp.channel import WhatsAppChannel, WhatsAppConfig
from bot.channels.whatsapp.graph import GraphClient, SendResult
from bot.channels.whatsapp.parse import CHANNEL, Parsed, PayloadError, Received, parse_notification
from bot.channels.whatsapp.push import WhatsAppPusher
from bot.channels.whatsapp.render import Labels, render, render_page
from bot.channels.whatsapp.signature import sign, valid_signature
from bot.channels.whatsapp.templates import WhatsAppTemplates, template_body
from bot.channels.whatsapp.webhook import PATH, WhatsAppWebhook

__all__ = [
    "CHANNEL",
    "PATH",
    "GraphClient",
    "Labels",
    "Parsed",
    "PayloadError",
    "Received",
    "SendResult",
    "WhatsAppChannel",
    "WhatsAppConfig",
    "WhatsAppPusher",
    "WhatsAppTemplates",
    "WhatsAppWebhook",
    "parse_notification",
    "render",
    "render_page",
    "sign",
    "template_body",
    "valid_signature",
]
