"""Comments lose phone numbers, e-mails and ID numbers in every language, and keep the rest."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recruiter_reports.scrub import scrub


@pytest.mark.parametrize(
    ("text", "expected", "removed"),
    [
        # English
        ("Call the boss on +974 4493 1870 now", "Call the boss on [phone] now", {"phone": 1}),
        ("Agent: 0712 345 678 or 0712-345-678", "Agent: [phone] or [phone]", {"phone": 2}),
        ("Office (020) 7876000, ask for Mary", "Office [phone], ask for Mary", {"phone": 1}),
        ("His line +254 114 757 002.", "His line [phone].", {"phone": 1}),
        ("write to agent.kamau@example.com", "write to [email]", {"email": 1}),
        ("They kept passport A1234567", "They kept passport [id number]", {"id number": 1}),
        ("my ID 12345678 was copied", "my ID [id number] was copied", {"id number": 1}),
        ("ref 123456 on the form", "ref [number] on the form", {"number": 1}),
        ("card 4111 1111 1111 1111", "card [id number]", {"id number": 1}),
        ("find him @kamau_agent on telegram", "find him [handle] on telegram", {"handle": 1}),
        # Swahili
        (
            "Nilipigiwa simu na 0722-123-456, wakachukua pasipoti AK0123456",
            "Nilipigiwa simu na [phone], wakachukua pasipoti [id number]",
            {"phone": 1, "id number": 1},
        ),
        (
            "Kitambulisho changu 29876543 kilichukuliwa",
            "Kitambulisho changu [id number] kilichukuliwa",
            {"id number": 1},
        ),
        # Nepali (Devanagari digits and citizenship numbers)
        ("मेरो नम्बर ९८४१२३४५६७ हो", "मेरो नम्बर [phone] हो", {"phone": 1}),
        ("नागरिकता नं. २७-०१-७४-१२३४५", "नागरिकता नं. [id number]", {"id number": 1}),
        ("राहदानी PA0123456 एजेन्टले राख्यो", "राहदानी [id number] एजेन्टले राख्यो", {"id number": 1}),
        ("Call 9841234567 for Ram", "Call [phone] for Ram", {"phone": 1}),
        # Arabic (Arabic-Indic and Eastern Arabic-Indic digits)
        ("رقم الكفيل ٠٥٥١٢٣٤٥٦٧ من فضلك", "رقم الكفيل [phone] من فضلك", {"phone": 1}),
        ("اتصل على +٩٧٤ ٤٤٩٣ ١٨٧٠", "اتصل على [phone]", {"phone": 1}),
        ("الرقم ۰۷۱۲۳۴۵۶۷۸", "الرقم [phone]", {"phone": 1}),
    ],
)
def test_identifying_numbers_are_replaced(
    text: str, expected: str, removed: dict[str, int]
) -> None:
    result = scrub(text)
    assert result.text == expected
    assert result.removed == removed


@pytest.mark.parametrize(
    "text",
    [
        "I paid 50,000 shillings and waited 3 months",
        "Nililipa shilingi 250000 kwa wakala",
        "paid KSh 120000 plus 15000/- for medicals",
        "एजेन्टलाई रु 1,50,000 तिरें",
        "एजेन्टलाई रु १५०००० तिरें",
        "دفعت ٥٠٠٠ ريال",
        "Arrived 12/05/2024, worked 14 hours a day, 2 days off",
        "Good agency, they helped me. No fees!",
        "",
    ],
)
def test_ordinary_text_small_numbers_dates_and_amounts_stay(text: str) -> None:
    result = scrub(text)
    assert result.text == text
    assert result.removed == {}


def test_amounts_too_long_to_be_fees_are_removed() -> None:
    assert scrub("KSh 712345678").text == "KSh [id number]"
    assert scrub("paid 150000").text == "paid [number]"


def test_several_kinds_are_counted() -> None:
    result = scrub("0712345678, 0733345678, x@y.org and https://fb.com/someone")
    assert result.text == "[phone], [phone], [email] and [link]"
    assert result.removed == {"phone": 2, "email": 1, "link": 1}


# Characters people, keyboards and copy-paste put inside a phone number.
SPLITTERS = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width, soft hyphen
    "\u202f", "\u2009", "\u200a", "\u2007", "\u00a0", "\u3000", " ",  # spaces
    "\u2013", "\u2014", "\u2012", "\u2011", "\u2010", "\u2212", "-",  # dashes, minus
    "_", "\u203f", "\u2040", "\ufe4d",  # connectors
    "\u00b7", "\u2027", "\u30fb", "\u2022", ".",  # middle dots
]
PHONES = st.one_of(
    st.from_regex(r"\A07\d{8}\Z"),  # Kenyan mobile
    st.from_regex(r"\A\+2547\d{8}\Z"),
    st.from_regex(r"\A\+974[3-7]\d{7}\Z"),  # Qatar
    st.from_regex(r"\A98\d{8}\Z"),  # Nepali mobile
)
WORDS = st.sampled_from(["call", "agent", "piga", "namba", "फोन", "गर्नु", "اتصل", "on", "ya"])


@st.composite
def split_phone(draw: st.DrawFn) -> tuple[str, str]:
    """(a comment with a phone number split by look-alike separators, the bare digits)."""
    phone = draw(PHONES)
    cuts = sorted(draw(st.sets(st.integers(2, len(phone) - 1), max_size=4)))
    pieces = [phone[a:b] for a, b in zip([0, *cuts], [*cuts, len(phone)], strict=True)]
    glue = [draw(st.text(st.sampled_from(SPLITTERS), min_size=1, max_size=2)) for _ in pieces]
    number = pieces[0] + "".join(g + p for g, p in zip(glue, pieces[1:], strict=False))
    before, after = draw(WORDS), draw(WORDS)
    return f"{before} {number} {after}", phone.lstrip("+")


@given(split_phone())
@settings(max_examples=300)
def test_a_phone_number_split_by_any_separator_is_still_removed(case: tuple[str, str]) -> None:
    comment, digits = case
    result = scrub(comment)
    assert digits not in re.sub(r"\D", "", unicodedata.normalize("NFKC", result.text))
    assert "[phone]" in result.text or "[id number]" in result.text
    assert result.text.split()[0] == comment.split()[0]  # the words around it are kept


@pytest.mark.parametrize(
    "comment",
    [
        "call 0712\u200b345\u200b678", "call 0712\u202f345\u2009678", "call 0712\u2013345\u2013678",
        "call 07\u00ad12\u00ad345\u00ad678", "call 0712_345_678", "call 0712·345·678",
        "call ０７１２３４５６７８", "call +974\u30004493\u20131870",
    ],
)
def test_known_splits_are_caught(comment: str) -> None:
    assert scrub(comment).text == "call [phone]"


def test_amounts_with_thin_spaces_are_still_kept() -> None:
    assert scrub("fee KSh 150\u202f000").text == "fee KSh 150\u202f000"
    assert scrub("write ann_b_c@example.org").text == "write [email]"
