"""The chat side of typed names: unlisted agencies, licence numbers, brokers, the receipt gap."""

from __future__ import annotations

from bot.core.runner import Runner
from recruiter_reports.names import NameKind, NameStatus, broker_key
from recruiter_reports.registry import pending_recruiter_id
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.test_ratings_flow import (  # noqa: F401
    ANSWERS,
    SUNRISE,
    _english,
    _find,
    _pseudonym,
    runner,
)

BLUE = pending_recruiter_id("KE", "Blue Sky Manpower")


async def _answer_all(person, answers=ANSWERS) -> None:  # type: ignore[no-untyped-def]
    if "Do you agree?" in person.text:
        await person.tap("consent:yes")
    for step, value in answers:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    await person.tap("answer:send")


async def test_a_typed_unlisted_name_is_kept_scrubbed_and_waits_for_a_moderator(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate", "Blue Sky Manpower 0712 345 678")
    assert "I found no agency like" in person.text
    await person.tap("unlisted:rate")
    assert "Question 1 of 11" in person.text or "Do you agree?" in person.text
    await _answer_all(person)
    assert "Thank you" in person.text
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert (stored.report.recruiter_id, stored.report.agency_name) == (BLUE, "Blue Sky Manpower")
    (record,) = await store.name_records(NameKind.AGENCY)
    assert (record.text, record.status) == ("Blue Sky Manpower", NameStatus.PENDING)
    await person.send("/mydata")
    assert "an agency that is not in the list (“Blue Sky Manpower”)" in person.text
    # Not approved yet: another worker's search does not show the typed name.
    other = await _english(runner, "baraka")
    await _find(other, "check", "blue sky")
    assert not any("Blue Sky" in label for label in other.labels)


async def test_a_persons_name_is_refused_and_nothing_is_kept(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate", "Mr John Kamau")
    await person.tap("unlisted:rate")
    assert "This looks like a person's name" in person.text
    assert "🔁 Search again" in person.labels and "🆘 Help now" in person.labels
    await person.send("Kamau Travel Agency")  # the question is open again: a name is taken
    await person.tap("unlisted:rate")
    await _answer_all(person)
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert stored.report.agency_name == "Kamau Travel Agency"
    assert [r.text for r in await store.name_records(NameKind.AGENCY)] == ["Kamau Travel Agency"]


async def test_a_licence_number_then_not_in_the_list_finds_the_listed_agency(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate", "EX-KE-0001")
    await person.tap("unlisted:rate")
    assert "Licence number EX-KE-0001 is in the list" in person.text
    await _answer_all(person)
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert stored.report.recruiter_id == SUNRISE
    assert await store.name_records(NameKind.AGENCY) == []


async def test_an_unknown_number_is_not_taken_for_a_name(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate", "KE/0999/2031")
    await person.tap("unlisted:rate")
    assert "I found no agency with this number" in person.text
    assert "please type its name" in person.text
    assert "Question 1" not in person.text
    assert await store.name_records(NameKind.AGENCY) == []


async def test_an_approved_unlisted_agency_is_found_by_name_and_marked_not_listed(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    for user in ("w1", "w2"):
        person = await _english(runner, user)
        await _find(person, "rate", "Blue Sky Manpower")
        await person.tap("unlisted:rate")
        await _answer_all(person)
    assert await store.moderate_name(NameKind.AGENCY, BLUE, True)
    checker = await _english(runner, "baraka")
    await _find(checker, "check", "blue sky")
    assert "Blue Sky Manpower (❔ not in the list)" in checker.labels
    await checker.tap(f"pick:check:{BLUE}")
    assert "This agency is not in" in checker.text
    assert f"pick:rate:{BLUE}" in [c.id for c in checker.last.choices]
    # Rating it from there rates the same agency, under the approved name.
    await checker.tap(f"pick:rate:{BLUE}")
    await _answer_all(checker)
    assert (await store.summary(BLUE)).reporters == 3


async def test_a_spelling_linked_to_the_registry_is_rated_as_that_agency(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    first = await _english(runner, "w1")
    await _find(first, "rate", "Blue Sky Manpower")
    await first.tap("unlisted:rate")
    await _answer_all(first)
    assert await store.merge_agency(BLUE, SUNRISE) == 1
    later = await _english(runner, "w2")
    await _find(later, "rate", "Blue Sky Manpower")
    await later.tap("unlisted:rate")
    assert "Example Sunrise Recruitment Agency Ltd" in later.text
    await _answer_all(later)
    (stored,) = await store.reports_of(_pseudonym("w2"))
    assert stored.report.recruiter_id == SUNRISE
    assert (await store.summary(SUNRISE)).reporters == 2


async def test_a_full_receipt_answers_the_receipt_gap_and_a_broker_is_typed(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate")
    await person.tap(f"pick:rate:{SUNRISE}")
    await person.tap("consent:yes")
    for step, value in [("dest", "QA"), ("fee", "b2")]:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:receipt:y")
    assert "were the job and the salary the same" in person.text  # the gap was not asked
    for step, value in [("job", "n"), ("contract", "y"), ("passport", "y"), ("orient", "n"),
                        ("rec", "2")]:  # fmt: skip
        await person.tap(f"answer:{step}:{value}")
    assert "sub-agent or broker" in person.text
    await person.send("my name is Amina Otieno")
    assert "please do not write your own name" in person.text
    assert "sub-agent or broker" in person.text
    await person.send("Mr. Otieno Office +254 712 345 678")
    await person.tap("answer:comment:skip")
    assert "🤝 Sub-agent or broker: Mr. Otieno Office" in person.text
    assert "🧾 Amount on the receipt: KES 10,000 to KES 49,999" in person.text
    await person.tap("answer:send")
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert stored.report.broker == "Mr. Otieno Office"
    assert stored.report.receipt_band == "b2"  # a full receipt shows what was paid
    assert stored.report.answer("receipt_below_paid") is False
    assert stored.report.answer("no_receipt") is False
    assert await store.broker_counts(SUNRISE) == {broker_key("Mr. Otieno Office"): 1}
    await person.send("/mydata")
    assert "It names the sub-agent or broker “Mr. Otieno Office”." in person.text


async def test_a_receipt_for_less_is_asked_and_counted(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate")
    await person.tap(f"pick:rate:{SUNRISE}")
    await person.tap("consent:yes")
    await person.tap("answer:dest:QA")
    await person.tap("answer:fee:b3")
    await person.tap("answer:receipt:n")
    assert "What amount is written on your receipt?" in person.text
    await person.tap("answer:gap:b1")
    await _answer_all(person, ANSWERS[4:])
    summary = await store.summary(SUNRISE)
    assert (summary.indicators["receipt_below_paid"].yes,
            summary.indicators["receipt_below_paid"].no) == (1, 0)  # fmt: skip
