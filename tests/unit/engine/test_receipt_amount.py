"""The amount written on the receipt, asked in the origin's bands and currency, and the receipt
gap worked out from it (``recruiter_reports.receipts``)."""

from __future__ import annotations

from bot.core.messages import Inbound
from bot.core.runner import Runner
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import Person
from tests.unit.engine.test_ratings_flow import (  # noqa: F401
    ANSWERS,
    SUNRISE,
    _check,
    _english,
    _pseudonym,
    runner,
)

HIMALAYAN = "NP-EX-NP-0001"
REST = [step for step in ANSWERS if step[0] not in ("dest", "fee", "receipt", "gap")]


async def _to_receipt_amount(person: Person, origin: str, query: str, rid: str,
                             fee: str) -> list[str]:  # fmt: skip
    """Rate ``rid`` up to the receipt's amount; the labels the fee question offered."""
    await person.send("/rate")
    await person.tap(f"agencies:rate:{origin}")
    await person.send(query)
    await person.tap(f"pick:rate:{rid}")
    await person.tap("consent:yes")
    await person.tap("answer:dest:QA")
    fee_labels = person.labels
    await person.tap(f"answer:fee:{fee}")
    await person.tap("answer:receipt:n")
    return fee_labels


async def _finish(person: Person) -> None:
    for step, value in REST:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")


async def test_a_kenyan_worker_is_asked_the_receipt_amount_in_kenyan_shillings(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    fee_labels = await _to_receipt_amount(person, "KE", "sunrise", SUNRISE, fee="b3")
    assert "What amount is written on your receipt?" in person.text
    assert person.labels[:8] == [
        "Less than KES 10,000", "KES 10,000–49,999", "KES 50,000–99,999",
        "KES 100,000–199,999", "KES 200,000 or more",
        "🚫 I got no receipt", "🤷 I don't know / skip", "⬅️ Back",
    ]  # fmt: skip
    # The same bands, in the same words, as the fee question (nothing paid aside).
    assert fee_labels[1:6] == person.labels[:5] and fee_labels[0] == "I paid nothing"
    await person.tap("answer:gap:b2")
    await _finish(person)
    assert "🧾 Amount on the receipt: KES 10,000 to KES 49,999" in person.text
    await person.tap("answer:send")
    (stored,) = await store.reports_of(_pseudonym("amina"))
    report = stored.report
    assert (report.fee_band, report.receipt_band) == ("b3", "b2")
    assert report.answer("receipt_below_paid") is True
    assert report.answer("no_receipt") is False


async def test_a_nepali_worker_is_asked_the_receipt_amount_in_nepali_rupees(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "sita")
    await _to_receipt_amount(person, "NP", "himalayan", HIMALAYAN, fee="b2")
    assert "What amount is written on your receipt?" in person.text
    assert person.labels[:5] == [
        "Up to NPR 10,000", "NPR 10,001–49,999", "NPR 50,000–99,999",
        "NPR 100,000–199,999", "NPR 200,000 or more",
    ]  # fmt: skip
    assert not any("KES" in label for label in person.labels)
    await person.tap("answer:gap:no-receipt")
    await _finish(person)
    assert "🧾 Amount on the receipt: I got no receipt" in person.text
    await person.tap("answer:send")
    (stored,) = await store.reports_of(_pseudonym("sita"))
    report = stored.report
    assert report.receipt_band == "no-receipt"
    assert (report.answer("no_receipt"), report.answer("receipt_below_paid")) == (True, False)


async def test_i_dont_know_skips_the_amount_and_stores_no_answer(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _to_receipt_amount(person, "KE", "sunrise", SUNRISE, fee="b3")
    await person.tap("answer:gap:-")
    assert "were the job and the salary the same" in person.text  # the next question
    await _finish(person)
    assert "🧾 Amount on the receipt: I don't know" in person.text
    await person.tap("answer:send")
    (stored,) = await store.reports_of(_pseudonym("amina"))
    report = stored.report
    assert report.receipt_band is None
    assert (report.answer("receipt_below_paid"), report.answer("no_receipt")) == (None, None)


async def test_the_same_band_on_a_receipt_not_for_the_full_amount_is_a_gap(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _to_receipt_amount(person, "KE", "sunrise", SUNRISE, fee="b3")
    await person.tap("answer:gap:b3")
    await _finish(person)
    await person.tap("answer:send")
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert stored.report.answer("receipt_below_paid") is True


async def test_back_from_the_amount_asks_the_receipt_again_and_an_old_yes_no_button_is_refused(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    person = await _english(runner, "amina")
    await _to_receipt_amount(person, "KE", "sunrise", SUNRISE, fee="b3")
    # A yes/no button of the question this one replaced (still on a phone) changes
    # nothing: the amount is asked again.
    person.replies = await runner.handle(Inbound("test", person.user, choice="answer:gap:y"))
    assert "What amount is written on your receipt?" in person.text
    await person.tap("answer:back")
    assert "receipt for the full amount" in person.text
    await person.tap("answer:receipt:y")
    assert "were the job and the salary the same" in person.text  # the amount is known
    await _finish(person)
    assert "🧾 Amount on the receipt: KES 50,000 to KES 99,999" in person.text



async def test_the_check_screen_gives_the_receipt_gap_and_no_receipt(
    runner: Runner, store: MemoryStore  # noqa: F811
) -> None:
    for n, band in enumerate(["b1", "b1", "b2", "no-receipt", "b3"]):
        person = await _english(runner, f"worker{n}")
        await _to_receipt_amount(person, "KE", "sunrise", SUNRISE, fee="b3")
        await person.tap(f"answer:gap:{band}")
        await _finish(person)
        await person.tap("answer:send")
    text = await _check(await _english(runner, "reader"))
    assert "🧾 Got a receipt showing less than they paid: 80% said yes (of 5 who answered)" in text
    assert "🚫 Got no receipt for what they paid: 20% said yes (of 5 who answered)" in text
