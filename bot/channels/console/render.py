"""Outbound messages as terminal text: the message, its recording, then its buttons numbered.

A terminal cannot play a voice message, so a recording shows as its file and its
duration (``m:ss``): an editor trying the bot can play the file with any player.
"""

from __future__ import annotations

from bot.core.messages import Outbound

PROMPT = "> "


def render(message: Outbound) -> str:
    """Plain text with numbered choices; a person types the number or the label."""
    lines = [f"bot: {line}" if i == 0 else f"     {line}" for i, line in
             enumerate(message.text.splitlines() or [""])]
    if message.audio is not None:
        lines.append(f"     🔊 {message.audio.path} ({message.audio.duration})")
    for number, choice in enumerate(message.choices, start=1):
        lines.append(f"  [{number}] {choice.label}")
    if message.end:
        lines.append("  (end of conversation)")
    return "\n".join(lines)
