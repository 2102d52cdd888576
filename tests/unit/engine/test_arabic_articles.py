"""Arabic destination articles, as a reader who shows them to an employer meets them."""

from __future__ import annotations

from bot.content import ContentTree, TopicGroup
from bot.content.corridors import corridor_stats

SHOW_THIS = "> اعرض هذا:"


def test_every_qatar_article_is_in_arabic_with_a_show_this_summary(content: ContentTree) -> None:
    english = [
        article
        for topic in content.site.topics
        for article in content.articles("QA", topic.id, "en")
        if article.locale == "en"
    ]
    assert len(english) >= 10
    for original in english:
        arabic = content.article(original.meta.id, "ar")
        assert arabic is not None and arabic.locale == "ar", original.meta.id
        assert arabic.body.lstrip().startswith(SHOW_THIS), original.meta.id
        assert arabic.meta.review_needed, original.meta.id
        assert arabic.meta.sources == original.meta.sources, original.meta.id


def test_qatar_has_the_four_new_topics_in_every_corridor_language(content: ContentTree) -> None:
    for locale in ("en", "sw", "ne", "ar"):
        shown = {t.id for t in content.topics("QA", locale, TopicGroup.RIGHTS)}
        assert {"domestic-workers", "contract", "working-hours", "going-home"} <= shown, locale
        for topic in ("domestic-workers", "contract", "working-hours", "going-home"):
            (article,) = content.articles("QA", topic, locale)
            assert article.locale == locale
            if locale != "en":
                assert article.meta.review_needed


def test_the_kenya_qatar_corridor_now_reads_in_arabic(content: ContentTree) -> None:
    rows = corridor_stats(content.countries.values(), content.all_articles(), content.site.locales)
    arabic = next(r for r in rows if r.corridor == "KE-QA" and r.locale == "ar")
    assert arabic.articles >= 10 and arabic.words > 1000
    assert arabic.review_needed == arabic.articles
