"""Help now: emergency numbers first, then the person's embassy, from anywhere.

Reached by ``/sos``, the help button on every menu, or a trigger phrase. It
never waits for anything it does not need: with one destination on file it
shows it at once; with several it asks which with one tap.
"""

from __future__ import annotations

from bot.core.context import SOS, Ctx
from bot.core.messages import Choice
from bot.core.screens.directory import resource_card


async def sos(ctx: Ctx, args: list[str]) -> None:
    destinations = [c.code for c in ctx.content.destinations()]
    chosen = ctx.content.country(args[0]) if args else None
    if chosen is not None:
        ctx.session.destination = chosen.code
        code = chosen.code
    elif ctx.session.destination in destinations:
        code = ctx.session.destination
    elif len(destinations) == 1:
        code = destinations[0]
    else:
        ctx.say(
            ctx.t("🆘 Which country are you in?"),
            ctx.country_choices(SOS, destinations),
            home=False,
        )
        return
    _card(ctx, code, others=[c for c in destinations if c != code])


def _card(ctx: Ctx, code: str, others: list[str]) -> None:
    t = ctx.t
    country = ctx.content.country(code)
    if country is None:
        return
    lines = [t("🆘 In {country}, if you are in danger now, call:", country=ctx.name(country.names))]
    for number in country.emergency:
        lines.append(f"☎️ {ctx.name(number.service)}: {t.isolate(number.number)}")
    lines.append(
        t("If you cannot speak, ask someone you trust to call, or go to a police station.")
    )
    ctx.say("\n".join(lines), home=False)

    origin = ctx.session.origin
    embassies = ctx.content.embassies(code, origin)
    if embassies:
        heading = t("Your embassy:") if origin else t("Embassies:")
        cards = "\n\n".join(resource_card(ctx, embassy) for embassy in embassies)
        ctx.say(f"{heading}\n\n{cards}", home=False)
    if origin:
        home_lines = ctx.content.resources(origin, "emergency")
        if home_lines:
            cards = "\n\n".join(resource_card(ctx, line) for line in home_lines)
            heading = t("Help lines of {country}:", country=ctx.country_name(origin))
            ctx.say(f"{heading}\n\n{cards}", home=False)

    choices = [Choice(f"find:{code}", "📞 " + t("More help"))]
    choices += ctx.country_choices(SOS, others)
    ctx.say(t("You are not alone. Tap for more contacts."), choices)


ROUTES = {SOS: sos}
