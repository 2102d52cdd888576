"""Many people at once: 10,000 simulated people in conversation with one worker on SQLite.

Target (DESIGN.md): no error, p99 < 200 ms, RSS < 300 MB, memory per idle
person stated. Three processes, as in the webhook benchmark: the fake Bot API,
the server (what ``python -m bot serve`` runs, pinned to one core, SQLite
store) and this load generator. Every person takes ``STEPS`` steps of a real
visit (/start, the language button, the menu...) and each step is ``PEOPLE``
requests after their previous one, so all of them are mid-conversation at
once, with ``IN_FLIGHT`` requests outstanding. The baseline, in the same run
and under the same load, is a bare PTB echo bot answering the same number of
text messages. The server's RSS is read from ``/proc`` after start-up and a
short warm-up, and again when every person has spoken: the difference over
the number of people is the memory an idle person costs.

``python -m benchmarks people``; ``BENCH_PEOPLE`` (10000), ``BENCH_PEOPLE_STEPS``
(3) and ``BENCH_PEOPLE_IN_FLIGHT`` (32) change the run.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from benchmarks.bench_webhook import _api_calls, _processes, _Server
from benchmarks.table import percentile, print_table
from benchmarks.webhook_load import LoadResult, Users, post_all
from benchmarks.webhook_servers import SECRET

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "10000"))
STEPS = int(os.environ.get("BENCH_PEOPLE_STEPS", "3"))
IN_FLIGHT = int(os.environ.get("BENCH_PEOPLE_IN_FLIGHT", "32"))
WARMUP = 200
P99_TARGET_MS = 200.0
RSS_TARGET_MB = 300.0


def _rss_mb(server: _Server) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc")


def _load(server: _Server, bodies: list[bytes]) -> LoadResult:
    return asyncio.run(post_all(server.url, bodies, SECRET, IN_FLIGHT))


def main() -> None:
    people = Users(PEOPLE)
    warm = Users(WARMUP)
    bodies = people.conversation(PEOPLE * STEPS)
    echo_bodies = Users(PEOPLE).echo_texts(PEOPLE * STEPS)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-people-") as folder, _processes(
        Path(folder)
    ) as (api_url, servers):
        for name, load_bodies, warm_bodies in (
            ("echo", echo_bodies, warm.echo_texts(WARMUP)),
            ("ours", bodies, warm.conversation(WARMUP)),
        ):
            server = servers[name]
            _load(server, warm_bodies)
            rss_before = _rss_mb(server)
            calls_before = _api_calls(api_url)
            result = _load(server, load_bodies)
            rss_after = _rss_mb(server)
            calls = _api_calls(api_url) - calls_before
            latencies = [value * 1000 for value in result.latencies]
            per_person_kb = (rss_after - rss_before) * 1024 / PEOPLE
            rows.append([
                "ours (SQLite, real conversations)" if name == "ours" else "bare PTB echo bot",
                len(load_bodies), result.failures, round(len(load_bodies) / result.seconds),
                percentile(latencies, 50), percentile(latencies, 99), max(latencies),
                rss_after, per_person_kb, calls / len(load_bodies),
            ])  # fmt: skip
    print_table(
        f"{PEOPLE:,} people, {STEPS} steps each, {IN_FLIGHT} requests in flight, one worker "
        f"(targets: no error, p99 < {P99_TARGET_MS:.0f} ms, RSS < {RSS_TARGET_MB:.0f} MB)",
        ["server", "updates", "errors", "updates/s", "p50 ms", "p99 ms", "max ms", "RSS MB",
         "KB per idle person", "API calls/update"],
        rows,
    )  # fmt: skip
    ours = rows[-1]
    verdict = [
        ("no error", ours[2] == 0),
        (f"p99 < {P99_TARGET_MS:.0f} ms", ours[5] < P99_TARGET_MS),
        (f"RSS < {RSS_TARGET_MB:.0f} MB", ours[7] < RSS_TARGET_MB),
    ]
    print("targets: " + ", ".join(f"{what}: {'met' if ok else 'MISSED'}" for what, ok in verdict))


if __name__ == "__main__":
    main()
