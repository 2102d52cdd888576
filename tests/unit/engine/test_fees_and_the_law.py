"""Bands as amounts and against the law, on the shipped content (``bot.core.fees``)."""

from __future__ import annotations

from bot.content import ContentTree
from bot.core.fees import (
    BandRange,
    Legality,
    band_range,
    fee_against_the_law,
    legal_limit,
    legality,
    tally,
)


def test_a_band_is_an_amount_range_in_the_origins_currency(content: ContentTree) -> None:
    kenya, nepal = content.country("KE"), content.country("NP")
    assert band_range(kenya, "b2") == BandRange("b2", "KES", 10_000, 49_999)
    assert band_range(kenya, "b5") == BandRange("b5", "KES", 200_000, None)
    assert band_range(kenya, "none") == BandRange("none", "KES", 0, 0)
    assert band_range(nepal, "b1") == BandRange("b1", "NPR", 1, 10_000)
    assert band_range(nepal, "b9") is None


def test_the_limit_is_the_strictest_sourced_rule(content: ContentTree) -> None:
    kenya, nepal = content.country("KE"), content.country("NP")
    qatar, malaysia = content.country("QA"), content.country("MY")
    assert legal_limit(nepal, None) == 10_000  # Nepal's cap when the destination is not said
    assert legal_limit(nepal, qatar) == 0  # Qatar forbids every recruitment fee
    assert legal_limit(nepal, malaysia) == 0  # the Nepal-Malaysia agreement: the employer pays
    assert legal_limit(kenya, None) is None  # Kenya's rule has no sourced amount
    assert legal_limit(kenya, content.country("AE")) == 0


def test_a_band_across_the_limit_is_never_guessed_to_one_side() -> None:
    band = BandRange("b2", "NPR", 5_000, 20_000)
    assert legality(band, 10_000) is Legality.STRADDLES
    assert legality(BandRange("b1", "NPR", 1, 10_000), 10_000) is Legality.WITHIN
    assert legality(BandRange("b3", "NPR", 10_001, 50_000), 10_000) is Legality.ABOVE
    assert legality(band, None) is Legality.UNKNOWN
    assert legality(BandRange("b5", "NPR", 200_000, None), 10_000) is Legality.ABOVE


def test_the_chat_and_the_portal_agree_on_what_is_illegal(content: ContentTree) -> None:
    nepal, qatar = content.country("NP"), content.country("QA")
    assert not fee_against_the_law("b1", nepal, None)  # exactly the cap is legal
    assert fee_against_the_law("b2", nepal, None)
    assert fee_against_the_law("b1", nepal, qatar)
    assert not fee_against_the_law("none", nepal, qatar)
    assert not fee_against_the_law("b2", content.country("KE"), None)  # no known limit


def test_tally_counts_each_report_against_its_own_destinations_limit(
    content: ContentTree,
) -> None:
    countries = {code: content.country(code) for code in ("QA", "SA", "AE", "MY")}
    nepal = content.country("NP")
    counted = tally(
        nepal,
        {"QA": {"none": 2, "b1": 3}, "": {"b1": 4, "b2": 1}},
        {code: country for code, country in countries.items() if country is not None},
    )
    # QA: b1 is above a zero limit; not said: Nepal's cap, b1 legal and b2 above.
    assert (counted.answered, counted.above, counted.straddles, counted.unknown) == (10, 4, 0, 0)
    kenya = content.country("KE")
    unknown = tally(kenya, {"": {"b2": 5, "none": 1}}, {})
    assert (unknown.above, unknown.unknown) == (0, 5)  # paying nothing is legal anywhere
