"""The registry of licensed recruitment agencies of one origin country.

Workers rate a recruiter they pick from the registry (found by a fuzzy search
over names, aliases and licence numbers) or, when it is not there, one they
type in, kept apart as "not listed". Ids are stable and short enough to travel
in a chat button (Telegram allows 64 bytes of callback data).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from recruiter_reports.matching import (
    NameIndex,
    licence_key,
    licence_shape,
    licence_typos,
    name_key,
)
from recruiter_reports.textfold import fold

MAX_ID_BYTES = 40
"""Recruiter ids fit in chat button ids with room for a prefix."""

NAME_CUTOFF = 72.0
"""Lowest WRatio score (0-100) a name match needs; below it, results are mostly noise."""

_DIGITS_SCORE = 95.0
"""Score of a licence found by its digits alone: certain, but not the whole number."""

_SHAPE_SCORE = 95.0
"""Score of a licence number typed with look-alike letters for digits (O for 0)."""
_NEAR_LICENCE_SCORE = 90.0
"""Score of a licence number one typo away from what was typed."""

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class LicenceStatus(StrEnum):
    """What the licensing authority says about the agency; ``not_listed`` is not in the registry."""

    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    INVALID = "invalid"
    """The regulator's list shows it as not valid (the NEA list prints such names in red)."""
    DEREGISTERED = "deregistered"
    """Reported deregistered by a dated press source; such an entry may have no licence number."""
    NOT_LISTED = "not_listed"


class Recruiter(BaseModel):
    """One agency as workers see it when they search or rate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,40}$")]
    country: CountryCode
    name: Annotated[str, StringConstraints(min_length=1)]
    licence_no: str
    """Empty for agencies that are not listed."""
    status: LicenceStatus
    aliases: tuple[str, ...] = ()
    example: bool = False
    """Fictional example data: never to be taken for a real agency."""
    source: str = ""
    as_of: dt.date | None = None


class Match(BaseModel):
    """A search hit: the agency and how closely it matched (0-100)."""

    model_config = ConfigDict(frozen=True)

    recruiter: Recruiter
    score: float


def recruiter_id(country: str, licence_no: str) -> str:
    """``<CC>-<licence>``, upper case, every run of other characters turned into one dash."""
    slug = re.sub(r"[^A-Z0-9]+", "-", licence_no.upper()).strip("-")
    return f"{country.upper()}-{slug}"


def named_recruiter_id(country: str, name: str) -> str:
    """A stable id for a listed agency known by name only (a deregistered agency
    named in the press), from its normalised name."""
    key = name_key(name)
    if not key:
        raise ValueError("an agency name needs at least one letter or digit")
    return f"{country.upper()}-named-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def pending_recruiter_id(country: str, name: str) -> str:
    """A stable id for an agency that is not in the registry, from its normalised name.

    The same agency typed as "Sunrise Agency Ltd" or "sunrise" gets the same id,
    so reports about it add up until it can be matched to a licence.
    """
    key = name_key(name)
    if not key:
        raise ValueError("an agency name needs at least one letter or digit")
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return f"{country.upper()}-pending-{digest}"


def pending_recruiter(country: str, name: str) -> Recruiter:
    """An agency entered by a worker because it is not in the registry (status ``not_listed``)."""
    return Recruiter(
        id=pending_recruiter_id(country, name),
        country=country.upper(),
        name=" ".join(name.split()),
        licence_no="",
        status=LicenceStatus.NOT_LISTED,
    )


def is_pending_id(recruiter_id_: str) -> bool:
    """True for ids made by ``pending_recruiter_id`` (agencies that are not listed)."""
    return recruiter_id_[3:].startswith("pending-")


class Registry:
    """The agencies of one country, indexed once for fast fuzzy search."""

    __slots__ = (
        "_by_digits", "_by_id", "_by_licence", "_by_shape", "_country", "_index",
        "_recruiters",
    )  # fmt: skip

    def __init__(self, country: str, recruiters: Iterable[Recruiter]) -> None:
        self._country = country.upper()
        self._recruiters = tuple(recruiters)
        self._by_id: dict[str, int] = {}
        self._by_licence: dict[str, int] = {}
        self._by_digits: dict[str, list[int]] = {}
        self._by_shape: dict[str, list[int]] = {}
        for position, recruiter in enumerate(self._recruiters):
            if recruiter.id in self._by_id:
                raise ValueError(f"duplicate recruiter id {recruiter.id}")
            self._by_id[recruiter.id] = position
            if recruiter.licence_no:
                key = licence_key(recruiter.licence_no)
                self._by_licence[key] = position
                self._by_shape.setdefault(licence_shape(key), []).append(position)
                digits = _digits(recruiter.licence_no)
                if digits:
                    self._by_digits.setdefault(digits, []).append(position)
        self._index = NameIndex(
            (position, text)
            for position, recruiter in enumerate(self._recruiters)
            for text in (recruiter.name, *recruiter.aliases)
        )

    @property
    def country(self) -> str:
        return self._country

    @property
    def example(self) -> bool:
        """True when the file holds example data: it is then not the official list,
        and an agency missing from it may well be licensed."""
        return any(recruiter.example for recruiter in self._recruiters)

    @property
    def as_of(self) -> dt.date | None:
        """The newest as-of date of the list's entries, shown on every check screen."""
        dates = [recruiter.as_of for recruiter in self._recruiters if recruiter.as_of]
        return max(dates) if dates else None

    def __len__(self) -> int:
        return len(self._recruiters)

    def __iter__(self) -> Iterator[Recruiter]:
        return iter(self._recruiters)

    def get(self, recruiter_id_: str) -> Recruiter | None:
        """The listed agency with this id, or None (pending ids are never listed)."""
        position = self._by_id.get(recruiter_id_)
        return None if position is None else self._recruiters[position]

    def by_licence(self, licence_no: str) -> Recruiter | None:
        """Exact lookup, ignoring case, spaces, dashes and slashes."""
        position = self._by_licence.get(licence_key(licence_no))
        return None if position is None else self._recruiters[position]

    def search(self, query: str, limit: int = 5) -> list[Match]:
        """The best few agencies for what a worker typed: a name, an alias or a licence number.

        One match per agency (its best name or alias), best first. A licence
        number found exactly scores 100 and comes first.
        """
        if limit <= 0 or not fold(query):
            return []
        hits: list[tuple[int, float]] = []
        qlicence = licence_key(query)
        if any(ch.isdigit() for ch in qlicence):
            exact = self._by_licence.get(qlicence)
            if exact is not None:
                hits.append((exact, 100.0))
            elif qlicence.isdigit():
                # Just the number, as printed on a receipt: "0007" finds EX-KE-0007.
                hits += [(pos, _DIGITS_SCORE) for pos in self._by_digits.get(_digits(qlicence), [])]
            elif _looks_like_licence(qlicence):
                # O typed for 0, I or l for 1, then any single typo.
                shape = self._by_shape.get(licence_shape(qlicence), [])
                hits += [(position, _SHAPE_SCORE) for position in shape]
                near = [self._by_licence.get(typo) for typo in licence_typos(qlicence)]
                hits += [(pos, _NEAR_LICENCE_SCORE) for pos in near if pos is not None]
        hits += self._index.search(query, limit, NAME_CUTOFF)
        scores: dict[int, float] = {}
        for position, score in hits:  # first seen keeps its place among equal scores
            scores[position] = max(scores.get(position, 0.0), score)
        ranked = sorted(scores.items(), key=lambda item: -item[1])[:limit]
        return [Match(recruiter=self._recruiters[pos], score=score) for pos, score in ranked]


def _digits(licence: str) -> str:
    """The digits of a licence number without leading zeros ("EX-KE-0007" -> "7")."""
    return "".join(ch for ch in licence if ch.isdigit()).lstrip("0")


def _looks_like_licence(key: str) -> bool:
    """Long enough and with a few digits: worth a typo-tolerant scan of licence numbers."""
    return len(key) >= 5 and sum(ch.isdigit() for ch in key) >= 2
