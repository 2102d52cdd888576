"""Help after a rating that describes abuse: the right article and the complaint channel.

A worker who answers "passport kept", "a different contract on arrival",
"job or salary not as promised", or a fee the law forbids has just told us
they are being wronged. The thank-you screen then offers, for the destination
they named, the article on each of those problems and the way to complain,
instead of a bare thank-you.

A fee is against the law when the whole band paid lies above the legal limit
(``bot.core.fees``: the one place that compares bands with the law).

``offer`` reads the finished report's fields and the content only, so the
screen that calls it stays free to change how it stores its answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content.models import Country, FeeRuleKind
from bot.core.context import Ctx
from bot.core.fees import fee_against_the_law
from bot.core.messages import Choice
from bot.core.screens.talk import talk_choice

COMPLAINT_NEED = "labour-complaint"
_FALLBACK_TOPIC = "complaints"
"""Read when the problem's own topic has no article in the destination yet."""


@dataclass
class Offer:
    """What the thank-you screen adds: lines of text and buttons."""

    lines: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)


def problems(fields: Mapping[str, Any], origin: Country | None, dest: Country | None) -> list[str]:
    """The topics of the abuses the answers describe, most serious first."""
    found = []
    if fields.get("passport_kept") is True:
        found.append("passport")
    if fields.get("contract_substituted") is True:
        found.append("contract")
    if fields.get("job_as_promised") is False:
        found.append("wages")
    if fee_against_the_law(fields.get("fee_band"), origin, dest):
        found.append("fees")
    return found


def offer(ctx: Ctx, fields: Mapping[str, Any]) -> Offer:
    """The articles and the complaint channel for what the answers describe, if anything."""
    origin = ctx.content.country(str(fields.get("origin") or ""))
    code = fields.get("destination")
    dest = ctx.content.country(code) if isinstance(code, str) else None
    found = problems(fields, origin, dest)
    result = Offer()
    if not found or dest is None:
        return result
    t = ctx.t
    words = {
        "passport": t("your passport was kept"),
        "contract": t("you had to sign a different contract"),
        "wages": t("the job or the salary was not as promised"),
        "fees": t("you paid a fee the law does not allow"),
    }
    result.lines.append(
        t(
            "You told us that {problems}. The law protects you from this in {country}. "
            "Here is what you can do:",
            problems="; ".join(words[topic] for topic in found),
            country=ctx.name(dest.names),
        )
    )
    if "fees" in found:
        for country in (dest, origin):
            if country is not None and country.fee_rule is not None:
                if country.fee_rule.kind != FeeRuleKind.UNKNOWN:
                    result.lines.append(ctx.name(country.fee_rule.text))
    seen: set[str] = set()
    for topic in found:
        articles = ctx.content.articles(dest.code, topic, ctx.locale) or ctx.content.articles(
            dest.code, _FALLBACK_TOPIC, ctx.locale
        )
        for article in articles[:1]:
            if article.meta.id not in seen:
                seen.add(article.meta.id)
                label = "📄 " + article.meta.title
                result.choices.append(Choice(f"article:{article.meta.id}:0", label))
    if ctx.content.resources(dest.code, COMPLAINT_NEED):
        result.choices.append(
            Choice(f"find:{dest.code}:{COMPLAINT_NEED}", "📣 " + t("Make a complaint"))
        )
    if ctx.content.partners_for(dest.code, origin.code if origin else None, ctx.locale):
        result.choices.append(talk_choice(ctx, None, dest.code))
    return result
