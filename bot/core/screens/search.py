"""Search: free text in the person's own words, in their language; English only as a
labelled fallback.

The phrasebooks turn everyday words ("2 lakh", "kafala", "rudi nyumbani") into
topics, whose articles come first (``bot.content.finder``). A topic heard but
not yet written for the person's country is said plainly, with the topics
there are, rather than passing off another page as the answer.
"""

from __future__ import annotations

from bot.content.finder import find
from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.i18n import language_name

_RESULTS = 5


async def prompt(ctx: Ctx, args: list[str]) -> None:
    ctx.say(
        ctx.t("What are you looking for? Type a few words, for example: salary, passport, fees.")
    )


async def run(ctx: Ctx, query: str) -> None:
    """Any text that is not a command or an answer is a search."""
    found = find(
        ctx.content,
        query[:200],
        ctx.locale,
        ctx.session.destination,
        ctx.session.origin,
        limit=_RESULTS,
    )
    lines: list[str] = []
    for topic_id in found.missing[:1]:
        topic = ctx.content.topic(topic_id)
        if topic is not None:
            lines.append(
                ctx.t(
                    "I have no page about “{topic}” yet. The services in “Find help” can "
                    "answer your questions.",
                    topic=ctx.name(topic.title),
                )
            )
    if not found.hits:
        if lines:
            ctx.say("\n".join(lines), [Choice("find", "📞 " + ctx.t("Find help"))])
            return
        ctx.say(
            ctx.t(
                "I found nothing for “{query}”. Try other words, or use the menu.",
                query=query[:60],
            )
        )
        return
    countries = {hit.article.country for hit in found.hits}
    choices = []
    for hit in found.hits:
        label = hit.article.meta.title
        if len(countries) > 1:
            label = f"{label} · {ctx.country_name(hit.article.country)}"
        if hit.fallback:
            label = f"{label} ({language_name(hit.article.locale)})"
        choices.append(Choice(f"article:{hit.article.meta.id}:0", "📄 " + label))
    if found.missing:
        lines.append(ctx.t("These pages may still help:"))
        choices.append(Choice("find", "📞 " + ctx.t("Find help")))
    else:
        lines.insert(0, ctx.t("Here is what I found for “{query}”:", query=query[:60]))
    fallback = [hit for hit in found.hits if hit.fallback]
    if fallback:
        lines.append(
            ctx.t(
                "Nothing matched in your language, so these pages are in {language}.",
                language=language_name(fallback[0].article.locale),
            )
        )
    ctx.say("\n".join(lines), choices)


ROUTES = {"search": prompt}
