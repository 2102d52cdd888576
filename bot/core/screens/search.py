"""Search: free text, fuzzy, in the person's language; English only as a labelled fallback."""

from __future__ import annotations

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
    hits = ctx.content.search(query[:200], ctx.locale, limit=_RESULTS)
    if not hits:
        ctx.say(
            ctx.t(
                "I found nothing for “{query}”. Try other words, or use the menu.",
                query=query[:60],
            )
        )
        return
    choices = []
    for hit in hits:
        label = hit.article.meta.title
        if hit.fallback:
            label = f"{label} ({language_name(hit.article.locale)})"
        choices.append(Choice(f"a:{hit.article.meta.id}:0", "📄 " + label))
    lines = [ctx.t("Here is what I found for “{query}”:", query=query[:60])]
    if any(hit.fallback for hit in hits):
        lines.append(
            ctx.t(
                "Nothing matched in your language, so these pages are in {language}.",
                language=language_name(hits[0].article.locale),
            )
        )
    ctx.say("\n".join(lines), choices)


ROUTES = {"search": prompt}
