"""What a person reads about where a fact comes from: the source's own date, never
"checked" unless a person checked it (``last_verified``)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.content import ContentTree, load_content
from bot.core.engine import Engine
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import FakeClock, Person

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "content"
_CHECKED = re.compile(r"\bchecked\b(?! by a reviewer)", re.IGNORECASE)
"""'checked' as a claim; the review warning ("not been checked by a reviewer") is no claim."""


async def _english(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")


async def _every_card(person: Person, content: ContentTree) -> list[str]:
    """Every contact card of every country, as the help directory shows them."""
    shown = []
    for code in list(content.countries):
        for need in content.site.needs:
            if not content.resources(code, need.id):
                continue
            await person.send("/menu")
            await person.tap("find")
            if f"find:{code}" not in [c.id for c in person.last.choices]:
                continue
            await person.tap(f"find:{code}")
            await person.tap(f"find:{code}:{need.id}")
            shown.append(person.text)
    return shown


async def test_no_contact_card_says_checked_for_a_copied_fact(
    person: Person, content: ContentTree
) -> None:
    await _english(person)
    cards = await _every_card(person, content)
    assert cards
    for text in cards:
        assert not _CHECKED.search(text), text
        assert "source dated" in text or "source undated" in text, text
    assert any("(source dated 2020-03-31)" in text for text in cards)
    assert any("(source undated)" in text for text in cards)
    assert not any("facts sheet" in text.lower() for text in cards)


async def test_article_footer_dates_each_source_and_never_says_checked(
    person: Person, content: ContentTree
) -> None:
    await _english(person)
    everything = [
        article
        for code in content.countries
        for topic in content.site.topics
        for article in content.articles(code, topic.id, "en")
    ]
    read = 0
    for article in everything:
        prefix = f"article:{article.meta.id}:"
        await person.send("/menu")
        await person.send(article.meta.title)
        if f"{prefix}0" not in [c.id for c in person.last.choices]:
            continue
        await person.tap(f"{prefix}0")
        while nexts := [c.id for c in person.last.choices if c.id.startswith(prefix)]:
            await person.tap(nexts[0])
        footer = person.text[person.text.index("Sources:") :]
        assert not _CHECKED.search(footer), footer
        assert "source dated" in footer or "source undated" in footer, footer
        assert "Last updated:" in footer
        read += 1
    assert read >= len(everything) // 2, (read, len(everything))


async def test_a_contact_a_person_checked_says_so(tmp_path: Path) -> None:
    """The fixture's labour office has ``last_verified``: only then does "checked" appear."""
    clock = FakeClock()
    store = MemoryStore(now=clock)
    engine = Engine(
        load_content(FIXTURE), Catalogs.load(Path("locales"), "en"), store, min_reporters=5,
        clock=clock,
    )
    person = Person(Runner(engine, StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock))
    await _english(person)
    await person.tap("find")
    await person.tap("find:QA")
    await person.tap("find:QA:legal")
    assert "Source: Fixture source (source dated 2025-01-15)" in person.text
    assert "Checked by our team on 2025-01-20." in person.text
