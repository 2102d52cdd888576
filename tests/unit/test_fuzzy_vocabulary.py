"""The one vocabulary lookup and the one fold behind both the article search and agency names."""

from __future__ import annotations

from recruiter_reports import matching
from recruiter_reports.fuzzy import EXACT, Vocabulary
from recruiter_reports.textfold import fold

WORDS = ["passport", "passports", "pass", "salary", "sunrise", "my"]


def test_a_known_word_is_exact_and_a_typo_is_close() -> None:
    vocabulary = Vocabulary(WORDS)
    assert vocabulary.similar("passport", cutoff=80, limit=8)["passport"] == EXACT
    found = vocabulary.similar("pasport", cutoff=80, limit=8)
    assert "passport" in found
    assert 80 <= found["passport"] < EXACT
    assert "salary" not in found


def test_short_words_match_only_themselves() -> None:
    vocabulary = Vocabulary(WORDS)
    assert vocabulary.similar("my", cutoff=50, limit=8) == {"my": EXACT}
    assert vocabulary.similar("mu", cutoff=50, limit=8) == {}


def test_prefixes_complete_a_word_when_asked() -> None:
    vocabulary = Vocabulary(WORDS, prefixes=True)
    found = vocabulary.similar("sunr", cutoff=95, limit=8, prefix_score=90.0)
    assert found == {"sunrise": 90.0}
    assert "sunrise" not in Vocabulary(WORDS).similar("sunr", cutoff=95, limit=8)


def test_agency_names_are_folded_like_articles() -> None:
    """Accents, case and punctuation go the same way in a name as in an article."""
    assert matching.name_key("Société Générale Recruitment Ltd.") == fold("societe generale")
    assert matching.licence_key("ex/ke-0001") == "EXKE0001"
    assert fold("À l'aide!") == "a l aide"
