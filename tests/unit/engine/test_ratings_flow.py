"""Checking and rating an agency, as people meet it, with a fake clock and an in-memory store."""

from __future__ import annotations

import pytest

from bot.content import ContentTree
from bot.core.engine import Engine
from bot.core.messages import Inbound
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.ratings import CONSENT_VERSION
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import ROOT, FakeClock, Person

SUNRISE = "KE-EX-KE-0001"
SAVANNAH = "KE-EX-KE-0002"
JAMBO = "KE-EX-KE-0003"
KEY = b"k" * 32
NOT_YET = (
    "Not enough workers have rated this agency yet. We show the results when at least 5 "
    "workers have rated it."
)
UNTIL = "When at least 5 workers have rated this agency, everyone who checks it sees the totals"
ANSWERS = [
    ("dest", "QA"), ("fee", "b2"), ("receipt", "n"), ("gap", "no-receipt"), ("job", "n"),
    ("contract", "y"), ("passport", "y"), ("orient", "n"), ("rec", "2"), ("broker", "skip"),
]  # fmt: skip


@pytest.fixture
def runner(
    content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock
) -> Runner:
    registries = load_registries(ROOT / "content" / "recruiters")
    engine = Engine(content, catalogs, store, min_reporters=5, clock=clock, registries=registries)
    return Runner(engine, StoreTurns(store), Pseudonymizer(KEY), clock=clock)


async def _english(runner: Runner, user: str) -> Person:
    person = Person(runner, user)
    await person.send("/start")
    await person.tap("lang:en")
    return person


def _pseudonym(user: str) -> str:
    return Pseudonymizer(KEY)("test", user)


async def _find(person: Person, mode: str, query: str = "sunrise") -> None:
    await person.send("/rate" if mode == "rate" else "/check")
    if "Which country is the agency in?" in person.text:
        await person.tap(f"agencies:{mode}:KE")
    await person.send(query)


async def _to_first_question(person: Person) -> None:
    """Find Sunrise to rate it and agree to the rules (the first time)."""
    await _find(person, "rate")
    await person.tap(f"pick:rate:{SUNRISE}")
    await person.tap("consent:yes")


async def _rate(
    person: Person,
    recruiter: str = SUNRISE,
    query: str = "sunrise",
    answers: list[tuple[str, str]] = ANSWERS,
    comment: str | None = None,
) -> None:
    await _find(person, "rate", query)
    await person.tap(f"pick:rate:{recruiter}")
    if "Do you agree?" in person.text:
        await person.tap("consent:yes")
    for step, value in answers:
        await person.tap(f"answer:{step}:{value}")
    if comment is None:
        await person.tap("answer:comment:skip")
    else:
        await person.send(comment)
    await person.tap("answer:send")


async def _check(person: Person, recruiter: str = SUNRISE, query: str = "sunrise") -> str:
    await _find(person, "check", query)
    await person.tap(f"pick:check:{recruiter}")
    return person.text


async def test_search_shows_matches_with_their_licence_status(runner: Runner) -> None:
    person = await _english(runner, "amina")
    await _find(person, "check", "jambo")
    assert "Example Jambo Overseas Employment Agency (⛔ revoked)" in person.labels
    assert "➕ Not in the list" in person.labels
    await person.tap(f"pick:check:{JAMBO}")
    assert "took away this agency's licence" in person.text


async def test_the_home_country_is_asked_once_then_remembered(runner: Runner) -> None:
    person = await _english(runner, "amina")
    await person.send("/check")
    assert "Which country is the agency in?" in person.text
    await person.tap("agencies:check:KE")
    await person.send("/check")
    assert "Type the name of the agency in Kenya" in person.text


async def test_below_the_threshold_the_check_shows_no_numbers_only_how_many_are_needed(
    runner: Runner,
) -> None:
    for n in range(4):
        await _rate(await _english(runner, f"worker{n}"))
    text = await _check(await _english(runner, "reader"))
    assert NOT_YET in text
    assert "more rating" not in text and "4 workers" not in text
    assert "%" not in text
    assert "out of 5" not in text
    assert "4 workers" not in text


async def test_at_the_threshold_the_check_shows_shares_fee_and_recommendation(
    runner: Runner,
) -> None:
    for n in range(5):
        await _rate(await _english(runner, f"worker{n}"))
    text = await _check(await _english(runner, "reader"))
    assert "5 workers rated this agency" in text
    assert "Had their passport taken and kept: 100% said yes (of 5 who answered)" in text
    assert "Got a receipt for the full amount they paid: 0% said yes" in text
    assert "Typical fee paid: KES 10,000 to KES 49,999" in text
    assert "Would recommend it: 2 out of 5" in text
    assert "more rating" not in text


async def test_the_thank_you_reports_back_the_count_and_what_happens_at_the_threshold(
    runner: Runner,
) -> None:
    person = await _english(runner, "amina")
    await _rate(person)
    assert UNTIL in person.text
    assert "1 worker" not in person.text and "more rating" not in person.text


async def test_consent_is_asked_first_and_recorded_with_version_and_time(
    runner: Runner, store: MemoryStore, clock: FakeClock
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate")
    await person.tap(f"pick:rate:{SUNRISE}")
    assert "Your answers are anonymous" in person.text
    assert "/forget" in person.text
    assert "only when 5 or more people rated the agency" in person.text
    await person.tap("consent:yes")
    assert "Question 1 of 11" in person.text
    consent = await store.consent(_pseudonym("amina"))
    assert consent is not None
    assert (consent.version, consent.given_at) == (CONSENT_VERSION, clock())


async def test_declining_consent_ends_politely_and_keeps_nothing(
    runner: Runner, store: MemoryStore
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate")
    await person.tap(f"pick:rate:{SUNRISE}")
    await person.tap("consent:no")
    assert "Nothing was kept" in person.text
    pseudonym = _pseudonym("amina")
    assert await store.consent(pseudonym) is None
    assert await store.reports_of(pseudonym) == []
    state = await store.load_session(pseudonym)
    assert state is not None and "rate" not in state["flow"]
    await person.send("/rate")
    assert "Let us continue" not in person.text


async def test_prefer_not_to_say_on_every_question_stores_no_answers(
    runner: Runner, store: MemoryStore
) -> None:
    person = await _english(runner, "amina")
    skipped = [(step, "skip" if step == "broker" else "-") for step, _ in ANSWERS]
    await _rate(person, answers=skipped)
    assert "Thank you" in person.text
    (stored,) = await store.reports_of(_pseudonym("amina"))
    report = stored.report
    answers = [report.destination, report.fee_band, report.receipt_full_amount,
               report.job_as_promised, report.contract_substituted, report.passport_kept,
               report.orientation, report.recommend, report.comment,
               report.receipt_below_paid, report.broker]  # fmt: skip
    assert answers == [None] * 11


async def test_every_question_offers_prefer_not_to_say(runner: Runner) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    for step, value in ANSWERS[:-1]:
        # The amount on a receipt is something a worker may just not know.
        skip = "🤷 I don't know / skip" if step == "gap" else "🤐 Prefer not to say"
        assert skip in person.labels, person.text
        await person.tap(f"answer:{step}:{value}")
    assert "⏭️ Skip" in person.labels  # the broker's name: typed, or skipped
    await person.tap("answer:broker:skip")
    assert "Skip" in person.text


async def test_paying_nothing_skips_the_receipt_question(runner: Runner) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    await person.tap("answer:dest:QA")
    await person.tap("answer:fee:none")
    assert "were the job and the salary the same" in person.text
    assert "receipt" not in person.text


async def test_the_review_shows_every_answer_and_start_again_clears_them(runner: Runner) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    for step, value in ANSWERS:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    assert "Country of work: Qatar" in person.text
    assert "Passport kept: Yes" in person.text
    assert "Would recommend: 2 out of 5" in person.text
    await person.tap("answer:again")
    assert "Question 1 of 11" in person.text


async def test_a_second_rating_of_the_same_agency_replaces_the_first(
    runner: Runner, store: MemoryStore
) -> None:
    person = await _english(runner, "amina")
    await _rate(person)
    await _find(person, "rate")
    await person.tap(f"pick:rate:{SUNRISE}")
    assert "Your new answers will replace the old ones" in person.text
    for step, value in [*ANSWERS[:-2], ("rec", "5"), ("broker", "skip")]:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    await person.tap("answer:send")
    assert "Your new answers replaced your earlier ones." in person.text
    assert UNTIL in person.text
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert stored.report.recommend == 5


async def test_at_most_three_new_ratings_a_day_but_replacing_one_is_fine(
    runner: Runner, clock: FakeClock
) -> None:
    person = await _english(runner, "amina")
    await _rate(person, SUNRISE, "sunrise")
    await _rate(person, SAVANNAH, "savannah")
    await _rate(person, JAMBO, "jambo")
    await _find(person, "rate", "coast recruiters")
    await person.tap("pick:rate:KE-EX-KE-0004")
    assert "You have sent 3 new ratings today" in person.text
    assert "Question" not in person.text
    await _rate(person, SUNRISE, "sunrise")
    assert "replaced your earlier ones" in person.text
    clock.advance(hours=25)
    await _rate(person, "KE-EX-KE-0004", "coast recruiters")
    assert UNTIL in person.text


async def test_a_burst_from_new_people_is_held_aside_and_not_counted(
    runner: Runner, store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(5):
        await _rate(await _english(runner, f"worker{n}"))
    sixth = await _english(runner, "worker5")
    with caplog.at_level("INFO"):
        await _rate(sixth)
    assert "our team will check them before they are counted" in sixth.text
    assert "Everyone who checks this agency now sees the totals" in sixth.text
    assert "5 workers" not in sixth.text
    assert (await store.summary(SUNRISE)).reporters == 5
    (held,) = await store.held_reports()
    assert held.report.recruiter_id == SUNRISE
    assert "burst of ratings held for review" in caplog.text
    assert _pseudonym("worker5") not in caplog.text


async def test_an_abandoned_draft_expires_after_a_day(
    runner: Runner, store: MemoryStore, clock: FakeClock
) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    await person.tap("answer:dest:QA")
    clock.advance(hours=25)
    await person.tap("answer:fee:b1")
    assert "more than a day old, so we deleted it" in person.text
    await person.send("/rate")
    assert "Let us continue" not in person.text
    assert "Type the name of the agency" in person.text
    assert await store.reports_of(_pseudonym("amina")) == []


async def test_sos_interrupts_the_questionnaire_and_rating_again_resumes_it(
    runner: Runner,
) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    await person.tap("answer:dest:QA")
    await person.tap("answer:fee:b3")
    await person.send("/sos")
    assert "999" in person.text
    await person.send("they took my passport")
    assert "999" in person.text
    await person.send("/rate")
    assert "Let us continue your rating of Example Sunrise Recruitment Agency Ltd" in person.text
    assert "Question 3 of 11" in person.text
    for step, value in ANSWERS[2:]:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    assert "Paid: KES 50,000 to KES 99,999" in person.text


async def test_forget_takes_the_rating_out_of_the_numbers(
    runner: Runner, store: MemoryStore
) -> None:
    people = [await _english(runner, f"worker{n}") for n in range(5)]
    for person in people:
        await _rate(person)
    assert "5 workers rated this agency" in await _check(people[1])
    await people[0].send("/forget")
    await people[0].tap("forget:yes")
    assert await store.reports_of(_pseudonym("worker0")) == []
    assert await store.consent(_pseudonym("worker0")) is None
    text = await _check(people[1])
    assert NOT_YET in text
    assert "%" not in text


async def test_a_comment_is_kept_without_the_phone_number_and_never_shown(
    runner: Runner, store: MemoryStore
) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    for step, value in ANSWERS:
        await person.tap(f"answer:{step}:{value}")
    await person.send("They charged 80,000 shillings. Call me 0712 345 678")
    assert "we removed phone numbers or ID numbers from your comment" in person.text
    assert "345" not in repr(vars(store))  # not even in the draft
    await person.tap("answer:send")
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert stored.report.comment is not None
    assert "80,000" in stored.report.comment
    assert "345" not in stored.report.comment
    assert "345 678" not in repr(vars(store))
    for n in range(4):
        await _rate(await _english(runner, f"worker{n}"))
    assert "80,000 shillings" not in await _check(person)


async def test_an_agency_not_in_the_list_can_be_rated_and_checked(
    runner: Runner, store: MemoryStore
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "rate", "Blue Nile Movers")
    assert "I found no agency like “Blue Nile Movers”" in person.text
    await person.tap("unlisted:rate")
    await person.tap("consent:yes")
    for step, value in ANSWERS:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    await person.tap("answer:send")
    assert UNTIL in person.text
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert "-pending-" in stored.report.recruiter_id
    await _find(person, "check", "blue nile movers")
    await person.tap("unlisted:check")
    # The shipped Kenyan list is example data: missing from it says nothing about a licence.
    assert "This agency is not in this list. It is an example list, not the official" in (
        person.text
    )
    assert "not in the official list of licensed agencies" not in person.text
    assert NOT_YET in person.text and "more rating" not in person.text


async def test_mydata_lists_the_consent_and_the_ratings(runner: Runner) -> None:
    person = await _english(runner, "amina")
    await _rate(person, comment="fees too high")
    await person.send("/mydata")
    assert "You agreed to the rating rules (version 1)" in person.text
    assert "Your rating of Example Sunrise Recruitment Agency Ltd" in person.text
    assert "comment that only our team reads" in person.text


async def test_a_comment_that_describes_an_emergency_opens_sos_and_is_kept(
    runner: Runner, store: MemoryStore
) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    for step, value in ANSWERS:
        await person.tap(f"answer:{step}:{value}")
    await person.send("The agent said they took my passport and I am locked in")
    assert person.replies[0].text.startswith("🆘")
    assert "999" in person.text
    await person.tap("answer:send")
    (stored,) = await store.reports_of(_pseudonym("amina"))
    assert stored.report.comment is not None
    assert "locked in" in stored.report.comment


async def test_a_bare_number_at_the_agency_prompt_is_a_licence_number_not_a_button(
    runner: Runner,
) -> None:
    person = await _english(runner, "amina")
    await _find(person, "check", query="0001")
    assert any(c.id == f"pick:check:{SUNRISE}" for c in person.last.choices)
    assert "🆘 In Qatar" not in person.text


async def test_a_store_failure_mid_rating_loses_nothing_and_asks_to_retry(
    runner: Runner, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await _english(runner, "amina")
    await _to_first_question(person)
    for step, value in ANSWERS:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")

    async def down(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("database stopped")

    monkeypatch.setattr(store, "save_report", down)
    await person.tap("answer:send")
    assert "could not save that just now" in person.text
    assert any(c.id == "answer:send" for c in person.last.choices)
    monkeypatch.undo()
    await person.tap("answer:send")
    assert len(await store.reports_of(_pseudonym("amina"))) == 1


async def test_the_check_says_how_many_paid_a_fee(runner: Runner) -> None:
    for n in range(5):
        await _rate(await _english(runner, f"worker{n}"))
    text = await _check(await _english(runner, "reader"))
    assert "Paid a fee to get the job: 100% said yes (of 5 who answered)" in text


async def test_withdrawing_consent_deletes_the_ratings_and_keeps_the_language(
    runner: Runner, store: MemoryStore
) -> None:
    people = [await _english(runner, f"worker{n}") for n in range(5)]
    for person in people:
        await _rate(person)
    amina = people[0]
    await amina.send("/mydata")
    assert "Withdraw consent" in " ".join(amina.labels)
    await amina.tap("withdraw")
    assert "every rating you made" in amina.text
    await amina.tap("menu")  # "No, keep it"
    assert await store.consent(_pseudonym("worker0")) is not None
    await amina.send("/mydata")
    await amina.tap("withdraw")
    await amina.tap("withdraw:yes")
    assert "Your agreement and your ratings are deleted" in amina.text
    assert await store.reports_of(_pseudonym("worker0")) == []
    assert await store.consent(_pseudonym("worker0")) is None
    assert NOT_YET in await _check(people[1])
    await amina.send("/mydata")
    assert "rating rules" not in amina.text
    assert "Language: English" in amina.text
    assert not any("Withdraw" in label for label in amina.labels)
    # Rating again asks for consent again.
    await _find(amina, "rate")
    await amina.tap(f"pick:rate:{SUNRISE}")
    assert "Do you agree?" in amina.text


async def test_pressing_withdraw_again_on_an_old_message_says_there_is_nothing_left(
    runner: Runner,
) -> None:
    person = await _english(runner, "amina")
    await _rate(person)
    await person.send("/mydata")
    await person.tap("withdraw")
    await person.tap("withdraw:yes")
    # The confirmation is still on screen in the chat app and gets pressed again.
    replies = await runner.handle(Inbound("test", "amina", choice="withdraw:yes"))
    assert "nothing to withdraw" in "\n".join(reply.text for reply in replies)


async def test_the_check_shows_the_last_publication_until_five_more_have_rated(
    runner: Runner, store: MemoryStore, clock: FakeClock
) -> None:
    """Two checks a rating apart must not tell what that one worker answered."""
    for n in range(5):
        await _rate(await _english(runner, f"worker{n}"))
    kept_passport = "Had their passport taken and kept: 100% said yes (of 5 who answered)"
    reader = await _english(runner, "reader")
    assert kept_passport in await _check(reader)
    not_kept = [(step, "n" if step == "passport" else value) for step, value in ANSWERS]
    for n in range(5, 9):
        clock.advance(days=2)  # slowly, so no burst holds them
        await _rate(await _english(runner, f"worker{n}"), answers=not_kept)
        text = await _check(reader)
        assert "5 workers rated this agency" in text and kept_passport in text
    assert (await store.summary(SUNRISE)).reporters == 9
    clock.advance(days=2)
    await _rate(await _english(runner, "worker9"), answers=not_kept)
    text = await _check(reader)
    assert "10 workers rated this agency" in text
    assert "Had their passport taken and kept: 50% said yes (of 10 who answered)" in text


async def test_the_check_shows_the_agencys_approved_reply_with_its_date(
    content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock
) -> None:
    """The right of reply reaches the chat: only the moderated text, never a pending draft."""
    from recruiter_reports.replies import moderated, written
    from recruiter_reports.stores.replies_port import ReplyStore

    replies = store.stakeholders()
    assert isinstance(replies, ReplyStore)
    registries = load_registries(ROOT / "content" / "recruiters")
    engine = Engine(content, catalogs, store, min_reporters=5, clock=clock,
                    registries=registries, replies=replies)  # fmt: skip
    runner = Runner(engine, StoreTurns(store), Pseudonymizer(KEY), clock=clock)
    draft = written(None, SUNRISE, "acct-1", "We now refund every fee charged.", clock())
    await replies.save_reply_record(draft)
    assert "refund" not in await _check(await _english(runner, "early"))
    approved = moderated(draft, approve=True)
    assert approved is not None
    await replies.save_reply_record(approved)
    text = await _check(await _english(runner, "reader"))
    day = clock().date().isoformat()
    assert f"The agency's reply ({day}):\nWe now refund every fee charged." in text
    assert NOT_YET in text  # the figures' rules are untouched by a reply
