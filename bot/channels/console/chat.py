"""The terminal channel: talk to the bot with no account, or drive it from a script.

Interactive in a terminal; when stdin is not a terminal, each line is handled
as soon as it arrives and the replies are printed with the line they answer,
so another program can drive it one line at a time.

``/quit`` (or Ctrl-D) leaves. ``/exit`` is the bot's quick exit, as on every
channel: the terminal clears its screen and its scrollback before the neutral
screen (scripted, it prints a line saying so instead).

What a caseworker sent the person (through the portal of a ``serve`` on the
same store) is printed when the person next writes, before the bot's answer,
as "(a new message arrived)": so the whole hand-over can be tried here.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.channels.console.render import PROMPT, render
from bot.core.messages import Inbound, Outbound
from bot.core.runner import Runner

CHANNEL = "console"
QUIT = "/quit"
CLEAR = "\033[3J\033[2J\033[H"
"""Erase the scrollback and the screen, cursor home (xterm, VTE, the Linux console)."""

Arrived = Callable[[str], Awaitable[object]]
"""``(pseudonym)``: print what arrived for the person since they last wrote (a caseworker's
reply, "read", "closed"), through ``ConsolePusher``; built by the CLI."""


class ConsoleChat:
    """One person's conversation over a pair of text streams."""

    def __init__(
        self, runner: Runner, user: str, out: TextIO, locale: str | None = None,
        arrived: Arrived | None = None,
    ) -> None:
        self._runner = runner
        self._user = user
        self._out = out
        self._locale = locale
        self.interactive = False
        self._arrived = arrived

    async def send(self, text: str | None = None, choice: str | None = None) -> list[Outbound]:
        inbound = Inbound(
            channel=CHANNEL,
            user_ref=self._user,
            text=text,
            choice=choice,
            locale_hint=self._locale,
        )
        if self._arrived is not None:  # what came while they were away, before their turn
            await self._arrived(self._runner.pseudonym(inbound))
        replies = await self._runner.handle(inbound)
        self.show(replies)
        return replies

    def show(self, replies: list[Outbound]) -> None:
        for reply in replies:
            if reply.erase is not None:
                self._out.write(CLEAR if self.interactive else "(screen cleared)\n")
            self._out.write(render(reply) + "\n\n")
        self._out.flush()

    async def start(self) -> None:
        """Open in the chosen language, or greet as a new person would be greeted."""
        if self._locale:
            await self.send(choice=f"lang:{self._locale}")
        else:
            await self.send(text="/start")

    async def run(self, stdin: TextIO, interactive: bool) -> None:
        self.interactive = interactive
        if interactive or self._locale:
            await self.start()
        while True:
            if interactive:
                self._out.write(PROMPT)
                self._out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if not interactive:
                self._out.write(f"{PROMPT}{text}\n")
            if interactive and text.strip().casefold() == QUIT:
                break
            await self.send(text=text)


def is_interactive(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


async def chat(runner: Runner, user: str, locale: str | None,
               arrived: Arrived | None = None) -> None:
    """Entry point of ``python -m bot chat``."""
    console = ConsoleChat(runner, user, sys.stdout, locale, arrived)
    interactive = is_interactive(sys.stdin)
    if interactive:
        sys.stdout.write("(Type /quit to leave. Ctrl-D also works.)\n\n")
    await console.run(sys.stdin, interactive)
