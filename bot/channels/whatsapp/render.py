"""``Outbound`` -> Graph API message bodies, every one inside WhatsApp's limits (pure).

- No choices: text messages of at most 4,096 characters, split at paragraph
  boundaries (then lines, then words).
- Up to 3 choices whose labels all fit 20 characters: reply buttons.
- A question of the questionnaire with up to 3 answers (Yes, No, Prefer not
  to say) shows only its answers, as reply buttons: one tap, as on Telegram.
  Back, the menu and the help button stay reachable by typing their word
  (and "sos"), which the message says the first time (``Labels.typed``).
- Otherwise up to 10 choices: a list. A row title holds 24 characters; a
  longer label is shortened at a word boundary with "…" and shown in full in
  the row's description (72). Nothing is ever cut inside a word.
- More than 10 choices: a paged list. Each page shows the next choices, a
  "More" row and, pinned on every page, the way home and the help button. The
  "More" row's id is ``wa:more:<page>:<token>``; the token is a digest of the
  choice ids, so the webhook can rebuild the next page from the engine's
  stored session (which keeps the ids and labels of the last buttons shown)
  and tell a stale "More" from a current one. No list is kept in a process's
  memory, so any worker can serve the next page.
- An interactive body holds 1,024 characters: a longer text goes first as
  text messages and the last part carries the buttons.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.channels.whatsapp.fit import ELLIPSIS, shorten
from bot.core.choice_ids import ANSWER, ANSWER_BACK
from bot.core.context import EXIT, MENU, SOS
from bot.core.messages import Choice, Outbound
from bot.core.textfmt import paginate

TEXT_MAX = 4096
BODY_MAX = 1024
BUTTON_TITLE_MAX = 20
LIST_BUTTON_MAX = 20
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
MAX_BUTTONS = 3
MAX_ROWS = 10
REPLY_ID_MAX = 200
MORE_PREFIX = "wa:more:"

_PINNED = (MENU, SOS)
BACK = ANSWER_BACK
_NAVIGATION = frozenset({BACK, MENU, SOS, EXIT})
ANSWER_PREFIX = f"{ANSWER}:"
_LAST_RESORT_BUTTON = "☰"

Body = dict[str, Any]


def _plain_page(page: int, pages: int) -> str:
    return f"{page}/{pages}"


@dataclass(frozen=True, slots=True)
class Labels:
    """The channel's own words, in the person's language (from the UI catalogs)."""

    button: str = "Choose"
    more: str = "More ▶"
    page: Callable[[int, int], str] = _plain_page
    typed: str | None = None
    """Said under a question shown as answer buttons alone: how to reach Back,
    the menu and help by typing. None once the person has been told."""


def render(message: Outbound, to: str, labels: Labels | None = None) -> list[Body]:
    """The Graph API bodies that show ``message`` to ``to``, in sending order."""
    labels = labels or Labels()
    choices = _unique(message.choices)
    if not choices:
        return [_text(to, part) for part in paginate(message.text, TEXT_MAX) if part]
    leading, body = _split_body(message.text)
    bodies = [_text(to, part) for part in leading]
    body = body or labels.button
    answers = answers_alone(choices)
    if len(choices) <= MAX_BUTTONS and _button_titles(choices) is not None:
        bodies.append(_buttons(to, body, choices))
    elif answers is not None:
        if labels.typed and len(body) + 2 + len(labels.typed) <= BODY_MAX:
            body = f"{body}\n\n{labels.typed}"
        bodies.append(_buttons(to, body, answers))
    elif len(choices) <= MAX_ROWS:
        bodies.append(_list(to, body, _rows(choices), labels))
    else:
        bodies.append(render_page(choices, 0, to, labels, body))
    return bodies


def answers_alone(choices: Sequence[Choice]) -> list[Choice] | None:
    """The answers of a questionnaire question that fit reply buttons without its
    Back, Menu and Help buttons; None for any other set of choices."""
    choices = _unique(choices)
    answers = [c for c in choices if c.id not in _NAVIGATION]
    if len(answers) == len(choices) or not 0 < len(answers) <= MAX_BUTTONS:
        return None
    if not all(c.id.startswith(ANSWER_PREFIX) for c in answers):
        return None
    return answers if _button_titles(answers) is not None else None


def typed_words(choices: Sequence[Choice]) -> dict[str, str]:
    """The word a person types for each navigation button shown, by id ("Back", "Menu")."""
    return {c.id: _word(c.label) for c in choices if c.id in _NAVIGATION}


def _word(label: str) -> str:
    """A label without its icon: what the engine matches when it is typed."""
    return "".join(ch for ch in label if ch.isalnum() or ch.isspace()).strip()


def render_page(
    choices: Sequence[Choice], page: int, to: str, labels: Labels, body: str | None = None
) -> Body:
    """Page ``page`` (0-based) of a long list; later pages say "page/pages" as their body."""
    choices = _unique(choices)
    pinned = [c for c in choices if c.id in _PINNED]
    others = [c for c in choices if c.id not in _PINNED]
    starts = _page_starts(len(others), len(pinned))
    page = max(0, min(page, len(starts) - 1))
    last = page == len(starts) - 1
    end = len(others) if last else starts[page + 1]
    shown = others[starts[page]:end]
    rows = _rows(shown, first_number=starts[page] + 1)
    if not last:
        token = page_token(choices)
        rows.append({"id": f"{MORE_PREFIX}{page + 1}:{token}",
                     "title": shorten(labels.more, ROW_TITLE_MAX) or ELLIPSIS})
    rows.extend(_rows(pinned, first_number=len(others) + 1))
    if body is None:
        body = labels.page(page + 1, len(starts))
    return _list(to, _split_body(body)[1] or labels.button, rows, labels)


def page_token(choices: Sequence[Choice]) -> str:
    """A short digest of the choice ids, to recognise the list a "More" row belongs to."""
    ids = "\n".join(choice.id for choice in _unique(choices))
    return hashlib.sha256(ids.encode()).hexdigest()[:12]


def parse_more(choice_id: str) -> tuple[int, str] | None:
    """(page, token) of a "More" row id, or None for any other id."""
    if not choice_id.startswith(MORE_PREFIX):
        return None
    page, _, token = choice_id.removeprefix(MORE_PREFIX).partition(":")
    if not page.isdigit() or not token:
        return None
    return int(page), token


def _page_starts(count: int, pinned: int) -> list[int]:
    last_room = MAX_ROWS - pinned
    room = last_room - 1  # one row for "More"
    starts = [0]
    while count - starts[-1] > last_room:
        starts.append(starts[-1] + room)
    return starts


def _split_body(text: str) -> tuple[list[str], str]:
    """(text messages to send first, the last part <= 1,024 for the interactive body)."""
    parts = [p for p in paginate(text, TEXT_MAX) if p]
    if not parts:
        return [], ""
    tail = [p for p in paginate(parts.pop(), BODY_MAX) if p]
    return parts + tail[:-1], tail[-1]


def _unique(choices: Sequence[Choice]) -> list[Choice]:
    """WhatsApp refuses two rows with one id; the first of a repeated id wins."""
    seen: set[str] = set()
    kept = []
    for choice in choices:
        if choice.id not in seen and len(choice.id) <= REPLY_ID_MAX:
            seen.add(choice.id)
            kept.append(choice)
    return kept


def _button_titles(choices: Sequence[Choice]) -> list[str] | None:
    titles = [" ".join(c.label.split()) for c in choices]
    if all(0 < len(t) <= BUTTON_TITLE_MAX for t in titles) and len(set(titles)) == len(titles):
        return titles
    return None


def _rows(choices: Sequence[Choice], first_number: int = 1) -> list[Body]:
    return [_row(choice, number) for number, choice in enumerate(choices, first_number)]


def _row(choice: Choice, number: int) -> Body:
    label = " ".join(choice.label.split())
    extra = " ".join((choice.description or "").split())
    title = shorten(label, ROW_TITLE_MAX)
    if title == label:
        description = shorten(extra, ROW_DESCRIPTION_MAX) if extra else None
    else:
        # The title had to be shortened (or numbered): the full label goes below it.
        title = title or f"{number}."
        full = f"{label} · {extra}" if extra else label
        description = shorten(full, ROW_DESCRIPTION_MAX) or shorten(label, ROW_DESCRIPTION_MAX)
        if description is None:  # one "word" longer than 72 characters: nothing else fits
            description = label[: ROW_DESCRIPTION_MAX - 1] + ELLIPSIS
    row: Body = {"id": choice.id, "title": title}
    if description:
        row["description"] = description
    return row


def _envelope(to: str, kind: str) -> Body:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": kind}


def _text(to: str, text: str) -> Body:
    return {**_envelope(to, "text"), "text": {"preview_url": False, "body": text}}


def _buttons(to: str, body: str, choices: Sequence[Choice]) -> Body:
    titles = _button_titles(choices) or []
    buttons = [{"type": "reply", "reply": {"id": c.id, "title": t}}
               for c, t in zip(choices, titles, strict=True)]
    interactive = {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}}
    return {**_envelope(to, "interactive"), "interactive": interactive}


def _list(to: str, body: str, rows: list[Body], labels: Labels) -> Body:
    button = shorten(labels.button, LIST_BUTTON_MAX) or _LAST_RESORT_BUTTON
    interactive = {
        "type": "list",
        "body": {"text": body},
        "action": {"button": button, "sections": [{"rows": rows}]},
    }
    return {**_envelope(to, "interactive"), "interactive": interactive}
