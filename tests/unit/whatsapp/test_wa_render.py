"""WhatsApp rendering: every body within every limit, no label cut mid-word, all reachable."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.whatsapp.render import Labels, page_token, parse_more, render, render_page
from bot.core.messages import Choice, Outbound
from tests.fakes.graph_api import check_message, shown_choices, shown_text

TO = "254700000001"


def words(text: str) -> list[str]:
    return text.split()


def is_honest_short_form(shown: str, full: str) -> bool:
    """The full label, or whole leading words of it followed by "…"."""
    full = " ".join(full.split())
    if shown == full:
        return True
    if not shown.endswith("…"):
        return False
    head = words(shown[:-1])
    return bool(head) and words(full)[: len(head)] == head and (
        head[-1] == words(full)[len(head) - 1])


def rows_or_buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    interactive = body["interactive"]
    if interactive["type"] == "button":
        return [b["reply"] for b in interactive["action"]["buttons"]]
    return [row for s in interactive["action"]["sections"] for row in s["rows"]]


def all_pages(message: Outbound, labels: Labels) -> list[dict[str, Any]]:
    """The bodies a person sees by tapping "More" until the list ends."""
    bodies = render(message, TO, labels)
    if not bodies:
        return []
    pages = [bodies[-1]]
    while True:
        more = [i for i, _ in shown_choices(pages[-1]) if parse_more(i)]
        if not more:
            return bodies[:-1] + pages
        page, token = parse_more(more[0]) or (0, "")
        assert token == page_token(message.choices)
        pages.append(render_page(message.choices, page, TO, labels))
        assert len(pages) < 50


word = st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x97F),
               min_size=1, max_size=30)
label = st.lists(word, min_size=1, max_size=8).map(" ".join)
icon_label = st.tuples(st.sampled_from(["", "📄 ", "🆘 ", "↩️ "]), label).map("".join)
paragraph = st.lists(word, min_size=1, max_size=120).map(" ".join)
body_text = st.lists(paragraph, min_size=0, max_size=12).map("\n\n".join)
choice_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:-", min_size=1,
                     max_size=40)


@st.composite
def outbounds(draw: st.DrawFn) -> Outbound:
    ids = draw(st.lists(choice_ids, max_size=25, unique=True))
    if draw(st.booleans()) and ids:  # the engine's home and help buttons
        ids = [*ids[:-2], "menu", "sos"] if len(ids) > 2 else ids
    choices = tuple(
        Choice(i, draw(icon_label), draw(st.none() | label)) for i in dict.fromkeys(ids)
    )
    return Outbound(text=draw(body_text), choices=choices)


labels_st = st.builds(Labels, button=label, more=icon_label)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(outbounds(), labels_st)
def test_every_body_fits_every_limit(message: Outbound, labels: Labels) -> None:
    for body in all_pages(message, labels):
        assert check_message(body) == [], body
        assert body["to"] == TO


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(outbounds(), labels_st)
def test_every_choice_is_reachable_and_no_label_is_cut_mid_word(
    message: Outbound, labels: Labels
) -> None:
    bodies = all_pages(message, labels)
    by_id = {c.id: c for c in message.choices}
    reached: set[str] = set()
    for body in bodies:
        if body["type"] != "interactive":
            continue
        for item in rows_or_buttons(body):
            if parse_more(item["id"]):
                continue
            choice = by_id[item["id"]]
            reached.add(choice.id)
            title = item["title"]
            full = choice.label
            if choice.description:
                full = f"{choice.label} · {choice.description}"
            if is_honest_short_form(title, choice.label):
                if title.endswith("…"):  # shortened: the whole label is below it
                    assert is_honest_short_form(item["description"], full)
                elif "description" in item:
                    assert is_honest_short_form(item["description"], choice.description or "")
            else:  # numbered, because its first word alone is too long for a title
                assert title == f"{title[:-1]}." and title[:-1].isdigit(), title
                assert is_honest_short_form(item["description"], full)
    assert reached == set(by_id)


@settings(max_examples=200)
@given(outbounds())
def test_the_text_arrives_whole_and_in_order(message: Outbound) -> None:
    bodies = render(message, TO)
    shown = [w for body in bodies for w in words(shown_text(body))]
    if words(message.text):
        assert shown == words(message.text)
    if message.choices:
        assert bodies[-1]["type"] == "interactive"
        assert all(body["type"] == "text" for body in bodies[:-1])


def test_three_short_choices_are_reply_buttons() -> None:
    message = Outbound("Delete everything?", (Choice("yes", "Yes, delete"),
                                              Choice("no", "No, keep it"),
                                              Choice("sos", "🆘 Help now")))
    [body] = render(message, TO)
    assert body["interactive"]["type"] == "button"
    assert shown_choices(body) == [("yes", "Yes, delete"), ("no", "No, keep it"),
                                   ("sos", "🆘 Help now")]


def test_a_label_too_long_for_a_button_makes_a_list_with_the_label_in_full() -> None:
    long = "Recruitment fees: the law in Qatar"
    message = Outbound("Read next:", (Choice("article:fees:0", long), Choice("menu", "🏠 Menu")))
    [body] = render(message, TO, Labels(button="Chagua"))
    assert body["interactive"]["type"] == "list"
    assert body["interactive"]["action"]["button"] == "Chagua"
    row = body["interactive"]["action"]["sections"][0]["rows"][0]
    assert row == {"id": "article:fees:0", "title": "Recruitment fees: the…", "description": long}


def test_a_single_word_too_long_for_a_title_is_numbered_not_cut() -> None:
    name = "Wafanyakazimajumbanimashirika"  # 29 letters, no space
    others = [Choice(f"c{i}", f"Choice {i}") for i in range(4)]
    [body] = render(Outbound("Pick", (Choice("x", name), *others)), TO)
    row = body["interactive"]["action"]["sections"][0]["rows"][0]
    assert row["title"] == "1." and row["description"] == name


def test_four_to_ten_choices_are_one_list() -> None:
    choices = tuple(Choice(f"c{i}", f"Choice {i}") for i in range(10))
    [body] = render(Outbound("Pick one", choices), TO)
    assert [i for i, _ in shown_choices(body)] == [c.id for c in choices]


def test_more_than_ten_choices_page_with_home_and_help_on_every_page() -> None:
    numbered = [Choice(f"c{i}", f"Choice {i}") for i in range(20)]
    choices = (*numbered, Choice("menu", "🏠 Menu"), Choice("sos", "🆘 Help now"))
    message = Outbound("Pick one", choices)
    labels = Labels(more="More ▶", page=lambda p, n: f"Page {p} of {n}")
    first, second, third = (all_pages(message, labels))
    assert [i for i, _ in shown_choices(first)][:7] == [f"c{i}" for i in range(7)]
    assert shown_choices(first)[7][1] == "More ▶"
    assert [i for i, _ in shown_choices(first)][-2:] == ["menu", "sos"]
    assert shown_text(second) == "Page 2 of 3"
    assert [i for i, _ in shown_choices(third)] == [f"c{i}" for i in range(14, 20)] + [
        "menu", "sos"]
    assert len(shown_choices(second)) == 10


def test_a_stale_more_token_differs_from_the_current_list() -> None:
    a = (Choice("x", "X"), Choice("y", "Y"))
    assert page_token(a) != page_token((Choice("x", "X"), Choice("z", "Z")))
    assert parse_more("wa:more:2:abc") == (2, "abc")
    assert parse_more("article:fees:0") is None and parse_more("wa:more:x:abc") is None


def test_a_long_text_is_split_at_paragraphs_and_the_buttons_come_with_the_last_part() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(12)]  # ~770 chars each
    text = "\n\n".join(p.strip() for p in paragraphs)
    bodies = render(Outbound(text, (Choice("menu", "🏠 Menu"),)), TO)
    assert all(check_message(b) == [] for b in bodies)
    parts = [shown_text(b) for b in bodies]
    assert "\n\n".join(parts) == text  # nothing lost, nothing cut inside a paragraph
    assert all(part.startswith("Paragraph ") for part in parts)
    assert bodies[-1]["type"] == "interactive" and len(parts[-1]) <= 1024
    assert [b["type"] for b in bodies[:-1]] == ["text"] * (len(bodies) - 1)


def test_a_text_without_choices_is_plain_text_up_to_4096() -> None:
    text = "\n\n".join(["x" * 1000] * 9)
    bodies = render(Outbound(text), TO)
    assert [len(shown_text(b)) for b in bodies] == [4006, 4006, 1000]
    assert bodies[0]["text"]["preview_url"] is False
