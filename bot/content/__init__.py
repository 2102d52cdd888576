"""The content tree: guides, help directory and emergency triggers, checked and indexed.

``load_content`` gives the engine a ``ContentTree``; ``check_content`` gives
editors every problem as ``path:line: message``.
"""

from bot.content.errors import ContentError, ContentInvalid
from bot.content.loader import check_content, load_content
from bot.content.models import (
    Article,
    ArticleMeta,
    Country,
    CountryRole,
    Emergency,
    Need,
    Resource,
    ResourceKind,
    Site,
    Topic,
    TopicGroup,
)
from bot.content.search import SearchHit
from bot.content.stats import ContentStats, Coverage
from bot.content.tree import ContentTree

__all__ = [
    "Article",
    "ArticleMeta",
    "ContentError",
    "ContentInvalid",
    "ContentStats",
    "ContentTree",
    "Country",
    "CountryRole",
    "Coverage",
    "Emergency",
    "Need",
    "Resource",
    "ResourceKind",
    "SearchHit",
    "Site",
    "Topic",
    "TopicGroup",
    "check_content",
    "load_content",
]
