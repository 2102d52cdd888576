"""The fixture tree loads and answers what the menus ask."""

from __future__ import annotations

from bot.content import ContentTree, TopicGroup
from bot.content.models import ResourceKind


def test_fixture_tree_loads_every_file(tree: ContentTree) -> None:
    assert tree.default_locale == "en"
    assert sorted(tree.countries) == ["KE", "NP", "QA"]
    assert tree.site.locales == ["en", "sw", "ne"]
    assert "sw" in tree.emergency.triggers


def test_text_prefers_locale_then_default_then_any(tree: ContentTree) -> None:
    assert tree.text({"en": "Qatar", "sw": "Katari"}, "sw") == "Katari"
    assert tree.text({"en": "Qatar", "sw": "Katari"}, "ne") == "Qatar"
    assert tree.text({"ne": "नेपाल"}, "sw") == "नेपाल"
    assert tree.text({}, "sw") == ""


def test_destinations_and_origins_are_ordered_by_code(tree: ContentTree) -> None:
    assert [c.code for c in tree.destinations()] == ["QA"]
    assert [c.code for c in tree.origins()] == ["KE", "NP"]


def test_country_lookup_ignores_case(tree: ContentTree) -> None:
    qatar = tree.country("qa")
    assert qatar is not None and qatar.code == "QA"
    assert qatar.emergency[0].number == "999"
    assert tree.country("Ke") is tree.country("KE")
    assert tree.country("zz") is None


def test_topic_lookup(tree: ContentTree) -> None:
    wages = tree.topic("wages")
    assert wages is not None and wages.group is TopicGroup.RIGHTS
    assert tree.topic("nope") is None


def test_topics_only_those_with_articles_in_site_order(tree: ContentTree) -> None:
    assert [t.id for t in tree.topics("QA", "en")] == ["wages", "documents"]
    assert [t.id for t in tree.topics("qa", "sw", TopicGroup.RIGHTS)] == ["wages", "documents"]
    assert tree.topics("QA", "en", TopicGroup.GUIDE) == []
    assert [t.id for t in tree.topics("KE", "ne")] == ["before-you-go"]
    assert tree.topics("NP", "en") == []


def test_articles_mix_translations_with_untranslated_originals(tree: ContentTree) -> None:
    sw = tree.articles("QA", "wages", "sw")
    assert [(a.meta.id, a.locale) for a in sw] == [
        ("qa-minimum-wage", "sw"),  # "Kima cha chini..."
        ("qa-late-salary", "en"),  # "When your salary is late": no Swahili yet
    ]
    en = tree.articles("QA", "wages", "en")
    assert [a.meta.title for a in en] == ["The minimum wage", "When your salary is late"]
    assert all(a.locale == "en" for a in en)


def test_article_falls_back_to_default_locale(tree: ContentTree) -> None:
    ne = tree.article("qa-passport", "ne")
    assert ne is not None and ne.locale == "ne" and ne.meta.title.startswith("तपाईंको")
    fallback = tree.article("qa-late-salary", "ne")
    assert fallback is not None and fallback.locale == "en"
    assert fallback.country == "QA" and fallback.topic == "wages" and fallback.slug == "late-salary"
    assert fallback.path == "content/countries/qa/en/wages/late-salary.md"
    assert "bank account" in fallback.body
    assert tree.article("no-such-article", "en") is None


def test_resources_filtered_by_need_and_origin(tree: ContentTree) -> None:
    assert [r.id for r in tree.resources("qa")] == [
        "qa-police",
        "ke-embassy-doha",
        "np-embassy-doha",
        "labour-complaints",
        "ke-community-shelter",
    ]
    assert [r.id for r in tree.resources("QA", need="emergency")] == [
        "qa-police",
        "ke-embassy-doha",
    ]
    assert [r.id for r in tree.resources("QA", origin="NP")] == [
        "qa-police",
        "np-embassy-doha",
        "labour-complaints",
    ]
    assert [r.id for r in tree.resources("QA", need="shelter", origin="np")] == []
    assert [r.id for r in tree.resources("QA", need="shelter", origin="KE")] == [
        "ke-community-shelter"
    ]
    assert tree.resources("NP") == []


def test_embassies_of_a_destination(tree: ContentTree) -> None:
    everyone = tree.embassies("QA", None)
    assert [r.id for r in everyone] == ["ke-embassy-doha", "np-embassy-doha"]
    assert all(r.kind is ResourceKind.EMBASSY for r in everyone)
    assert [r.id for r in tree.embassies("qa", "ke")] == ["ke-embassy-doha"]
    assert tree.embassies("QA", "PH") == []
    assert tree.embassies("KE", None) == []
