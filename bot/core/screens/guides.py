"""Country guides and "My rights": country -> topic -> article, long articles paged."""

from __future__ import annotations

from bot.content import Article, CountryRole, TopicGroup
from bot.core import navigation
from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.core.screens.sourcing import dated
from bot.core.textfmt import article_links, paginate, to_chat_text
from bot.i18n import language_name

_SEE_ALSO = 3
"""At most this many "see also" buttons, so a page's buttons fit every channel."""


def _countries_with(ctx: Ctx, group: TopicGroup | None) -> list[str]:
    countries = [c.code for c in ctx.content.destinations()]
    if group is None:
        countries += [c.code for c in ctx.content.origins() if c.code not in countries]
    return [code for code in countries if ctx.content.topics(code, ctx.locale, group)]


async def guides(ctx: Ctx, args: list[str]) -> None:
    navigation.visit(ctx, "guides")
    codes = _countries_with(ctx, None)
    ctx.say(ctx.t("Which country do you want to read about?"), ctx.country_choices("guide", codes))


async def rights(ctx: Ctx, args: list[str]) -> None:
    codes = _countries_with(ctx, TopicGroup.RIGHTS)
    if len(codes) == 1:
        await _topics(ctx, codes[0], TopicGroup.RIGHTS)
        return
    navigation.visit(ctx, "rights")
    ctx.say(ctx.t("Your rights in which country?"), ctx.country_choices("rights_in", codes))


async def country(ctx: Ctx, args: list[str]) -> None:
    await _topics(ctx, _code(ctx, args), None)


async def country_rights(ctx: Ctx, args: list[str]) -> None:
    await _topics(ctx, _code(ctx, args), TopicGroup.RIGHTS)


async def _topics(ctx: Ctx, code: str | None, group: TopicGroup | None) -> None:
    if code is None:
        await guides(ctx, [])
        return
    _remember_country(ctx, code)
    navigation.visit(ctx, f"{'rights_in' if group is TopicGroup.RIGHTS else 'guide'}:{code}")
    topics = ctx.content.topics(code, ctx.locale, group)
    choices = [Choice(f"topic:{code}:{topic.id}", ctx.name(topic.title)) for topic in topics]
    question = (
        ctx.t("Your rights in {country}. Choose a topic:", country=ctx.country_name(code))
        if group is TopicGroup.RIGHTS
        else ctx.t("{country}: choose a topic.", country=ctx.country_name(code))
    )
    ctx.say(question, choices)


async def topic(ctx: Ctx, args: list[str]) -> None:
    code = _code(ctx, args)
    topic_id = args[1] if len(args) > 1 else ""
    found = ctx.content.topic(topic_id)
    if code is None or found is None:
        await guides(ctx, [])
        return
    articles = ctx.content.articles(code, topic_id, ctx.locale)
    if len(articles) == 1:
        await _show(ctx, articles[0], 0)
        return
    navigation.visit(ctx, f"topic:{code}:{topic_id}")
    choices = [Choice(f"article:{a.meta.id}:0", a.meta.title) for a in articles]
    choices.append(navigation.back_choice(ctx, f"guide:{code}"))
    ctx.say(ctx.name(found.title), choices)


async def article(ctx: Ctx, args: list[str]) -> None:
    found = ctx.content.article(args[0], ctx.locale) if args else None
    if found is None:
        ctx.say(ctx.t("Sorry, this page is no longer available."))
        return
    page = int(args[1]) if len(args) > 1 and args[1].isdigit() else 0
    await _show(ctx, found, page)


async def _show(ctx: Ctx, found: Article, page: int) -> None:
    pages = paginate(to_chat_text(found.body))
    page = min(max(page, 0), len(pages) - 1)
    lines = [found.meta.title.upper() if found.meta.title.isascii() else found.meta.title]
    if page == 0 and found.locale != ctx.locale:
        lines.append(
            ctx.t(
                "This page is not yet in your language. Here it is in {language}.",
                language=language_name(found.locale),
            )
        )
    if len(pages) > 1:
        lines.append(ctx.t("Page {page} of {pages}", page=page + 1, pages=len(pages)))
    lines.append(pages[page])
    choices: list[Choice] = []
    if page + 1 < len(pages):
        choices.append(Choice(f"article:{found.meta.id}:{page + 1}", "▶️ " + ctx.t("Next page")))
    else:
        lines.append(_footer(ctx, found))
        choices += _see_also(ctx, found)
    navigation.visit(ctx, f"article:{found.meta.id}:{page}")
    choices.append(navigation.back_choice(ctx, _parent(ctx, found)))
    ctx.say("\n\n".join(lines), choices)


def _parent(ctx: Ctx, found: Article) -> str:
    """Where Back leads from an article when the trail is empty: its topic's list of
    articles, or, for a topic with this one article only, the country's topics."""
    siblings = ctx.content.articles(found.country, found.topic, ctx.locale)
    if len(siblings) > 1:
        return f"topic:{found.country}:{found.topic}"
    return f"guide:{found.country}"


def _footer(ctx: Ctx, found: Article) -> str:
    sources = "; ".join(dated(ctx, s.title, s.date) for s in found.meta.sources)
    footer = [
        ctx.t("Sources: {sources}", sources=sources),
        ctx.t("Last updated: {date}", date=found.meta.last_reviewed.isoformat()),
    ]
    if found.meta.review_needed:
        footer.append(ctx.t("⚠️ This text has not been checked by a reviewer yet."))
    return "\n".join(footer)


def _see_also(ctx: Ctx, found: Article) -> list[Choice]:
    choices = []
    for linked_id in article_links(found.body)[:_SEE_ALSO]:
        linked = ctx.content.article(linked_id, ctx.locale)
        if linked is not None:
            choices.append(Choice(f"article:{linked.meta.id}:0", "📄 " + linked.meta.title))
    return choices


def _code(ctx: Ctx, args: list[str]) -> str | None:
    country_ = ctx.content.country(args[0]) if args else None
    return country_.code if country_ else None


def _remember_country(ctx: Ctx, code: str) -> None:
    """Reading about a country tells us where the person is going or from (for SOS)."""
    country_ = ctx.content.country(code)
    if country_ is None:
        return
    if CountryRole.DESTINATION in country_.roles:
        ctx.session.destination = code
    elif CountryRole.ORIGIN in country_.roles:
        ctx.session.origin = code


ROUTES = {
    "guides": guides,
    "rights": rights,
    "guide": country,
    "rights_in": country_rights,
    "topic": topic,
    "article": article,
}
