"""Article Markdown reaches Telegram as the author wrote the words: addresses intact."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.e2e.telegram.conftest import StartServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson

FORM = "https://www.example.gov.qa/labour_complaints/wage_claim_form_v2.pdf"
MAIL = "wage_help_desk@example.org"


def content_with_links(tmp_path: Path) -> Path:
    """The real content tree, with a paragraph of underscored addresses atop Qatar's wages guide."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    article = content / "countries/qa/en/wages/minimum-wage.md"
    _, front, body = article.read_text(encoding="utf-8").split("---", 2)
    added = (
        f"Claim form: [the wage claim form]({FORM}), or write to {MAIL}. "
        "Overtime for 2*3*4 hours is paid extra.\n\n"
    )
    article.write_text(f"---{front}---\n\n{added}{body.lstrip()}", encoding="utf-8")
    return content


async def test_a_link_with_underscores_survives_into_the_telegram_message(
    tmp_path: Path, telegram_api: FakeTelegramAPI, start_server: StartServer
) -> None:
    settings = bot_settings(tmp_path, telegram_api, CONTENT_DIR=content_with_links(tmp_path))
    server = await start_server(settings)
    person = TelegramPerson(402_117_601, language_code="en")
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    await server.post_update(person.press(telegram_api.button("📖")))
    await server.post_update(person.press(telegram_api.button("Qatar")))
    before = len(telegram_api.calls_to("sendMessage"))
    await server.post_update(person.press(telegram_api.button("Wages")))

    article = "\n".join(telegram_api.sent_texts()[before:])
    assert f"the wage claim form ({FORM})" in article
    assert MAIL in article
    assert "2*3*4 hours" in article
    assert all("parse_mode" not in sent for sent in telegram_api.calls_to("sendMessage"))
