"""Approved template messages: which template serves which purpose, in which language.

Outside the 24-hour customer-service window WhatsApp delivers only templates
the business had approved by Meta. The operator creates them in WhatsApp
Manager (one name, a translation per language) and names them in the settings
(``WHATSAPP_TEMPLATE_CASE_REPLY``, ``WHATSAPP_TEMPLATE_CHECKIN``,
``WHATSAPP_TEMPLATE_REPORT_BACK``, ``WHATSAPP_TEMPLATE_NOTICE``,
``WHATSAPP_TEMPLATE_LANGUAGES``); the channel receives them here, frozen.

Body parameters fill {{1}}, {{2}}... in order. Meta refuses a parameter with a
new line, a tab or more than four spaces in a row, so values are flattened to
one line first. A template's quick-reply buttons carry the payload the bot
gives them (``Template.buttons``, by button index), so a tap comes back as the
choice it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.channels.push import Template, TemplatePurpose

DEFAULT_LANGUAGES: tuple[tuple[str, str], ...] = (("en", "en"),)
PARAM_MAX = 200
"""Longer than any partner name; a template's whole body holds 1,024 characters."""
SETTING_OF: dict[TemplatePurpose, str] = {
    TemplatePurpose.CASE_REPLY: "WHATSAPP_TEMPLATE_CASE_REPLY",
    TemplatePurpose.CHECKIN: "WHATSAPP_TEMPLATE_CHECKIN",
    TemplatePurpose.REPORT_BACK: "WHATSAPP_TEMPLATE_REPORT_BACK",
    TemplatePurpose.NOTICE: "WHATSAPP_TEMPLATE_NOTICE",
}
"""The setting an operator fills for each purpose (named in the "no template" error)."""

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class WhatsAppTemplates:
    """Template names by purpose and the languages they are approved in.

    ``languages`` maps a bot locale to a WhatsApp language code (``sw`` ->
    ``sw``, ``en`` -> ``en_US``); the first entry is used for a locale with no
    approved translation, so the person gets the template in a language the
    operator chose rather than none.
    """

    names: tuple[tuple[TemplatePurpose, str], ...] = ()
    languages: tuple[tuple[str, str], ...] = DEFAULT_LANGUAGES

    def name(self, purpose: TemplatePurpose) -> str | None:
        return dict(self.names).get(purpose)

    def language(self, locale: str) -> str:
        known = dict(self.languages)
        if locale in known:
            return known[locale]
        base = locale.split("-")[0].split("_")[0]
        if base in known:
            return known[base]
        return self.languages[0][1] if self.languages else "en"


def one_line(value: str) -> str:
    """A parameter value as Meta accepts it: one line, single spaces, bounded."""
    flat = _SPACE.sub(" ", value).strip()
    return flat[:PARAM_MAX] or "-"


def template_body(to: str, name: str, language: str, template: Template) -> dict[str, Any]:
    """The ``type: template`` message body of the Cloud API."""
    body: dict[str, Any] = {"name": name, "language": {"code": language}}
    components: list[dict[str, Any]] = []
    if template.params:
        components.append({
            "type": "body",
            "parameters": [{"type": "text", "text": one_line(p)} for p in template.params],
        })
    components.extend(
        {"type": "button", "sub_type": "quick_reply", "index": str(index),
         "parameters": [{"type": "payload", "payload": payload}]}
        for index, payload in enumerate(template.buttons)
    )
    if components:
        body["components"] = components
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": body,
    }
