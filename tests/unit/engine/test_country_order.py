"""Country lists read the same on every screen and every visit: destinations first, by name."""

from __future__ import annotations

from bot.content import ContentTree
from tests.unit.engine.conftest import Person


def _countries(person: Person, prefix: str) -> list[str]:
    return [c.id.removeprefix(prefix + ":") for c in person.last.choices
            if c.id.startswith(prefix + ":")]


async def test_the_guide_countries_keep_their_order_after_a_choice(
    person: Person, content: ContentTree
) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.tap("guides")
    before = _countries(person, "guide")
    destinations = {c.code for c in content.destinations()}
    names = {c.code: c.names["en"] for c in content.countries.values()}
    first = [code for code in before if code in destinations]
    assert before[: len(first)] == first  # destinations before origins
    assert first == sorted(first, key=lambda code: names[code].casefold())
    rest = before[len(first):]
    assert rest == sorted(rest, key=lambda code: names[code].casefold())

    for code in (before[-1], before[0]):  # read a guide, come back: the same list
        await person.tap(f"guide:{code}")
        await person.tap("menu")
        await person.tap("guides")
        assert _countries(person, "guide") == before
    await person.send("/rate")  # origins in the rating flow follow the same rule
    origins = _countries(person, "agencies:rate")
    if origins:
        assert origins == sorted(origins, key=lambda code: names[code].casefold())
