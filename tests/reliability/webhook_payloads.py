"""Hostile variations of real webhook bodies, from one seeded random source.

Each payload starts as a body Telegram or Meta really sends (a message, a
button press, a voice note, a photo, a status, a group message...) and is then
mutated the way broken clients and attackers do: fields dropped or retyped,
huge or negative numbers, lone surrogates, very long strings, deep nesting,
truncated or non-JSON bytes.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from typing import Any

from tests.fakes import TelegramPerson
from tests.fakes.graph_api import message, notification, tap, text
from tests.fakes.telegram_updates import group_message

Json = Any

ODD_VALUES: list[Json] = [
    None, True, 0, -1, 2**63, -(2**63) - 1, 10**30, 1.5, float("1e308"), "", " ", "0",
    "\ud800", "\udfff text", "a\x00b", "🆘" * 50, "ـ" * 300, "x" * 70_000, [], {}, [[]],
    {"id": {"id": 1}}, ["/start"], "/start@other_bot", "9" * 400,
]  # fmt: skip


def telegram_shapes(rng: random.Random) -> list[Json]:
    person = TelegramPerson(rng.randrange(10**5, 10**10), language_code=rng.choice(
        ["en", "sw", "ne", "ar", None, "zz"]))  # fmt: skip
    edited = person.message("hello again")
    edited["edited_message"] = edited.pop("message")
    return [
        person.message(rng.choice(["/start", "/sos", "/rate", "hi", "msaada", "मद्दत", "1"])),
        person.press(rng.choice(["lang:en", "menu", "sos", "nope", "x" * 64])),
        person.voice(), person.photo("caption"), group_message(person, "hi"), edited,
        {"update_id": rng.randrange(10**9), "my_chat_member": {"chat": person.chat}},
        {"update_id": rng.randrange(10**9)},
    ]


def whatsapp_shapes(rng: random.Random, phone_number_id: str) -> list[Json]:
    wa_id = str(rng.randrange(10**11, 10**12))
    revoke = message(wa_id, "unsupported", {})
    revoke["errors"] = [{"code": 131051, "title": "Message type unknown"}]
    shapes = [
        notification(text(wa_id, rng.choice(["hi", "sos", "msaada", "1", "menu"])),
                     phone_number_id=phone_number_id),
        notification(tap(wa_id, rng.choice(["lang:en", "menu", "sos", "bogus"])),
                     phone_number_id=phone_number_id),
        notification(tap(wa_id, "lang:sw", row=True), phone_number_id=phone_number_id),
        notification(message(wa_id, "image", {"id": "1", "mime_type": "image/jpeg"}),
                     phone_number_id=phone_number_id),
        notification(message(wa_id, "audio", {"id": "2", "voice": True}),
                     phone_number_id=phone_number_id),
        notification(message(wa_id, "location", {"latitude": 25.2, "longitude": 51.5}),
                     phone_number_id=phone_number_id),
        notification(message(wa_id, "reaction", {"message_id": "wamid.x", "emoji": "👍"}),
                     phone_number_id=phone_number_id),
        notification(revoke, phone_number_id=phone_number_id),
        notification(statuses=[{"id": "wamid.y", "status": "failed", "recipient_id": wa_id,
                                "errors": [{"code": 131047}]}],
                     phone_number_id=phone_number_id),
        notification(text(wa_id, "other number"), phone_number_id="999"),
    ]  # fmt: skip
    return shapes


def _paths(tree: Json, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if len(prefix) > 12:  # inside a nest this function built itself
        return
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _set(tree: Json, path: tuple[Any, ...], value: Json, *, delete: bool = False) -> None:
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


def mutate(rng: random.Random, body: Json) -> bytes:
    """One hostile variation of ``body``, as the raw bytes of a request."""
    roll = rng.random()
    if roll < 0.04:
        return b"[" * 100_000 + b"]" * 100_000  # nesting far past the recursion limit
    if roll < 0.07:
        raw = json.dumps(body).encode()
        return raw[: rng.randrange(len(raw))]  # cut mid-way
    if roll < 0.09:
        return rng.choice([b"", b"null", b"[]", b"\"text\"", b"\xff\xfe\x00", b"NaN",
                           b"{\"update_id\": 1e999}", b"{\"a\": \"\\ud800\"}"])  # fmt: skip
    tree = copy.deepcopy(body)
    paths = list(_paths(tree))
    for _ in range(rng.randint(1, 3)):
        if not paths:
            break
        path = rng.choice(paths)
        try:
            if rng.random() < 0.25:
                _set(tree, path, None, delete=True)
                paths = list(_paths(tree))
            elif rng.random() < 0.15:
                nested: Json = "deep"
                for _ in range(rng.choice([50, 900, 3000])):
                    nested = {"a": nested}
                _set(tree, path, nested)
                paths = list(_paths(tree))
            else:
                _set(tree, path, copy.deepcopy(rng.choice(ODD_VALUES)))
                paths = list(_paths(tree))
        except (KeyError, IndexError, TypeError):
            paths = list(_paths(tree))
    try:
        return json.dumps(tree).encode("utf-8", "surrogatepass")
    except RecursionError:
        return b"{" + b"\"a\":{" * 5000 + b"}" * 5001


def payloads(
    rng: random.Random, count: int, shapes: Callable[[random.Random], list[Json]]
) -> Iterator[bytes]:
    """``count`` mutated bodies; one in ten is sent unmutated (real traffic in between)."""
    for _ in range(count):
        body = rng.choice(shapes(rng))
        yield json.dumps(body).encode() if rng.random() < 0.1 else mutate(rng, body)
