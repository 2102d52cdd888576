"""Fee bands as a worker reads them when saying what they paid: the legal cap is legal."""

from __future__ import annotations

from bot.content import ContentTree
from bot.core.fees import band_ids, band_label
from bot.i18n import Catalogs


def test_paying_exactly_the_nepal_cap_is_on_the_legal_side(
    content: ContentTree, catalogs: Catalogs
) -> None:
    nepal = content.country("NP")
    t = catalogs.translator("en")
    labels = [band_label(nepal, band, t) for band in band_ids(nepal)]
    assert labels[:3] == ["I paid nothing", "Up to NPR 10,000", "NPR 10,001 to NPR 49,999"]


def test_kenya_without_a_cap_keeps_its_round_bands(
    content: ContentTree, catalogs: Catalogs
) -> None:
    kenya = content.country("KE")
    t = catalogs.translator("en")
    labels = [band_label(kenya, band, t) for band in band_ids(kenya)]
    assert labels[:3] == ["I paid nothing", "Less than KES 10,000", "KES 10,000 to KES 49,999"]
