"""An article or a resource note may only show a phone number that a sourced entry carries.

People call the numbers the bot shows them, sometimes from a locked room. A number
typed into an article body (or a resource's notes) by hand has no source of its own
and escapes the checks on ``resources.yaml`` and ``country.yaml``. So the allow-list
is built from the tree itself: the ``phones``, ``whatsapp`` and ``sms`` of every
resource and the ``emergency`` numbers of every country (each of which must carry a
source), and every phone-like number elsewhere must be one of them.

What counts as phone-like, in any script (Devanagari and Arabic-Indic digits are read
as their values):

- a number written with ``+`` in front, or of 7 digits or more (alone or in groups
  joined by spaces or hyphens), not a date and not an amount with thousands commas;
- a short code of 3 to 6 digits written right after a word for calling ("call",
  "hotline", "piga", "फोन", "اتصل" ...) or in bold like ``**999**``, unless it is a
  law's number ("No. 346 of 2022", "رقم 346 لسنة 2022").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from bot.content.scan import Scan, scan

CONTENT = Path(__file__).resolve().parents[3] / "content"

_LONG = re.compile(r"(?<!\d)(?<!\d[,.:/])(\+?\d[\d \-]{5,}\d)(?!\d|[,.:/]\d|%)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_SHORT = re.compile(r"(?<!\d)(?<!\d[,.:/\-])(\d{3,6})(?!\d|[,.:/\-]\d|%)")
_CALL_WORDS = (
    r"call|dial|phone|ring|hotline|helpline|toll-free|line|sms|whatsapp|number|on|"
    r"piga|simu|namba|bure|"
    r"फोन|कल|नम्बर|नंबर|हटलाइन|टोल-फ्री|"
    r"اتصل|اتصلي|اتصلوا|الاتصال|رقم|الرقم|بالرقم|على|هاتف|الهاتف|الخط|المجاني|واتساب"
)
_CALLED = re.compile(rf"(?:\b|^)(?:{_CALL_WORDS})\W{{0,4}}$", re.IGNORECASE)
_CALLED_AFTER = re.compile(r"^\s*(?:मा\s*(?:फोन|कल|SMS)|पर\s*फोन)", re.IGNORECASE)
_LAW_AFTER = re.compile(r"^\s*(?:of\s+\d{4}|/\s*\d{4}|لسنة|ya\s+\d{4}|,?\s*\d{4}\b)")


def _ascii_digits(text: str) -> str:
    """Read ``९९९`` and ``٩٩٩`` as ``999``, so a translation cannot hide a number."""
    return "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text
    )


def _digits(number: str) -> str:
    return re.sub(r"\D", "", _ascii_digits(number))


def phone_like(text: str) -> Iterator[str]:
    """The phone numbers and short codes written in ``text``, as digits only."""
    text = _ascii_digits(text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not shown as numbers
    text = re.sub(r"https?://\S+", " ", text)
    long_spans: list[tuple[int, int]] = []
    for match in _LONG.finditer(text):
        raw = match.group(1).strip()
        if _ISO_DATE.match(raw):
            continue
        if raw.startswith("+") or len(_digits(raw)) >= 7:
            long_spans.append(match.span(1))
            yield _digits(raw)
    for start, end in long_spans:  # a group of a long number is not a short code of its own
        text = text[:start] + " " * (end - start) + text[end:]
    for match in _SHORT.finditer(text):
        number, start, end = match.group(1), match.start(1), match.end(1)
        before, after = text[max(0, start - 30) : start], text[end : end + 12]
        bold = before.endswith("**") and after.startswith("**")
        called = bold or _CALLED.search(before) or _CALLED_AFTER.match(after)
        if not called or _LAW_AFTER.match(after):
            continue
        yield number


def allowed_numbers(result: Scan) -> set[str]:
    """Every number a sourced contact entry of the tree carries, as digits only."""
    allowed: set[str] = set()
    for country in result.countries.values():
        allowed.update(_digits(entry.number) for entry in country.emergency)
    for resources in result.resources.values():
        for resource in resources.resources:
            allowed.update(_digits(phone) for phone in resource.phones)
            if resource.whatsapp:
                allowed.add(_digits(resource.whatsapp))
            for text in resource.sms.values():
                allowed.update(re.findall(r"\d{3,}", _ascii_digits(text)))
    return allowed


def _is_allowed(number: str, allowed: set[str]) -> bool:
    """A local form ("020 7876000", "4493 1870") matches its international one."""
    if number in allowed:
        return True
    local = number.lstrip("0")
    return len(local) >= 7 and any(known.endswith(local) for known in allowed)


def unsourced_numbers(content_dir: Path) -> list[str]:
    """``path: number`` for each phone-like number no sourced entry carries."""
    result = scan(content_dir)
    assert not result.errors, [str(error) for error in result.errors]
    allowed = allowed_numbers(result)
    found: list[tuple[str, str]] = []
    for article in result.articles:
        texts = [article.body, article.meta.summary, article.meta.title]
        found += [(article.path, n) for text in texts for n in phone_like(text)]
    for folder, resources in result.resources.items():
        for resource in resources.resources:
            texts = [*resource.notes.values(), *resource.hours.values(), *resource.name.values()]
            where = f"{folder}/resources.yaml {resource.id}"
            found += [(where, n) for t in texts for n in phone_like(t)]
    for folder, country in result.countries.items():
        if country.fee_rule is not None:
            texts = list(country.fee_rule.text.values())
            where = f"{folder}/country.yaml fee_rule"
            found += [(where, n) for t in texts for n in phone_like(t)]
    unsourced = {
        f"{where}: {number}" for where, number in found if not _is_allowed(number, allowed)
    }
    return sorted(unsourced)


def test_every_phone_number_in_the_content_tree_is_a_sourced_contact() -> None:
    assert unsourced_numbers(CONTENT) == []


def test_the_detector_reads_numbers_the_way_articles_write_them() -> None:
    assert list(phone_like("Call the Ministry, toll-free: **80060**.")) == ["80060"]
    assert list(phone_like("piga 999 sasa")) == ["999"]
    assert list(phone_like("Call the Ministry of Labour on 16008, or")) == ["16008"]
    assert list(phone_like("श्रम मन्त्रालयको १६००८ मा फोन गर्नुहोस्")) == ["16008"]
    assert list(phone_like("९९९ मा फोन गर्नुहोस्; फोन ९९९")) == ["999", "999"]
    assert list(phone_like("اتصل بالرقم ٩٩٩")) == ["999"]
    assert list(phone_like("Diaspora Response Centre: +254 20 7876000")) == ["254207876000"]
    assert list(phone_like("Embassy: 03-2020 1899")) == ["0320201899"]
    assert list(phone_like("QAR 1,000 a month; fine SAR 2,000-6,000 in 2021; 2022-09-15")) == []
    assert list(phone_like("Decree-Law No. 33 of 2021; Resolution No. 346 of 2022")) == []
    assert list(phone_like("قرار وزاري رقم 346 لسنة 2022")) == []
    assert list(phone_like("8 hours a day, 48 a week; from 12:30 to 15:00")) == []


def test_an_article_with_an_unsourced_number_fails(
    rewrite: Callable[[str, str, str], Path],
) -> None:
    article = "countries/ke/en/before-you-go/licensed-agencies.md"
    text = (CONTENT.parent / "tests/fixtures/content" / article).read_text(encoding="utf-8")
    body_line = next(line for line in text.splitlines()[::-1] if line.strip())
    tree = rewrite(article, body_line, body_line + "\n\nOr call our helper on +254 700 123 456.")
    assert unsourced_numbers(tree) == [f"{_display(tree, article)}: 254700123456"]


def test_a_resource_note_with_an_unsourced_number_fails(
    rewrite: Callable[[str, str, str], Path],
) -> None:
    police = "name: {en: Police}"
    note = '\n    notes: {en: "Or dial 4412 3456 at night."}'
    tree = rewrite("countries/qa/resources.yaml", police, police + note)
    problems = unsourced_numbers(tree)
    assert len(problems) == 1 and problems[0].endswith(": 44123456"), problems


def _display(tree: Path, relative: str) -> str:
    result = scan(tree)
    return next(a.path for a in result.articles if a.path.endswith(relative.split("/")[-1]))
