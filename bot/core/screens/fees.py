"""Fee bands in the chat: the origin's bands, worded by ``bot.core.fees``."""

from __future__ import annotations

from bot.core import fees
from bot.core.context import Ctx


def band_ids(ctx: Ctx, origin: str) -> list[str]:
    """The origin's band ids, lowest first (empty when the country has none)."""
    return fees.band_ids(ctx.content.country(origin))


def band_label(ctx: Ctx, origin: str, band_id: str, *, compact: bool = False) -> str:
    """Words for one band in the person's language (``compact``: for an answer button)."""
    return fees.band_label(ctx.content.country(origin), band_id, ctx.t, compact=compact)
