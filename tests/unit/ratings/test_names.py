"""Typed names: scrubbing, refusing a person's name, and the broker chain's threshold."""

from __future__ import annotations

import asyncio
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.web.portal.unlisted import broker_links
from recruiter_reports import publication
from recruiter_reports.names import (
    Broker,
    Cleaned,
    NameKind,
    NameRecord,
    NameStatus,
    Refusal,
    broker_chain,
    broker_key,
    clean_name,
)
from recruiter_reports.reports import Report
from recruiter_reports.stores.memory import MemoryStore


def test_a_phone_number_and_an_email_are_removed_from_a_name() -> None:
    cleaned = clean_name("Blue Sky Manpower 0712 345 678 bluesky@example.com", NameKind.AGENCY)
    assert cleaned == Cleaned("Blue Sky Manpower", 2, False)


def test_words_that_introduce_the_writer_are_refused_in_every_language() -> None:
    for text in ("My name is Amina", "jina langu ni Wanjiru", "mero naam Sita ho",
                 "اسمي فاطمة", "I am Grace"):  # fmt: skip
        assert clean_name(text, NameKind.BROKER) is Refusal.PERSON, text
        assert clean_name(text, NameKind.AGENCY) is Refusal.PERSON, text


def test_a_titled_name_is_a_person_for_an_agency_but_may_be_a_broker() -> None:
    for text in ("Mr John Kamau", "Bw. Otieno", "Mrs. Achieng", "Shri Ram Bahadur"):
        assert clean_name(text, NameKind.AGENCY) is Refusal.PERSON, text
    assert clean_name("Mr John Kamau", NameKind.BROKER) == Cleaned("Mr John Kamau", 0, False)


def test_a_name_without_a_company_word_is_flagged_for_the_moderator_not_refused() -> None:
    flagged = clean_name("Grace Wanjiru", NameKind.AGENCY)
    assert isinstance(flagged, Cleaned) and flagged.maybe_person
    company = clean_name("Grace Wanjiru Recruitment Agency", NameKind.AGENCY)
    assert isinstance(company, Cleaned) and not company.maybe_person
    assert clean_name("नेपाल म्यानपावर", NameKind.AGENCY) == Cleaned("नेपाल म्यानपावर", 0, False)


def test_nothing_but_a_number_is_no_name() -> None:
    assert clean_name("0712 345 678", NameKind.AGENCY) is Refusal.EMPTY
    assert clean_name("   ", NameKind.BROKER) is Refusal.EMPTY


def test_spellings_of_one_broker_share_a_key() -> None:
    assert broker_key("Otieno Office Ltd") == broker_key("otieno  office")


_NAMES = st.sampled_from(["Alpha", "Beta", "Gamma", "Delta", "Epsilon"])


@given(
    counts=st.dictionaries(_NAMES, st.integers(min_value=0, max_value=12), max_size=5),
    statuses=st.dictionaries(_NAMES, st.sampled_from(list(NameStatus)), max_size=5),
    k=st.integers(min_value=3, max_value=8),
)
def test_the_broker_chain_never_shows_a_broker_with_fewer_than_k_reporters(
    counts: dict[str, int], statuses: dict[str, NameStatus], k: int
) -> None:
    keyed = {broker_key(name): count for name, count in counts.items()}
    records = [
        NameRecord(NameKind.BROKER, broker_key(name), "KE",
                   None if status is NameStatus.REJECTED else name, status)
        for name, status in statuses.items()
    ]  # fmt: skip
    chain = broker_chain(keyed, records, k)
    approved = {broker_key(n) for n, s in statuses.items() if s is NameStatus.APPROVED}
    assert all(link.reporters >= k for link in chain)
    assert all(link.key in approved for link in chain)
    assert {link.key for link in chain} == {
        key for key, count in keyed.items() if count >= k and key in approved
    }
    assert [link.reporters for link in chain] == sorted((b.reporters for b in chain), reverse=True)


@settings(max_examples=40, deadline=None)
@given(
    named=st.lists(st.one_of(st.none(), _NAMES), max_size=14),
    approved=st.sets(_NAMES),
    held=st.sets(st.integers(min_value=0, max_value=13)),
)
def test_what_the_portal_reads_from_a_store_keeps_the_threshold(
    named: list[str | None], approved: set[str], held: set[int]
) -> None:
    """End to end over a store: reports naming brokers (some held), some names approved."""
    k = 3

    async def run() -> list[Broker]:
        store = MemoryStore()
        when = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
        for n, broker in enumerate(named):
            report = Report(recruiter_id="KE-EX-KE-0001", origin="KE", broker=broker,
                            created_at=when)  # fmt: skip
            await store.save_report(f"person-{n}", report, held=n in held, reporter_since=when)
        for name in approved:
            await store.moderate_name(NameKind.BROKER, broker_key(name), True)
        published = await publication.refresh(store, "KE-EX-KE-0001", k, when)
        return await broker_links(store, published.brokers, k)

    chain = asyncio.run(run())
    counted = [b for n, b in enumerate(named) if b is not None and n not in held]
    for link in chain:
        assert link.reporters >= k
        assert link.reporters == sum(broker_key(b) == link.key for b in counted)
        assert link.name in approved
