"""Buttons sent before the ids were renamed still work: a keyboard stays on a phone for weeks.

Each walk is made twice, once tapping today's ids and once tapping the ids the bot sent
before the rename ("g:QA", "ag:r:KE", "q:fee:b2"...), each person with a fresh store; both
must see the same replies and leave the same report behind.
"""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from bot.content import ContentTree
from bot.core import choice_ids
from bot.core.engine import Engine
from bot.core.messages import Choice, Inbound, Outbound
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import ROOT, FakeClock

SUNRISE = "KE-EX-KE-0001"
TYPED = frozenset({"sunrise"})

GUIDE_WALK = [
    ("lang:en", "lang:en"),
    ("guides", "guides"),
    ("guide:QA", "g:QA"),
    ("topic:QA:wages", "t:QA:wages"),
    ("article:qa-minimum-wage:1", "a:qa-minimum-wage:1"),
    ("back:topic:QA:wages", "back:t:QA:wages"),
    ("rights", "rights"),
    ("rights_in:QA", "r:QA"),
]

RATING_WALK = [
    ("lang:en", "lang:en"),
    ("rate", "rate"),
    ("agencies:rate:KE", "ag:r:KE"),
    ("sunrise", "sunrise"),
    (f"pick:rate:{SUNRISE}", f"pick:r:{SUNRISE}"),
    ("consent:yes", "cs:yes"),
    ("answer:dest:QA", "q:dest:QA"),
    ("answer:fee:b2", "q:fee:b2"),
    ("answer:back", "q:back"),
    ("answer:fee:b3", "q:fee:b3"),
    ("answer:receipt:n", "q:receipt:n"),
    ("answer:gap:b1", "q:gap:b1"),
    ("answer:job:n", "q:job:n"),
    ("answer:contract:y", "q:contract:y"),
    ("answer:passport:y", "q:passport:y"),
    ("answer:orient:n", "q:orient:n"),
    ("answer:rec:2", "q:rec:2"),
    ("answer:broker:skip", "q:broker:skip"),
    ("answer:comment:skip", "q:comment:skip"),
    ("answer:send", "q:send"),
    ("check", "check"),
    ("agencies:check:KE", "ag:c:KE"),
    ("sunrise", "sunrise"),
    (f"pick:check:{SUNRISE}", f"pick:c:{SUNRISE}"),
    ("unlisted:check", "nl:c"),
]


def _runner(content: ContentTree, catalogs: Catalogs, store: MemoryStore) -> Runner:
    clock = FakeClock()
    registries = load_registries(ROOT / "content" / "recruiters")
    engine = Engine(content, catalogs, store, min_reporters=5, clock=clock, registries=registries)
    return Runner(engine, StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)


async def _walk(runner: Runner, taps: list[str]) -> list[list[Outbound]]:
    """Each step is a button id, except an agency's name, which is typed."""
    seen = [await runner.handle(Inbound("test", "amina", text="/start"))]
    for tap in taps:
        typed = tap in TYPED
        text, choice = (tap, None) if typed else (None, tap)
        inbound = Inbound("test", "amina", text=text, choice=choice)
        seen.append(await runner.handle(inbound))
    return seen


def _texts(replies: list[list[Outbound]]) -> list[list[str]]:
    return [[reply.text for reply in turn] for turn in replies]


async def test_a_guide_walk_with_old_ids_reads_the_same_pages(
    content: ContentTree, catalogs: Catalogs
) -> None:
    new = await _walk(_runner(content, catalogs, MemoryStore()), [n for n, _ in GUIDE_WALK])
    old = await _walk(_runner(content, catalogs, MemoryStore()), [o for _, o in GUIDE_WALK])
    assert _texts(old) == _texts(new)
    assert "Page 2 of" in new[5][0].text
    assert all("no longer works" not in text for turn in _texts(old) for text in turn)


async def test_a_rating_with_old_ids_is_sent_and_counted_like_a_new_one(
    content: ContentTree, catalogs: Catalogs
) -> None:
    new_store, old_store = MemoryStore(), MemoryStore()
    new = await _walk(_runner(content, catalogs, new_store), [n for n, _ in RATING_WALK])
    old = await _walk(_runner(content, catalogs, old_store), [o for _, o in RATING_WALK])
    assert _texts(old) == _texts(new)
    assert all("no longer works" not in text for turn in _texts(old) for text in turn)
    sent = "\n".join(reply.text for reply in new[20])
    assert "Thank you" in sent
    pseudonym = Pseudonymizer(b"k" * 32)("test", "amina")
    new_reports = [kept.report for kept in await new_store.reports_of(pseudonym)]
    old_reports = [kept.report for kept in await old_store.reports_of(pseudonym)]
    assert len(new_reports) == 1
    assert old_reports == new_reports


async def test_the_buttons_shown_today_carry_no_old_id(
    content: ContentTree, catalogs: Catalogs
) -> None:
    seen = await _walk(_runner(content, catalogs, MemoryStore()), [n for n, _ in RATING_WALK])
    shown = [c.id for turn in seen for reply in turn for c in reply.choices]
    assert all(choice_ids.current(i) == i for i in shown)
    assert all(i.split(":")[0] not in choice_ids.RENAMED_ROUTES for i in shown)


def test_every_old_route_name_maps_to_a_route_the_engine_has(
    content: ContentTree, catalogs: Catalogs
) -> None:
    engine = Engine(content, catalogs, MemoryStore())
    for old, new in choice_ids.RENAMED_ROUTES.items():
        assert new in engine._routes, new
        assert old not in engine._routes, old


_SLUG = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=40)
_RECRUITER = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=40)


@given(slug=_SLUG, recruiter=_RECRUITER, page=st.integers(0, 99))
def test_the_longest_ids_fit_telegram_callback_data(slug: str, recruiter: str, page: int) -> None:
    """Content slugs and recruiter ids are at most 40 characters: every id built from them,
    Back buttons included, stays within Telegram's 64 bytes (``Choice`` refuses longer)."""
    for choice_id in (
        f"back:article:{slug}:{page}",
        f"back:topic:QA:{slug}",
        f"pick:check:{recruiter}",
        f"find:QA:{slug}",
    ):
        assert len(Choice(choice_id, "x").id.encode()) <= 64
