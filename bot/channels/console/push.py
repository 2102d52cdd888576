"""Pushing to a person in the terminal: the messages are printed where they chat.

The terminal has no window and no way to refuse, so every push is ``SENT``.
A line says the message was not an answer to something typed, as it would
arrive unasked on a phone. Used by ``python -m bot chat``, never by ``serve``:
a server's standard output ends up in its logs, which must not hold messages.
"""

from __future__ import annotations

import dataclasses
from typing import TextIO

from bot.channels.console.render import render
from bot.channels.push import Push, PushResult, PushStatus

CHANNEL = "console"
NOTICE = "(a new message arrived)"
BUTTONS = "     (buttons: {labels}; in the terminal type /talk to answer, /sos for help)"
"""A pushed message's buttons are shown by name only: a number typed next picks from the
bot's last answer, not from this message, so numbering them would mislead."""


class ConsolePusher:
    """Prints pushed messages to one terminal (a ``bot.channels.push.Pusher``)."""

    name = CHANNEL

    def __init__(self, out: TextIO) -> None:
        self._out = out

    async def push(self, push: Push) -> PushResult:
        if push.messages:
            self._out.write(NOTICE + "\n")
            for message in push.messages:
                lines = render(dataclasses.replace(message, choices=()))
                if message.choices:
                    labels = " · ".join(choice.label for choice in message.choices)
                    lines += "\n" + BUTTONS.format(labels=labels)
                self._out.write(lines + "\n\n")
            self._out.flush()
        return PushResult(PushStatus.SENT, len(push.messages))
