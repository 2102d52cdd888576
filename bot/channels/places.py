"""Which destination a shared location lies in, by a deliberately simple bounding-box test.

A person who shares their location on Telegram or WhatsApp is answered with
the SOS card. When the point lies clearly in one destination the card is that
country's; anywhere else (a border, the sea, a neighbour such as Bahrain,
Oman or Singapore whose box overlaps) the bot asks which country, as it does
for /sos. A wrong country's numbers would be worse than one more tap, so a
box that overlaps a neighbour's yields no answer rather than a guess.

Only the country code leaves this module: the coordinates are never stored,
logged or passed on.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from bot.core.context import SOS


class Box(NamedTuple):
    south: float
    north: float
    west: float
    east: float

    def holds(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


DESTINATIONS: dict[str, tuple[Box, ...]] = {
    "QA": (Box(24.45, 26.2, 50.7, 51.7),),
    "AE": (Box(22.6, 24.45, 51.58, 56.4), Box(24.45, 26.1, 52.0, 56.4)),
    # Saudi Arabia as two boxes, so Qatar, Bahrain and the Emirates stay outside.
    "SA": (Box(16.3, 32.2, 34.5, 50.8), Box(16.3, 24.2, 50.8, 55.7)),
    # Peninsular Malaysia, then Sabah and Sarawak.
    "MY": (Box(1.25, 6.8, 99.6, 104.5), Box(0.85, 7.4, 109.5, 119.3)),
}
"""Rough outlines of the destinations in the content (degrees, WGS 84)."""

NEIGHBOURS: tuple[Box, ...] = (
    Box(25.5, 26.35, 50.3, 50.85),  # Bahrain
    Box(28.5, 30.1, 46.5, 48.45),  # Kuwait
    Box(29.0, 37.4, 38.8, 48.6),  # Iraq
    Box(29.2, 33.4, 34.9, 39.3),  # Jordan
    Box(29.4, 33.4, 34.2, 35.9),  # Israel and Palestine
    Box(22.0, 31.7, 24.7, 35.0),  # Egypt
    Box(12.1, 17.4, 41.8, 54.6),  # Yemen
    Box(16.6, 22.5, 52.0, 59.9),  # Oman, the south
    Box(22.5, 24.5, 55.8, 59.9),  # Oman, the north-east and Al Buraimi
    Box(25.6, 26.4, 56.0, 56.5),  # Oman, Musandam
    Box(1.15, 1.48, 103.6, 104.1),  # Singapore
    Box(4.0, 5.1, 114.0, 115.4),  # Brunei
    Box(-4.2, 1.0, 108.8, 119.0),  # Indonesia, Kalimantan
    Box(1.0, 4.4, 114.5, 118.0),  # Kalimantan's north, along Sarawak and Sabah
    Box(6.5, 20.5, 97.3, 105.7),  # Thailand
)
"""Countries whose boxes overlap a destination's: a point in one of them gets the question."""


def destination_at(latitude: float, longitude: float) -> str | None:
    """The destination the point lies in, or None when the simple test cannot say."""
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if any(box.holds(latitude, longitude) for box in NEIGHBOURS):
        return None
    found = [code for code, boxes in DESTINATIONS.items()
             if any(box.holds(latitude, longitude) for box in boxes)]
    return found[0] if len(found) == 1 else None


def sos_for_location(latitude: float | None, longitude: float | None) -> str:
    """The button id a shared location stands for: the SOS card of the destination
    it lies in (``sos:QA``), else plain ``sos``, which asks where the person is."""
    if latitude is None or longitude is None:
        return SOS
    code = destination_at(latitude, longitude)
    return f"{SOS}:{code}" if code else SOS
