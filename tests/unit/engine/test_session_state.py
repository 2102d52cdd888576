"""The stored form of a conversation: every field kept, nothing shared with the session."""

from __future__ import annotations

import dataclasses

from bot.core.notices import NEUTRAL, notify_neutral
from bot.core.session import STATE_VERSION, Session


def _full() -> Session:
    return Session(
        locale="sw", origin="KE", destination="QA", awaiting="search",
        last=[["guides", "Miongozo"]], flow={"rating": {"answers": {"fee": "b2"}, "step": 3}},
        nav=["menu", "guides"], audio="on", notify=NEUTRAL, marks=[[41, 29_000_000]],
    )  # fmt: skip


def test_every_field_is_stored_and_comes_back() -> None:
    session = _full()
    stored = session.to_dict()
    assert stored == {"v": STATE_VERSION, **dataclasses.asdict(session)}
    assert Session.from_dict(stored) == session


def test_the_stored_form_shares_nothing_with_the_session() -> None:
    session = _full()
    stored = session.to_dict()
    session.flow["rating"]["answers"]["fee"] = "b5"
    session.last[0][1] = "changed"
    session.nav.append("sos")
    assert stored["flow"] == {"rating": {"answers": {"fee": "b2"}, "step": 3}}
    assert stored["last"] == [["guides", "Miongozo"]]
    assert stored["nav"] == ["menu", "guides"]


def test_the_notification_choice_is_read_from_any_stored_state() -> None:
    assert notify_neutral(_full().to_dict())
    assert not notify_neutral(Session(locale="en").to_dict())
    assert not notify_neutral(None)
    assert not notify_neutral({"v": STATE_VERSION + 1, "notify": NEUTRAL})  # another layout
    assert not notify_neutral({"v": STATE_VERSION, "notify": ["neutral"]})  # mistyped
