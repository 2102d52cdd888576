"""WhatsApp Cloud API error codes -> one clear log line an operator can act on.

Meta's own error text may quote the recipient's number, so it is never logged
as is: known codes get our words, unknown ones Meta's text with digit runs masked.
"""

from __future__ import annotations

import re
from typing import Any

_KNOWN: dict[int, str] = {
    0: "authentication failed: check WHATSAPP_ACCESS_TOKEN",
    3: "the app lacks the capability for this call",
    4: "too many calls for the app (application rate limit)",
    10: "permission denied: the token lacks whatsapp_business_messaging",
    100: "invalid parameter in the message (a bug in rendering)",
    190: "access token expired or revoked: renew WHATSAPP_ACCESS_TOKEN",
    200: "permission denied for this phone number",
    368: "the business account is temporarily blocked for policy violations",
    80007: "rate limit of the business account reached",
    130429: "throughput limit reached (messages per second)",
    130472: "the person's number is part of a Meta experiment; not delivered",
    131000: "WhatsApp failed for an unknown reason",
    131005: "access denied: check the token's permissions",
    131008: "a required parameter is missing (a bug in rendering)",
    131009: "a parameter value is invalid (a bug in rendering or a label too long)",
    131016: "WhatsApp is temporarily unavailable",
    131021: "the recipient is the business number itself",
    131026: "message undeliverable: the person cannot receive it (old app, not on WhatsApp)",
    131030: "the recipient is not in the test number's allowed list",
    131031: "the business account is locked",
    131042: "payment problem on the business account",
    131045: "the phone number's certificate is wrong (re-register the number)",
    131047: "more than 24 hours since the person's last message: only templates may be sent",
    131048: "spam rate limit: too many messages were blocked or reported",
    131049: "Meta chose not to deliver this message (engagement limits)",
    131051: "unsupported message type",
    131056: "too many messages to this person in a short time (pair rate limit)",
    131050: "the person has stopped marketing messages from this business",
    131057: "the business account is in maintenance mode",
    132000: "the template's parameter count differs from the approved template",
    132001: "the template does not exist in that language: check its name and language",
    132005: "the template's text is too long once filled in",
    132007: "the template's content breaks WhatsApp's character policy",
    132012: "a template parameter has the wrong format",
    132015: "the template is paused for low quality",
    132016: "the template is disabled",
    133010: "the business phone number is not registered with the Cloud API",
}

_DIGITS = re.compile(r"\d{5,}")


def error_code(payload: Any) -> int | None:
    """The Graph error code of a response body, when there is one."""
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and isinstance(error.get("code"), int):
            return int(error["code"])
    return None


def describe(status: int, payload: Any) -> str:
    """"HTTP 400, error 131047: <what it means>" without any user data."""
    code = error_code(payload)
    if code is None:
        return f"HTTP {status}, no WhatsApp error code"
    meaning = _KNOWN.get(code)
    if meaning is None:
        error = payload.get("error", {}) if isinstance(payload, dict) else {}
        text = str(error.get("message") or error.get("type") or "unknown error")
        meaning = _DIGITS.sub("…", text)[:160]
    return f"HTTP {status}, error {code}: {meaning}"
