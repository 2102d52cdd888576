"""Recordings in the content tree: what ``content check`` accepts, refuses and calls stale."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from bot.content import load_content
from bot.content.audio import sos_hash, text_hash
from bot.content.cli import run_check
from bot.content.loader import check_content
from tests.audio_files import STEREO, narrate_article, place

WAGES_SW = "countries/qa/sw/wages/minimum-wage.md"


def _errors(root: Path) -> list[str]:
    return [str(error) for error in check_content(root)]


def test_a_current_article_recording_is_offered_with_its_duration(content_copy: Path) -> None:
    narrate_article(content_copy / WAGES_SW)
    assert _errors(content_copy) == []
    tree = load_content(content_copy)
    article = tree.article("qa-minimum-wage", "sw")
    assert article is not None and article.meta.audio == "draft"
    audio = tree.article_audio(article)
    assert audio is not None and 1.5 < audio.seconds < 2.5 and not audio.stale
    assert audio.path == (content_copy / WAGES_SW).with_suffix(".ogg").resolve()


def test_a_changed_article_makes_its_recording_stale_a_warning_not_offered(
    content_copy: Path,
) -> None:
    narrate_article(content_copy / WAGES_SW)
    article_file = content_copy / WAGES_SW
    article_file.write_text(article_file.read_text(encoding="utf-8") + "\nNew sentence.\n",
                            encoding="utf-8")
    out = io.StringIO()
    assert run_check(content_copy, out, today=dt.date(2025, 6, 1)) == 0
    assert "sw/wages/minimum-wage.ogg:1: warning: stale: the text changed" in out.getvalue()
    tree = load_content(content_copy)
    article = tree.article("qa-minimum-wage", "sw")
    assert article is not None and tree.article_audio(article) is None
    assert [a.stale for a in tree.audio_files] == [True]


def test_front_matter_and_file_must_agree(content_copy: Path) -> None:
    recording = narrate_article(content_copy / WAGES_SW)
    article_file = content_copy / WAGES_SW
    article_file.write_text(article_file.read_text(encoding="utf-8").replace("audio: draft\n", ""),
                            encoding="utf-8")
    assert any("narrates this article: add 'audio: draft'" in e for e in _errors(content_copy))
    recording.unlink()
    text = article_file.read_text(encoding="utf-8").replace("review_needed: true",
                                                             "review_needed: true\naudio: recorded")
    article_file.write_text(text, encoding="utf-8")
    errors = _errors(content_copy)
    assert any("audio: recorded but there is no minimum-wage.ogg beside it" in e for e in errors)
    assert any("minimum-wage.audio.yaml:1: no minimum-wage.ogg beside it" in e for e in errors)


def test_refused_files(content_copy: Path) -> None:
    folder = content_copy / "countries/qa/sw"
    place(folder / "sos.ogg", "0" * 16, audio="draft", source=STEREO)
    narrate_article(content_copy / WAGES_SW).write_bytes(b"not audio at all")
    place(content_copy / "countries/ke/en/sos.ogg", "0" * 16, audio="draft")
    place(content_copy / "prompts/sw/hello.ogg", "0" * 16, audio="draft")
    (content_copy / "prompts/sw/cannot-listen.audio.yaml").write_text("voice: [a, b]\n")
    (content_copy / "prompts/sw/cannot-listen.ogg").write_bytes(b"OggS")
    place(content_copy / "prompts/sw/ask-audio.ogg", "0" * 16, audio="draft")
    (content_copy / "prompts/sw/ask-audio.audio.yaml").write_text("voice: [a, b]\n")
    errors = "\n".join(_errors(content_copy))
    assert "qa/sw/sos.ogg:1: 2 channels: record or encode in mono" in errors
    assert "minimum-wage.ogg:1: not an Ogg Opus file" in errors
    assert "ke/en/sos.ogg:1: an SOS recording belongs to a destination country" in errors
    assert "prompts/sw/hello.ogg:1: no prompt 'hello'" in errors
    assert "prompts/sw/cannot-listen.ogg:1: not an Ogg Opus file" in errors
    assert "ask-audio.audio.yaml:1: voice: Input should be a valid string" in errors
    assert "ask-audio.audio.yaml:1: missing required field 'narrates'" in errors


def test_a_recording_without_its_audio_yaml_is_kept_but_not_offered(content_copy: Path) -> None:
    recording = narrate_article(content_copy / WAGES_SW)
    recording.with_name("minimum-wage.audio.yaml").unlink()
    out = io.StringIO()
    assert run_check(content_copy, out, today=dt.date(2025, 6, 1)) == 0
    assert "minimum-wage.ogg:1: warning: no minimum-wage.audio.yaml beside it" in out.getvalue()
    tree = load_content(content_copy)
    article = tree.article("qa-minimum-wage", "sw")
    assert article is not None and tree.article_audio(article) is None


def test_sos_recording_goes_stale_when_a_number_changes(
    content_copy: Path, rewrite: Callable[[str, str, str], Path]
) -> None:
    tree = load_content(content_copy)
    qatar = tree.country("QA")
    assert qatar is not None
    place(content_copy / "countries/qa/sw/sos.ogg", sos_hash(qatar, "sw", "en"), audio="recorded")
    tree = load_content(content_copy)
    found = tree.sos_audio("QA", "sw")
    assert found is not None and found.kind == "recorded"
    assert tree.sos_audio("QA", "en") is None  # no fallback to another language
    rewrite("countries/qa/country.yaml", 'number: "999"', 'number: "998"')
    assert load_content(content_copy).sos_audio("QA", "sw") is None


def test_a_prompt_knows_whether_it_reads_a_text(content_copy: Path) -> None:
    place(content_copy / "prompts/sw/ask-audio.ogg", text_hash("Ungependa sauti?"), audio="draft")
    found = load_content(content_copy).prompt_audio("ask-audio", "sw")
    assert found is not None
    assert found.narrates_text("Ungependa sauti?\n") and not found.narrates_text("Ungependa?")
