"""Find help: the resource directory, by country and by need."""

from __future__ import annotations

from bot.content import Resource
from bot.content.models import Confidence
from bot.core.context import Ctx
from bot.core.messages import Choice
from bot.core.screens.sourcing import dated, verified
from bot.core.screens.talk import talk_choice
from bot.i18n import language_name

_MAX_PER_MESSAGE = 4
"""Resources per message: a card each is long; more would bury the first ones."""


async def find(ctx: Ctx, args: list[str]) -> None:
    if args:
        await _needs(ctx, args)
        return
    codes = [c.code for c in ctx.content.destinations()]
    codes += [c.code for c in ctx.content.origins()]
    codes = [code for code in codes if ctx.content.resources(code)]
    ctx.say(ctx.t("Help in which country?"), ctx.country_choices("find", codes))


async def _needs(ctx: Ctx, args: list[str]) -> None:
    country = ctx.content.country(args[0])
    if country is None:
        await find(ctx, [])
        return
    if len(args) == 1:
        needs = [
            need
            for need in ctx.content.site.needs
            if ctx.content.resources(country.code, need.id, ctx.session.origin)
        ]
        choices = [Choice(f"find:{country.code}:{n.id}", ctx.name(n.title)) for n in needs]
        if ctx.content.partners_for(country.code, ctx.session.origin, ctx.locale):
            choices.append(talk_choice(ctx, None, country.code))
        ctx.say(
            ctx.t("{country}: what kind of help?", country=ctx.name(country.names)), choices
        )
        return
    resources = ctx.content.resources(country.code, args[1], ctx.session.origin)
    if not resources:
        ctx.say(ctx.t("I have no contacts for this yet."), [_back(ctx, country.code)])
        return
    cards = [resource_card(ctx, resource) for resource in resources]
    for start in range(0, len(cards), _MAX_PER_MESSAGE):
        ctx.say("\n\n".join(cards[start : start + _MAX_PER_MESSAGE]), home=False)
    ctx.say(ctx.t("Anything else?"), [_back(ctx, country.code)])


def _back(ctx: Ctx, code: str) -> Choice:
    return Choice(f"find:{code}", "↩️ " + ctx.t("Back"))


def resource_card(ctx: Ctx, resource: Resource) -> str:
    """One contact as a short card: name, how to reach it, and how sure we are."""
    t = ctx.t
    lines = [f"▪️ {ctx.name(resource.name)}"]
    lines += [f"📞 {t.isolate(phone)}" for phone in resource.phones]
    if resource.whatsapp:
        lines.append(t("WhatsApp: {number}", number=resource.whatsapp))
    if resource.sms:
        lines.append(f"✉️ {ctx.name(resource.sms)}")
    if resource.email:
        lines.append(f"📧 {t.isolate(resource.email)}")
    if resource.website:
        lines.append(f"🌐 {t.isolate(resource.website)}")
    if resource.address:
        lines.append(f"📍 {t.isolate(resource.address)}")
    if resource.hours:
        lines.append(f"🕐 {ctx.name(resource.hours)}")
    if resource.languages:
        names = ", ".join(_language(code) for code in resource.languages)
        lines.append(t("Languages: {languages}", languages=names))
    if resource.notes:
        lines.append(f"ℹ️ {ctx.name(resource.notes)}")
    source = resource.source
    lines.append(t("Source: {source}", source=dated(ctx, source.title, source.date)))
    checked = verified(ctx, resource.last_verified)
    if checked:
        lines.append(checked)
    if resource.confidence in (Confidence.WEAK, Confidence.CONFLICT):
        lines.append(t("⚠️ Not confirmed by an official source. Check before you rely on it."))
    return "\n".join(lines)


def _language(code: str) -> str:
    """A language's own name; an editor's free-text entry is shown as written."""
    try:
        return language_name(code)
    except (ValueError, LookupError):
        return code


ROUTES = {"find": find}
