"""Help now: emergency numbers first, then the person's embassy, from anywhere.

Reached by ``/sos``, the help button on every menu, or words that speak of a
danger ("he beats me", "nataka kujiua", "मलाई कुट्छ"). The danger's category
(``emergency.yaml``) opens the card with a line for that situation and may add
contacts for it, such as a crisis line for self-harm, only where the content
has a sourced one. It never waits for anything it does not need: with the
destination known it shows the card at once; otherwise one short message
gives every destination's emergency number, then one tap says which country.

Route ids: ``sos``, ``sos:<cc>``, ``sos:<cc>:<category>`` (``-`` for no country
yet), so a tapped country keeps the category.
"""

from __future__ import annotations

from bot.content import Resource
from bot.content.understand import HELP, Danger
from bot.core.context import SOS, Ctx
from bot.core.messages import Choice
from bot.core.screens import listen
from bot.core.screens.directory import resource_card
from bot.core.screens.talk import talk_choice
from bot.i18n import language_name

NO_COUNTRY = "-"
GUESSED = "guessed_locale"
"""Flow flag: the language was taken from the words of a cry for help, not chosen."""


async def sos(ctx: Ctx, args: list[str]) -> None:
    """The route: the card of the country and category in the button, else of the session."""
    wanted = args[0] if args and args[0] != NO_COUNTRY else None
    category = args[1] if len(args) > 1 else None
    show(ctx, wanted, category)


async def danger(ctx: Ctx, found: Danger) -> None:
    """Words of danger were typed: the card, in the language they were written in when
    the person has not chosen one yet (and a button to switch, on the card)."""
    if ctx.session.locale is None and found.locales:
        if ctx.locale not in found.locales:
            ctx.use_locale(found.locales[0])
            ctx.session.flow[GUESSED] = True
    show(ctx, None, None if found.category == HELP else found.category)


def show(ctx: Ctx, wanted: str | None, category: str | None) -> None:
    """The SOS card for ``wanted`` (a country code) or the person's destination."""
    destinations = [c.code for c in ctx.content.destinations()]
    chosen = ctx.content.country(wanted) if wanted else None
    if chosen is not None:
        ctx.session.destination = chosen.code
        code = chosen.code
    elif ctx.session.destination in destinations:
        code = ctx.session.destination
    elif len(destinations) == 1:
        code = destinations[0]
    else:
        _every_destination(ctx, destinations, category)
        return
    _card(ctx, code, category, others=[c for c in destinations if c != code])


def _situation(ctx: Ctx, category: str | None) -> str | None:
    found = ctx.content.danger_category(category) if category else None
    return ctx.name(found.says) if found else None


def _every_destination(ctx: Ctx, destinations: list[str], category: str | None) -> None:
    """Where the person is, we do not know yet: every number at once, then the question."""
    t = ctx.t
    lines = [t("🆘 If you are in danger now, call the emergency number of the country you are in:")]
    for code in destinations:
        country = ctx.content.country(code)
        if country is None or not country.emergency:
            continue
        numbers = ", ".join(t.isolate(number.number) for number in country.emergency)
        lines.append(f"☎️ {ctx.name(country.names)}: {numbers}")
    situation = _situation(ctx, category)
    if situation:
        lines.append(situation)
    ctx.say("\n".join(lines), home=False)
    choices = _countries(ctx, destinations, category)
    if ctx.session.locale is None or ctx.session.flow.get(GUESSED):
        choices += _language_choices(ctx, category)
    ctx.say(t("Which country are you in? Tap it for its embassies and more help."), choices)


def _card(ctx: Ctx, code: str, category: str | None, others: list[str]) -> None:
    t = ctx.t
    country = ctx.content.country(code)
    if country is None:
        return
    lines = [t("🆘 In {country}, if you are in danger now, call:", country=ctx.name(country.names))]
    for number in country.emergency:
        lines.append(f"☎️ {ctx.name(number.service)}: {t.isolate(number.number)}")
    situation = _situation(ctx, category)
    if situation:  # after the numbers: they come first, whatever the danger
        lines.append(situation)
    lines.append(
        t("If you cannot speak, ask someone you trust to call, or go to a police station.")
    )
    ctx.say("\n".join(lines), home=False)
    listen.sos_audio_beside(ctx, code)

    extra = _category_contacts(ctx, code, category)
    if extra:
        cards = "\n\n".join(resource_card(ctx, line) for line in extra)
        ctx.say(cards, home=False)

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
    if ctx.content.partners_for(code, origin, ctx.locale):
        choices.append(talk_choice(ctx, category, code))
    heard = listen.sos_button(ctx, code)
    if heard is not None:
        choices.append(heard)
    choices += _countries(ctx, others, category)
    if ctx.session.locale is None or ctx.session.flow.get(GUESSED):
        choices += _language_choices(ctx, category)
    ctx.say(t("You are not alone. Tap for more contacts."), choices)


def _countries(ctx: Ctx, codes: list[str], category: str | None) -> list[Choice]:
    """A button per country, in the order of every country list, keeping the category."""
    suffix = f":{category}" if category else ""
    return [Choice(c.id + suffix, c.label) for c in ctx.country_choices(SOS, codes)]


def _category_contacts(ctx: Ctx, code: str, category: str | None) -> list[Resource]:
    """The destination's contacts for the category's needs (a crisis line), if any exist."""
    found = ctx.content.danger_category(category) if category else None
    if found is None:
        return []
    seen: set[str] = set()
    contacts = []
    for need in found.needs:
        for resource in ctx.content.resources(code, need):
            if resource.id not in seen:
                seen.add(resource.id)
                contacts.append(resource)
    return contacts


def _language_choices(ctx: Ctx, category: str | None) -> list[Choice]:
    """For someone the bot does not know yet: one tap reads this card in another language."""
    suffix = f":{category}" if category else ""
    return [
        Choice(f"lang:{code}:{SOS}{suffix}", "🌐 " + language_name(code))
        for code in ctx.content.site.locales
        if code != ctx.locale
    ]


ROUTES = {SOS: sos}
