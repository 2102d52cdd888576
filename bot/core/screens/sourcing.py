"""How a source reads in the chat: its title and its own date, never "checked".

A fact copied from a newspaper is as old as the newspaper, not as the day it
was copied; only ``last_verified`` (a person called or visited) earns the word
"checked". Contact cards and article footers word sources here, so they agree.
"""

from __future__ import annotations

import datetime as dt

from bot.core.context import Ctx


def dated(ctx: Ctx, title: str, date: str | None) -> str:
    """``Gulf Times (source dated 2020-03-31)`` or ``... (source undated)``."""
    if date:
        return ctx.t("{source} (source dated {date})", source=title, date=date)
    return ctx.t("{source} (source undated)", source=title)


def verified(ctx: Ctx, when: dt.date | None) -> str | None:
    """The line for a person's own check, or nothing when nobody checked."""
    if when is None:
        return None
    return ctx.t("Checked by our team on {date}.", date=when.isoformat())
