"""``python -m bot <command>``: the commands DESIGN.md fixes, and a few for maintainers."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.settings import VAR_DIR, Settings, load_settings

if TYPE_CHECKING:
    from bot.services import Services


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="talk to the bot in the terminal")
    chat.add_argument("--locale", help="start in this language, e.g. sw, ne, ar, en")
    chat.add_argument("--user", default="local", help="try it as a different person")

    serve = commands.add_parser("serve", help="run the web server (webhooks, portal, API)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--polling", action="store_true", help="Telegram long polling")

    followups = commands.add_parser("followups", help="check-ins people agreed to")
    followups_commands = followups.add_subparsers(dest="followups_command", required=True)
    followups_commands.add_parser(
        "run", help="send the check-ins that are due now (serve also does it, continuously)")

    content = commands.add_parser("content", help="check the content tree or its coverage")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    check = content_commands.add_parser("check", help="validate the content tree")
    check.add_argument("--content", type=Path, help="content folder (default CONTENT_DIR)")
    stats = content_commands.add_parser("stats", help="translation coverage")
    stats.add_argument("--content", type=Path, help="content folder (default CONTENT_DIR)")
    audio = content_commands.add_parser(
        "audio", help="draft narrations (OGG/Opus) with a local speech engine, marked draft"
    )
    audio.add_argument("--content", type=Path, help="content folder (default CONTENT_DIR)")
    audio.add_argument("--locale", action="append", help="only this locale (repeatable)")
    audio.add_argument("--missing", action="store_true",
                       help="only recordings that are missing or whose text changed")
    audio.add_argument("--country", action="append", help="only this country code (repeatable)")
    audio.add_argument("--article", action="append", help="only this article id (repeatable)")
    audio.add_argument("--only", action="append", choices=["article", "sos", "prompt"],
                       help="only this kind of recording (repeatable)")

    from bot.registry_cli import add_arguments as add_registry_commands

    add_registry_commands(commands)  # registry import
    from bot.web.portal.commands import add_arguments as add_portal_commands

    add_portal_commands(commands)  # stakeholders add|list|revoke, seed-demo
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"Invalid settings:\n{error}", file=sys.stderr)
        return 2
    _configure_logging(args.command)
    match args.command:
        case "chat":
            return asyncio.run(_chat(settings, args.user, args.locale))
        case "serve":
            if (problem := _serve_refusal(settings)) is not None:
                print(f"Cannot start the server: {problem}", file=sys.stderr)
                return 2
            from bot.web.server import serve

            serve(settings, args.host, args.port, args.polling)
            return 0
        case "content":
            return _content(settings, args)
        case "followups":
            return asyncio.run(_followups_run(settings))
        case "registry":
            from bot.registry_cli import run_import

            return run_import(args, args.content or settings.CONTENT_DIR, sys.stdout, sys.stderr)
        case "stakeholders":
            from bot.web.portal.commands import run_stakeholders

            return asyncio.run(run_stakeholders(settings, args, sys.stdout, sys.stderr))
        case "seed-demo":
            from bot.web.portal.commands import run_seed_demo

            return asyncio.run(run_seed_demo(settings, sys.stdout, sys.stderr))
    return 2


CHAT_LOG = VAR_DIR / "chat.log"
"""Where ``chat`` logs: its terminal shows the conversation and nothing else."""


def _configure_logging(command: str) -> None:
    """Log lines go to stderr, except for ``chat``: a warning printed between the bot's
    replies would read as part of the conversation, so they go to ``var/chat.log``."""
    options: dict[str, object] = {
        "level": logging.INFO if command == "serve" else logging.WARNING,
        "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
    }
    if command == "chat":
        CHAT_LOG.parent.mkdir(parents=True, exist_ok=True)
        options["filename"] = str(CHAT_LOG)
        logging.captureWarnings(True)
    logging.basicConfig(**options)  # type: ignore[arg-type]


def _serve_refusal(settings: Settings) -> str | None:
    """Why ``serve`` must not start (say, MongoDB without PSEUDONYM_KEY), before anything runs."""
    from bot.services import pseudonymizer_from

    try:
        pseudonymizer_from(settings)
    except ValueError as error:
        return str(error)
    return None


async def _followups_run(settings: Settings) -> int:
    """Send every check-in due now through the configured channels, then stop.

    Safe beside running servers: jobs are leased, so each goes out once. The claim
    name is this process's own, so starting the channels frees no server's claims.
    """
    import os

    from bot.channels.base import worker_name
    from bot.services import build_services
    from bot.web.channel_registry import REGISTRY, ConfigurationError, Options, pushers_of
    from bot.web.followups.wiring import checkins_for

    services = await build_services(settings)
    try:
        options = Options(worker=worker_name(f"followups-run-{os.getpid()}"))
        try:
            channels = [entry.build(services, options) for entry in REGISTRY
                        if entry.enabled(settings)]
        except ConfigurationError as error:
            print(f"Cannot send check-ins: {error}", file=sys.stderr)
            return 2
        delivery = checkins_for(services, pushers_of(channels), options.worker)
        if delivery is None:
            print("Check-ins are off: CONTACT_KEY is not set.", file=sys.stderr)
            return 2
        started = []
        try:
            for channel in channels:
                await channel.start()
                started.append(channel)
            tried = await delivery.run_until_done()
        finally:
            for channel in started:
                await channel.stop()
        print(f"check-ins tried: {tried}")
    finally:
        await services.close()
    return 0


async def _chat(settings: Settings, user: str, locale: str | None) -> int:
    from bot.channels.console import chat
    from bot.services import build_services

    services = await build_services(settings)
    try:
        if locale is not None and locale not in services.content.site.locales:
            offered = ", ".join(services.content.site.locales)
            print(f"Unknown language {locale!r}. Offered: {offered}.", file=sys.stderr)
            return 2
        await chat(services.runner, user, locale, _arrivals(services, user))
    finally:
        await services.close()
    return 0


def _arrivals(services: Services, user: str) -> Callable[[str], Awaitable[int]] | None:
    """What prints a caseworker's replies in this terminal, or None when cases are off.

    The replies are queued by a ``serve`` on the same store (the portal); its own
    delivery loop cannot reach a terminal, so this process delivers this person's
    part of the outbox each time they write (``CaseDelivery.deliver_to``)."""
    from bot.channels.console import ConsolePusher
    from bot.channels.push import Pushers
    from bot.web.cases.wiring import delivery_for

    pushers = Pushers({"console": ConsolePusher(sys.stdout)})
    delivery = delivery_for(services, pushers, owner=f"chat-{user}-{os.getpid()}")
    return delivery.deliver_to if delivery is not None else None


def _content(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.cli import run_check, run_stats

    folder = args.content or settings.CONTENT_DIR
    if args.content_command == "check":
        status = run_check(folder, sys.stdout)
        if status == 0:
            _stale_prompts(settings, folder)
        return status
    if args.content_command == "audio":
        return _content_audio(settings, folder, args)
    return run_stats(folder, sys.stdout)


def _stale_prompts(settings: Settings, folder: Path) -> None:
    """The prompts read UI strings: only here, with the catalogs, can they be found stale."""
    from bot.content import load_content
    from bot.core.narration import stale_prompts
    from bot.i18n import Catalogs

    catalogs = Catalogs.load(settings.LOCALES_DIR, settings.DEFAULT_LOCALE)
    for line in stale_prompts(load_content(folder), catalogs):
        print(line)


def _content_audio(settings: Settings, folder: Path, args: argparse.Namespace) -> int:
    """Draft narrations: the tree says what there is to read, the catalogs the card's words."""
    from bot.content import ContentInvalid, load_content
    from bot.content.audio import AudioPlace
    from bot.content.audio_draft import EngineMissing, SpeechEngine, draft_all
    from bot.core.narration import narrations
    from bot.i18n import Catalogs

    try:
        tree = load_content(folder)
    except ContentInvalid as error:
        print(f"The content tree has {len(error.errors)} problem(s); run 'content check'.")
        return 1
    unknown = [loc for loc in args.locale or () if loc not in tree.site.locales]
    if unknown:
        print(f"Unknown locale(s): {', '.join(unknown)}. Offered: "
              f"{', '.join(tree.site.locales)}.", file=sys.stderr)
        return 2
    try:
        engine = SpeechEngine.find()
    except EngineMissing as error:
        print(f"Cannot draft audio: {error}", file=sys.stderr)
        return 2
    catalogs = Catalogs.load(settings.LOCALES_DIR, settings.DEFAULT_LOCALE)
    jobs = narrations(
        tree, catalogs, folder, locales=args.locale, countries=args.country,
        articles=args.article, kinds=[AudioPlace(k) for k in args.only or AudioPlace],
    )
    report = draft_all(jobs, engine, missing_only=args.missing, out=sys.stderr)
    for line in report.lines():
        print(line)
    return 0

