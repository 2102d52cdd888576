"""``/talk`` in the terminal (``python -m bot chat``): who reads it, consent, message, /mydata.

The chat runs as a subprocess on its own SQLite file with a ``CONTACT_KEY``;
afterwards the file holds the case but none of the words written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.settings import load_settings
from bot.web import make_app
from bot.web.portal import PORTAL
from casework.sealing import generate_entry
from recruiter_reports.stakeholders import Role, new_account
from tests.integration.chat.console import ROOT, chat_env, split_replies

FIRST = "Agency in Nairobi took 90000 shillings and the job is not real"


def _chat(lines: list[str], store: Path, **env: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "talker"],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True, text=True, encoding="utf-8",
        env={**chat_env(store), **env}, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    replies = split_replies(done.stdout)[1:]
    assert len(replies) == len(lines), done.stdout
    return replies


def test_talk_in_the_terminal_opens_a_case_and_mydata_lists_it(tmp_path: Path) -> None:
    store = tmp_path / "chat.sqlite3"
    lines = [
        "/start",
        "English",
        "/talk",
        "Qatar",
        "Migrant-Rights.org",
        "Yes, I agree",
        FIRST,
        "No, answer me here",
        "and my passport too",
        "/mydata",
    ]
    replies = _chat(lines, store, CONTACT_KEY=generate_entry("chat"))
    assert "Which country are you in? I will tell you who can read your message." in replies[2]
    assert "Who should read your message?" in replies[3]
    assert "Languages: English" in replies[4] and "Source: " in replies[4]
    assert "has not agreed to read messages from this service yet" in replies[4]
    assert "Do you agree to send them a message?" in replies[4]
    assert "Write your message now" in replies[5]
    assert "Sent to Migrant-Rights.org. Your case number is C-" in replies[6]
    assert "Write here to send them a message." in replies[7]
    assert "✅ Sent to Migrant-Rights.org." in replies[8]
    assert "Case C-" in replies[9] and "with Migrant-Rights.org" in replies[9]
    assert "2 messages, stored encrypted" in replies[9]
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("chat"))
    assert b"90000" not in stored and b"passport" not in stored


def test_without_contact_key_the_terminal_names_the_partner_and_opens_nothing(
    tmp_path: Path,
) -> None:
    store = tmp_path / "chat.sqlite3"
    lines = ["/start", "English", "/talk", "Nepal"]
    replies = _chat(lines, store, CONTACT_KEY="")
    assert "Messages to caseworkers are switched off on this service." in replies[3]
    assert "https://pncc.org.np" in replies[3]  # PNCC's own contact, from its sourced entry


async def test_a_caseworker_s_reply_shows_in_the_terminal_when_the_person_next_writes(
    tmp_path: Path,
) -> None:
    """The try-it-yourself path: a terminal chat and a ``serve`` (portal, API) on one store.

    The server's own delivery loop runs and cannot reach a terminal; the chat
    prints the reply, the "read" notice before it, when the person writes next."""
    store = tmp_path / "chat.sqlite3"
    key = generate_entry("chat")
    env = chat_env(store)
    first = await asyncio.to_thread(_chat, ["/start", "English", "/talk", "Qatar",
                                            "Migrant-Rights.org", "Yes, I agree", FIRST,
                                            "No, answer me here"], store, CONTACT_KEY=key)
    assert "Sent to Migrant-Rights.org. Your case number is C-" in first[6]

    app = await make_app(load_settings(STORE_URL=env["STORE_URL"],
                                       PSEUDONYM_KEY=env["PSEUDONYM_KEY"], CONTACT_KEY=key))
    account, issued = new_account("Noor", Role.CASEWORKER, [], dt.datetime.now(dt.UTC),
                                  app[PORTAL].hasher, partner="migrant-rights")
    await app[PORTAL].stakeholders.add_account(account)
    headers = {"Authorization": f"Bearer {issued.key}"}
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        [case] = (await (await client.get("/api/v1/cases", headers=headers)).json())["cases"]
        assert (await client.get(f"/api/v1/cases/{case['id']}", headers=headers)).status == 200
        answer = await client.post(f"/api/v1/cases/{case['id']}/reply", headers=headers,
                                   json={"text": "We read you. Is your passport with you?"})
        assert answer.status == 202
        await asyncio.sleep(0.5)  # the server's loop tries, finds no terminal, puts it off

        [later] = await asyncio.to_thread(_chat, ["No, the agent has it"], store,
                                          CONTACT_KEY=key)
        shown = (await (await client.get(f"/api/v1/cases/{case['id']}",
                                         headers=headers)).json())["messages"]

    arrived, _, answered = later.partition("✅ Sent")
    assert "(a new message arrived)" in arrived
    assert "Migrant-Rights.org has read your message." in arrived
    assert "Reply from Migrant-Rights.org" in arrived and "Is your passport with you?" in arrived
    assert arrived.index("has read") < arrived.index("Reply from")
    assert "to Migrant-Rights.org." in answered  # their answer went into the case
    assert [m["sender"] for m in shown] == ["worker", "caseworker", "worker"]
    assert shown[-1]["text"] == "No, the agent has it"
    assert shown[1]["delivered_at"] is not None
