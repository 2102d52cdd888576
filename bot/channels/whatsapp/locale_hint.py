"""A language hint from the country code of a WhatsApp number, kept nowhere.

WhatsApp tells us no language, but a number's country code says where the SIM
was issued: a Kenyan number suggests Swahili (then English), a Nepali one
Nepali. The hint only picks the language of the first answer (the person can
switch with one tap); it is computed from the number in memory for each
message and never stored or logged. Numbers of the destination countries say
nothing: most people who write to this bot from a Gulf SIM are migrant
workers, for whom an Arabic guess would be wrong.
"""

from __future__ import annotations

import phonenumbers
from babel.languages import get_official_languages

__all__ = ["locale_hint"]

SILENT_REGIONS = frozenset({"QA", "SA", "AE", "KW", "BH", "OM", "MY"})
"""Countries where migrants work: their numbers do not hint at a person's language."""


def locale_hint(wa_id: str) -> str | None:
    """An Accept-Language-like hint ("sw-KE, en-KE") for a WhatsApp id, or None."""
    try:
        number = phonenumbers.parse("+" + wa_id.lstrip("+"))
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    if not region or region in SILENT_REGIONS:
        return None
    languages = get_official_languages(region, de_facto=True)
    if not languages:
        return None
    return ", ".join(f"{language}-{region}" for language in languages)
