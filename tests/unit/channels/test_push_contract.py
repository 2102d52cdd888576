"""The push contract's plain parts: template settings, languages, Graph code mapping."""

from __future__ import annotations

import pydantic
import pytest

from bot.channels.base import Push, PushResult, PushStatus, Template, TemplatePurpose
from bot.channels.whatsapp.graph import SendResult
from bot.channels.whatsapp.push import status_of
from bot.channels.whatsapp.templates import WhatsAppTemplates, one_line, template_body
from bot.core.messages import Outbound
from bot.settings import load_settings, parse_languages
from bot.web.channel_registry import whatsapp_templates


def test_languages_parse_pairs_and_bare_codes() -> None:
    assert parse_languages("en=en_US, sw=sw,ar") == (("en", "en_US"), ("sw", "sw"), ("ar", "ar"))


@pytest.mark.parametrize("value", ["", " , ", "en=en US", "english=en", "en=e"])
def test_a_malformed_language_list_is_refused_naming_the_entry(value: str) -> None:
    with pytest.raises(ValueError, match="language"):
        parse_languages(value)


def test_settings_refuse_a_bad_template_setting() -> None:
    with pytest.raises(pydantic.ValidationError, match="not a WhatsApp template name"):
        load_settings(WHATSAPP_TEMPLATE_CASE_REPLY="Case Reply!")
    with pytest.raises(pydantic.ValidationError, match="locale=language"):
        load_settings(WHATSAPP_TEMPLATE_LANGUAGES="en:en_US")


def test_settings_reach_the_channel_as_frozen_templates() -> None:
    settings = load_settings(
        WHATSAPP_TEMPLATE_CASE_REPLY=" case_reply_v2 ", WHATSAPP_TEMPLATE_CHECKIN="",
        WHATSAPP_TEMPLATE_LANGUAGES="sw=sw, en=en_GB",
    )
    templates = whatsapp_templates(settings)

    assert templates.name(TemplatePurpose.CASE_REPLY) == "case_reply_v2"
    assert templates.name(TemplatePurpose.CHECKIN) is None, "an empty setting is no template"
    assert templates.language("en-KE") == "en_GB"
    assert templates.language("ne") == "sw", "the first language is the fallback"


def test_default_languages_are_english() -> None:
    assert WhatsAppTemplates().language("ar") == "en"


def test_template_body_is_what_the_cloud_api_reads() -> None:
    body = template_body("254700000000", "case_reply_v1", "sw",
                         Template(TemplatePurpose.CASE_REPLY, ("  Kituo\tcha\n Sheria ",)))

    assert body["type"] == "template"
    assert body["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Kituo cha Sheria"}
    ]
    assert "components" not in template_body("1", "n", "en", Template(TemplatePurpose.CHECKIN))
    assert one_line("x" * 500) == "x" * 200
    assert one_line(" \n ") == "-", "Meta refuses an empty parameter"


@pytest.mark.parametrize(("status", "code", "expected"), [
    (400, 131047, PushStatus.WINDOW_CLOSED),
    (400, 131026, PushStatus.BLOCKED),
    (400, 131050, PushStatus.BLOCKED),
    (429, 130429, PushStatus.RETRY),
    (503, None, PushStatus.RETRY),
    (0, None, PushStatus.RETRY),
    (400, 131049, PushStatus.RETRY),
    (400, 132001, PushStatus.FAILED),
    (401, 190, PushStatus.FAILED),
])
def test_graph_answers_map_to_what_a_loop_must_do(
    status: int, code: int | None, expected: PushStatus
) -> None:
    assert status_of(SendResult(False, status, code)) is expected


def test_results_say_what_to_do_next() -> None:
    assert PushResult(PushStatus.SENT, 2).delivered
    assert PushResult(PushStatus.TEMPLATE_SENT).waiting_for_person
    assert PushResult(PushStatus.RETRY).retryable
    assert not PushResult(PushStatus.NO_TEMPLATE).retryable
    assert not PushResult(PushStatus.BLOCKED).retryable


def test_a_push_never_shows_its_address() -> None:
    push = Push("+254712345678", (Outbound("hi"),), person="p1")
    assert "254712345678" not in repr(push) and "254712345678" not in str(push)
