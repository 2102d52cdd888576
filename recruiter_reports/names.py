"""Names workers type: agencies that are not in the registry, and sub-agents or brokers.

A typed name is kept only after three steps, in this order:

1. **Scrubbed** like a comment (``recruiter_reports.scrub``): phone numbers,
   e-mails, links, handles and ID numbers are removed. What is left is trimmed
   to ``NAME_MAX`` characters, and must still hold a letter.
2. **Refused when it names the worker.** A person's name cannot be told from
   an agency's by its letters ("Grace Wanjiru" may be a shop, "Blue Sky" a
   person's nickname), so automatic refusal is kept to what is certain and the
   rest is left to a moderator:

   - refused, for agencies and brokers alike: words that introduce the writer
     ("my name is", "I am", "jina langu", "mimi ni", "mero naam", "म", "اسمي",
     "انا"...): the text is about the worker, not a recruiter;
   - refused for an agency: a title before a name ("Mr", "Mrs", "Dr", "Bw",
     "Bi", "Mzee", "Shri", "Sheikh", "السيد"...): an agency is a company, and a
     titled name is a person. A broker often *is* a person (the village
     sub-agent), so a broker's name may carry a title;
   - flagged for the moderator (``maybe_person``), not refused: an agency name
     of two to four words none of which is a company word ("ltd", "agency",
     "manpower", "wakala", "एजेन्सी", "وكالة"...).

3. **Moderated**: no one but a moderator sees a name until it is approved
   (``NameStatus``). Only then is it shown, and searchable; a broker only in a
   chain (``broker_chain``) and only when ``k`` different workers named it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from recruiter_reports.matching import name_key
from recruiter_reports.registry import is_pending_id
from recruiter_reports.reports import NAME_MAX, Report
from recruiter_reports.scrub import scrub
from recruiter_reports.textfold import fold

__all__ = [
    "Broker",
    "Cleaned",
    "NameKind",
    "NameRecord",
    "NameStatus",
    "Refusal",
    "broker_chain",
    "broker_key",
    "clean_name",
    "moved",
    "records_of",
    "report_broker_key",
]


class NameKind(StrEnum):
    AGENCY = "agency"
    """An agency not in the registry; the record's key is its pending recruiter id."""
    BROKER = "broker"
    """A sub-agent or broker; the record's key is ``broker_key`` of the name."""


class NameStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    """Rejected names keep their record (so they are not queued again) but lose their text."""
    MERGED = "merged"
    """An agency moved into another (a spelling of it, or a registry entry): see ``target``."""


class Refusal(StrEnum):
    EMPTY = "empty"
    """Nothing with a letter was left once phone numbers and the like were removed."""
    PERSON = "person"
    """The text names the worker, or (for an agency) a titled person."""


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A name ready to store: the scrubbed text, what was removed, and the moderator's hint."""

    text: str
    removed: int
    maybe_person: bool


@dataclass(frozen=True, slots=True)
class NameRecord:
    """A name as the moderation queue and the portal see it (no one's pseudonym).

    ``text`` is None once rejected. ``target`` is where a merged agency's reports went.
    """

    kind: NameKind
    key: str
    origin: str
    text: str | None
    status: NameStatus
    maybe_person: bool = False
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Broker:
    """One link of a broker chain: an approved broker and how many workers named them."""

    key: str
    name: str
    reporters: int


_SELF = re.compile(
    r"(?i)\b(?:my name|i am|i'm|im called|name is|jina langu|mimi ni|naitwa|mero naam|"
    r"mero nam|mera naam|ma hu|म हुँ|मेरो नाम|मेरा नाम|اسمي|انا|أنا)\b"
)
_TITLE = re.compile(
    r"(?i)^(?:mr|mrs|ms|miss|mx|dr|sir|madam|bw|bwana|bi|mama|baba|mzee|shri|sri|smt|"
    r"shrimati|sheikh|sheik|hajji|haji|sayyid|السيد|السيدة|الشيخ|श्री|श्रीमती)\b\.?\s+\S"
)
_COMPANY_WORDS = frozenset(
    {
        "ltd", "limited", "agency", "agencies", "manpower", "recruitment", "recruiters",
        "recruiting", "consultants", "consultancy", "consult", "company", "co", "services",
        "service", "employment", "international", "intl", "overseas", "travel", "travels",
        "tours", "enterprise", "enterprises", "group", "global", "bureau", "placement",
        "placements", "solutions", "associates", "hr", "resources", "pvt", "private", "plc",
        "llc", "inc", "office", "wakala", "kampuni", "ajira", "एजेन्सी", "म्यानपावर", "कम्पनी",
        "कम्पनि", "प्रा", "लि", "وكالة", "شركة", "مكتب", "للاستقدام", "استقدام",
    }
)  # fmt: skip


def clean_name(text: str, kind: NameKind) -> Cleaned | Refusal:
    """The name to keep, or why it is refused (see the module docstring)."""
    scrubbed = scrub(" ".join(text.split()))
    kept = " ".join(re.sub(r"\[(?:phone|email|link|handle|id number|number)\]", " ",
                           scrubbed.text).split())[:NAME_MAX].strip(" ,;:-")  # fmt: skip
    if not any(ch.isalpha() for ch in kept):
        return Refusal.EMPTY
    if _SELF.search(kept) or (kind is NameKind.AGENCY and _TITLE.search(kept)):
        return Refusal.PERSON
    words = fold(kept).split()
    maybe_person = (
        kind is NameKind.AGENCY
        and 2 <= len(words) <= 4
        and not any(word in _COMPANY_WORDS for word in words)
    )
    return Cleaned(kept, sum(scrubbed.removed.values()), maybe_person)


def broker_key(name: str) -> str:
    """Spellings of one broker that differ in case, accents or "Ltd" share a key."""
    return name_key(name)


def broker_chain(
    counts: Mapping[str, int], records: Iterable[NameRecord], k: int
) -> list[Broker]:
    """The brokers shown behind an agency: approved, and named by at least ``k`` workers.

    ``counts`` is broker key -> distinct reporters of the agency who named that broker.
    Most-named first. A broker below ``k`` is left out entirely, with nothing that says
    it exists: its count, or even its name, could point at the few who named it.
    """
    approved = {
        record.key: record.text
        for record in records
        if record.kind is NameKind.BROKER and record.status is NameStatus.APPROVED and record.text
    }
    chain = [
        Broker(key, approved[key], reporters)
        for key, reporters in counts.items()
        if reporters >= k and key in approved
    ]
    return sorted(chain, key=lambda broker: (-broker.reporters, broker.name.casefold()))


def records_of(report: Report) -> list[NameRecord]:
    """The pending name records a newly saved report brings (stores add those they lack)."""
    records = []
    if report.agency_name and is_pending_id(report.recruiter_id):
        cleaned = clean_name(report.agency_name, NameKind.AGENCY)
        maybe_person = cleaned.maybe_person if isinstance(cleaned, Cleaned) else True
        records.append(NameRecord(NameKind.AGENCY, report.recruiter_id, report.origin,
                                  report.agency_name, NameStatus.PENDING,
                                  maybe_person))  # fmt: skip
    if report.broker and broker_key(report.broker):
        records.append(NameRecord(NameKind.BROKER, broker_key(report.broker), report.origin,
                                  report.broker, NameStatus.PENDING))  # fmt: skip
    return records


def report_broker_key(report: Report) -> str | None:
    """The key of the broker a report names (None when it names none)."""
    return broker_key(report.broker) if report.broker and broker_key(report.broker) else None


def moved(report: Report, into: str) -> Report:
    """The report counted for another agency (a merge or a link); its typed name goes, as the
    agency it named is now ``into``."""
    return report.model_copy(update={"recruiter_id": into, "agency_name": None})
