"""A shared location names a destination only when a simple box test is sure."""

from __future__ import annotations

import math

import pytest

from bot.channels.places import destination_at, sos_for_location


@pytest.mark.parametrize(
    ("place", "latitude", "longitude", "expected"),
    [
        ("Doha", 25.2854, 51.5310, "QA"),
        ("Riyadh", 24.7136, 46.6753, "SA"),
        ("Jeddah", 21.4858, 39.1925, "SA"),
        ("Dammam", 26.4207, 50.0888, "SA"),
        ("Dubai", 25.2048, 55.2708, "AE"),
        ("Abu Dhabi", 24.4539, 54.3773, "AE"),
        ("Kuala Lumpur", 3.1390, 101.6869, "MY"),
        ("Kota Kinabalu", 5.9804, 116.0735, "MY"),
        # Neighbours whose boxes overlap a destination's: ask instead of guessing.
        ("Manama", 26.2235, 50.5876, None),
        ("Kuwait City", 29.3759, 47.9774, None),
        ("Muscat", 23.5880, 58.3829, None),
        ("Singapore", 1.3521, 103.8198, None),
        # Origins and anywhere else.
        ("Nairobi", -1.2921, 36.8219, None),
        ("Kathmandu", 27.7172, 85.3240, None),
        ("the sea off Somalia", 5.0, 50.0, None),
    ],
)
def test_a_point_is_placed_only_when_the_test_is_sure(
    place: str, latitude: float, longitude: float, expected: str | None
) -> None:
    assert destination_at(latitude, longitude) == expected, place


def test_a_location_stands_for_the_sos_card_of_its_destination_or_the_question() -> None:
    assert sos_for_location(25.2854, 51.5310) == "sos:QA"
    assert sos_for_location(-1.2921, 36.8219) == "sos"
    assert sos_for_location(None, None) == "sos"
    assert sos_for_location(math.nan, 51.0) == "sos"
    assert sos_for_location(math.inf, 1e308) == "sos"
