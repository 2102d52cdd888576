"""Recruiter lookup in a 100k-agency registry: latency per query and whether it finds the agency.

Target (DESIGN.md): p95 < 10 ms per query. The baseline, measured on the same
registry and the same queries in the same run, is the obvious code:
``process.extract`` with ``WRatio`` over the raw names, aliases and licence
numbers, rapidfuzz's default preprocessing on every call, and no cutoff. It
takes about half a second a query, so it runs on the first
``BENCH_BASELINE_QUERIES`` (200) queries, beside ours on the same ones.

``python -m benchmarks registry`` (``BENCH_REGISTRY_SIZE`` / ``BENCH_QUERIES``
change the sizes).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable

from rapidfuzz import fuzz, process, utils

from benchmarks.table import percentile, print_table
from recruiter_reports.registry import LicenceStatus, Recruiter, Registry, recruiter_id

SIZE = int(os.environ.get("BENCH_REGISTRY_SIZE", "100000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "1000"))
BASELINE_QUERIES = int(os.environ.get("BENCH_BASELINE_QUERIES", "200"))
"""The baseline takes about half a second a query; it runs on the first queries only."""

_COMMON = (
    "gulf global star human resource overseas link nepal kenya east africa city "
    "new golden royal united best trust hope bright future careers workforce job "
    "placement bureau abroad skilled care express prime green blue silver crown"
).split()
_SUFFIXES = (
    "Ltd", "Recruitment Agency Ltd", "Manpower Pvt Ltd", "Employment Agency",
    "International Services", "Consultants", "", "Company Limited",
)  # fmt: skip
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _pseudo_word(rng: random.Random) -> str:
    syllables = ("ka", "ri", "mo", "na", "tu", "se", "bi", "lo", "ya", "pe", "shi", "dha", "an")
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


def synthetic_recruiters(size: int, country: str = "KE", seed: int = 11) -> list[Recruiter]:
    """``size`` agencies with realistic-looking names, a third with an alias, distinct licences."""
    rng = random.Random(seed)
    rare = list(dict.fromkeys(_pseudo_word(rng) for _ in range(size // 3)))
    names: set[str] = set()
    recruiters: list[Recruiter] = []
    statuses = list(LicenceStatus)[:3]
    while len(recruiters) < size:
        words = [rng.choice(rare) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.6:
            words.insert(rng.randint(0, len(words)), rng.choice(_COMMON))
        core = " ".join(word.capitalize() for word in words)
        if core in names:
            continue
        names.add(core)
        licence = f"SY-{country}-{len(recruiters) + 1:06d}"
        aliases = (core,) if rng.random() < 0.33 else ()
        recruiters.append(
            Recruiter(
                id=recruiter_id(country, licence), country=country,
                name=f"{core} {rng.choice(_SUFFIXES)}".strip(), licence_no=licence,
                status=rng.choice(statuses), aliases=aliases, example=True,
            )
        )  # fmt: skip
    return recruiters


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + rng.choice(_LETTERS) + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def synthetic_queries(
    recruiters: list[Recruiter], count: int, seed: int = 5
) -> list[tuple[str, str, str]]:
    """``(kind, query, expected id)``: typos, swapped words, aliases and licence numbers."""
    rng = random.Random(seed)
    queries: list[tuple[str, str, str]] = []
    kinds = ("typo", "order", "alias", "licence", "licence-typo")
    for n in range(count):
        recruiter = rng.choice(recruiters)
        kind = kinds[n % len(kinds)]
        words = recruiter.name.split()
        if kind == "typo":
            words = [_typo(word, rng) if rng.random() < 0.5 else word for word in words]
            words[0] = _typo(words[0], rng)
            query = " ".join(words).lower()
        elif kind == "order":
            rng.shuffle(words)
            query = " ".join(words)
        elif kind == "alias":
            query = recruiter.aliases[0] if recruiter.aliases else recruiter.name.upper()
        elif kind == "licence":
            query = recruiter.licence_no.lower().replace("-", " ")
        else:
            # Letters typed for look-alike digits, dashes left out.
            query = recruiter.licence_no.replace("-", "")
            for digit, letter in (("0", "O"), ("1", "l"), ("5", "S")):
                if digit in query[4:]:
                    head, tail = query[:4], query[4:]
                    query = head + tail.replace(digit, letter, 1)
                    break
        queries.append((kind, query, recruiter.id))
    return queries


def _baseline(recruiters: list[Recruiter]) -> Callable[[str], list[str]]:
    choices: list[str] = []
    owners: list[str] = []
    for recruiter in recruiters:
        for text in (recruiter.name, *recruiter.aliases, recruiter.licence_no):
            choices.append(text)
            owners.append(recruiter.id)

    def search(query: str) -> list[str]:
        hits = process.extract(
            query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=5
        )
        return [owners[index] for _, _, index in hits]

    return search


def _measure(
    search: Callable[[str], list[str]], queries: list[tuple[str, str, str]]
) -> tuple[list[float], float, float]:
    times: list[float] = []
    top1 = top5 = 0
    for _, query, expected in queries:
        start = time.perf_counter()
        found = search(query)
        times.append((time.perf_counter() - start) * 1000)
        top1 += bool(found) and found[0] == expected
        top5 += expected in found
    return times, 100 * top1 / len(queries), 100 * top5 / len(queries)


def main() -> None:
    recruiters = synthetic_recruiters(SIZE)
    start = time.perf_counter()
    registry = Registry("KE", recruiters)
    build_s = time.perf_counter() - start
    queries = synthetic_queries(recruiters, QUERIES)
    rows = []
    ours = _measure(lambda q: [m.recruiter.id for m in registry.search(q)], queries)
    same = _measure(lambda q: [m.recruiter.id for m in registry.search(q)],
                    queries[:BASELINE_QUERIES])  # fmt: skip
    naive = _measure(_baseline(recruiters), queries[:BASELINE_QUERIES])
    for label, count, (times, top1, top5) in (
        ("Registry.search", len(queries), ours),
        ("Registry.search", len(same[0]), same),
        ("baseline", len(naive[0]), naive),
    ):
        rows.append(
            [label, count, percentile(times, 50), percentile(times, 95),
             percentile(times, 99), top1, top5]
        )  # fmt: skip
    print_table(
        f"Recruiter lookup: {SIZE:,} agencies, {len(queries):,} queries "
        f"(index built in {build_s:.1f} s; target p95 < 10 ms)",
        ["search", "queries", "p50 ms", "p95 ms", "p99 ms", "top-1 %", "top-5 %"],
        rows,
    )
    by_kind: dict[str, list[float]] = {}
    for (kind, _, _), elapsed in zip(queries, ours[0], strict=True):
        by_kind.setdefault(kind, []).append(elapsed)
    print_table(
        "Registry.search by kind of query",
        ["kind", "p50 ms", "p95 ms"],
        [[k, percentile(v, 50), percentile(v, 95)] for k, v in sorted(by_kind.items())],
    )


if __name__ == "__main__":
    main()
