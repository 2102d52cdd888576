"""Checking and rating recruitment agencies: pick the country, find the agency, then act.

Both flows start the same way: the origin country (asked once, then
remembered), the agency's name or licence number typed by the person, and up
to five matches with their licence status, plus "Not in the list". Then
checking shows what disclosure control allows (``agency_summary``) and rating
starts the questionnaire (``rating_questions``).

The screens need the ratings service, so ``routes`` and ``text_handlers`` bind
it when the engine is built; ``ROUTES`` stays empty.
"""

from __future__ import annotations

from functools import partial

from bot.core import choice_ids
from bot.core.context import Ctx, Route, TextHandler
from bot.core.messages import Choice
from bot.core.screens import agency_list, agency_summary, rating_mydata, rating_questions
from recruiter_reports.names import NameKind, Refusal, clean_name
from recruiter_reports.ratings import Ratings
from recruiter_reports.registry import LicenceStatus, Recruiter

CHECK, RATE = "check", "rate"
_QUERY_MAX = 80
"""Characters of a typed agency name kept (long enough for any real name)."""

ROUTES: dict[str, Route] = {}

NUMBER_ANSWERS = frozenset({"agency"})
"""Typed questions where a bare number is the answer (a licence number), not a button."""


def routes(service: Ratings) -> dict[str, Route]:
    """Every ratings route with the service bound (called once by the engine)."""
    bound: dict[str, Route] = {
        "check": partial(check, service),
        "rate": partial(rate, service),
        "agencies": partial(agency_country, service),
        "pick": partial(pick, service),
        "unlisted": partial(not_listed, service),
        rating_mydata.WITHDRAW: partial(rating_mydata.withdraw, service),
    }
    bound.update(rating_questions.routes(service))
    return bound


def text_handlers(service: Ratings) -> dict[str, TextHandler]:
    return {"agency": partial(agency_typed, service), **rating_questions.text_handlers(service)}


async def check(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    """``/check``: find an agency and see what other workers said about it."""
    await _start(service, ctx, CHECK)


async def rate(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    """``/rate``: resume an unfinished rating, else find the agency to rate."""
    if await rating_questions.resume(service, ctx):
        return
    await _start(service, ctx, RATE)


async def _start(service: Ratings, ctx: Ctx, mode: str) -> None:
    origins = service.origins
    if not origins:
        ctx.say(ctx.t("Agency ratings are not available yet."))
        return
    if ctx.session.origin in origins:
        await _ask_name(ctx, mode, ctx.session.origin)
        return
    if len(origins) == 1:
        await _ask_name(ctx, mode, origins[0])
        return
    ctx.say(
        ctx.t("Which country is the agency in?"), ctx.country_choices(f"agencies:{mode}", origins)
    )


async def agency_country(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    """The origin was tapped: remember it (it is also the person's home country)."""
    mode = _mode(args)
    code = args[1] if len(args) > 1 else ""
    if code not in service.origins:
        await _start(service, ctx, mode)
        return
    ctx.session.origin = code
    await _ask_name(ctx, mode, code)


async def _ask_name(ctx: Ctx, mode: str, origin: str) -> None:
    ctx.session.flow["agency"] = {"mode": mode, "origin": origin}
    ctx.session.awaiting = "agency"
    ctx.say(
        ctx.t(
            "Type the name of the agency in {country}, or its licence number.",
            country=ctx.country_name(origin),
        )
        + "\n"
        + ctx.t("A number you type here is read as a licence number; tap a button to choose one.")
    )


async def agency_typed(service: Ratings, ctx: Ctx, text: str) -> None:
    search = ctx.session.flow.get("agency")
    if not isinstance(search, dict) or search.get("origin") not in service.origins:
        await _start(service, ctx, RATE if _has_draft(ctx) else CHECK)
        return
    mode, origin = _mode([search.get("mode", CHECK)]), str(search["origin"])
    query = " ".join(text.split())[:_QUERY_MAX]
    search["query"] = query
    found = service.find(origin, query)
    found += await service.find_unlisted(origin, query)
    again = Choice(f"agencies:{mode}:{origin}", "🔁 " + ctx.t("Search again"))
    missing = Choice(f"unlisted:{mode}", "➕ " + ctx.t("Not in the list"))
    registry = service.registries.get(origin)
    about = agency_list.note(ctx, registry)
    if not found:
        if agency_list.is_example(registry):
            text = ctx.t(
                "I found no agency like “{query}” in this list. It is not the official list, "
                "so this says nothing about the agency's licence.",
                query=query,
            )
        else:
            text = ctx.t("I found no agency like “{query}” in the official list.", query=query)
        ctx.say("\n".join(filter(None, [text, about])), [again, missing])
        return
    choices = [Choice(f"pick:{mode}:{r.id}", _label(ctx, r)) for r in found]
    prompt = ctx.t("Which one is it? Tap your agency.")
    ctx.say("\n".join(filter(None, [prompt, about])), [*choices, missing])


def _label(ctx: Ctx, recruiter: Recruiter) -> str:
    return f"{recruiter.name} ({status_text(ctx, recruiter.status)})"


def status_text(ctx: Ctx, status: LicenceStatus) -> str:
    """The licence status in a few words with a sign anyone can read."""
    if status is LicenceStatus.VALID:
        return "✅ " + ctx.t("valid")
    if status is LicenceStatus.REVOKED:
        return "⛔ " + ctx.t("revoked")
    if status is LicenceStatus.EXPIRED:
        return "⌛ " + ctx.t("expired")
    if status is LicenceStatus.INVALID:
        return "⛔ " + ctx.t("not valid")
    if status is LicenceStatus.DEREGISTERED:
        return "⛔ " + ctx.t("deregistered")
    return "❔ " + ctx.t("not in the list")


async def pick(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    mode = _mode(args)
    recruiter = service.recruiter(args[1]) if len(args) > 1 else None
    if recruiter is None and len(args) > 1:
        recruiter = await service.unlisted(args[1])
    if recruiter is None:
        ctx.say(ctx.t("I cannot find this agency any more. Please search again."))
        await _start(service, ctx, mode)
        return
    await _chosen(service, ctx, mode, recruiter)


async def not_listed(service: Ratings, ctx: Ctx, args: list[str]) -> None:
    """The agency is not in the registry: it is kept apart under the name typed.

    A licence number is not a name: one the registry knows is that agency, and any
    other is refused with a request for the agency's name. The name is scrubbed and
    refused when it names a person (``recruiter_reports.names``); a spelling that a
    moderator merged into another agency, or linked to its registry entry, goes there.
    """
    mode = _mode(args)
    search = ctx.session.flow.get("agency")
    query = search.get("query") if isinstance(search, dict) else None
    origin = search.get("origin") if isinstance(search, dict) else None
    if not query or not origin or origin not in service.origins:
        await _start(service, ctx, mode)
        return
    query, origin = str(query), str(origin)
    listed = service.by_licence(origin, query)
    if listed is not None:
        ctx.say(ctx.t("Licence number {number} is in the list: it is {name}.",
                      number=listed.licence_no, name=listed.name), home=False)  # fmt: skip
        await _chosen(service, ctx, mode, listed)
        return
    cleaned = clean_name(query, NameKind.AGENCY)
    if isinstance(cleaned, Refusal) or _is_number(query):
        if cleaned is Refusal.PERSON:
            text = ctx.t("This looks like a person's name. To keep people safe, please type "
                         "the name of the agency (the company) instead.")  # fmt: skip
        else:
            text = ctx.t("I found no agency with this number. To add an agency that is not in "
                         "the list, please type its name.")  # fmt: skip
        ctx.session.awaiting = "agency"
        ctx.say(text, [Choice(f"agencies:{mode}:{origin}", "🔁 " + ctx.t("Search again"))])
        return
    typed = service.not_listed(origin, cleaned.text)
    recruiter = await service.resolve(typed)
    if recruiter.id != typed.id:
        ctx.say(ctx.t("We know this agency as {name}.", name=recruiter.name), home=False)
    await _chosen(service, ctx, mode, recruiter)


def _is_number(query: str) -> bool:
    """Mostly digits: a licence or phone number, never an agency's name."""
    letters = sum(ch.isalpha() for ch in query)
    return sum(ch.isdigit() for ch in query) >= max(2, letters)


async def _chosen(service: Ratings, ctx: Ctx, mode: str, recruiter: Recruiter) -> None:
    if mode == RATE:
        ctx.session.flow.pop("agency", None)
        await rating_questions.begin(service, ctx, recruiter)
        return
    await agency_summary.show(service, ctx, recruiter, status_text(ctx, recruiter.status))


def _mode(args: list[str]) -> str:
    """The search's mode from a button or a saved session (which may still say "c"/"r")."""
    return RATE if args and choice_ids.mode_name(args[0]) == RATE else CHECK


def _has_draft(ctx: Ctx) -> bool:
    return isinstance(ctx.session.flow.get("rate"), dict)
