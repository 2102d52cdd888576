"""The full webhook path against a bare PTB echo bot on the same transport, one core, one run.

Target (DESIGN.md): CPU per update <= 1.5x the echo bot on our own transport
(``AiohttpRequest``), stretch 1.25x, p99 < 50 ms, 8 requests in flight. The
yardstick is that echo row: the same HTTP client on both sides, so the ratio
measures what the bot does on top of PTB, not the choice of client. The
stock PTB echo bot (PTB's default httpx transport) is a second, labelled row
for comparison; no target uses it.

Five processes: the fake Bot API (``webhook_fake_api``), the three servers
(``webhook_servers``: ``echo``, ``echo-httpx`` and ``ours``, all pinned to
the same core, idle while another is measured) and this one, the load
generator. A server's CPU is read from ``/proc/<pid>/stat`` (user + system,
every thread) before and after a run, so neither the client's nor the fake Bot
API's CPU is counted. Runs alternate between the servers and repeat; the table
shows the median and every run's CPU, so a noisy machine shows.

The echo bots and ours do not get the same updates: an echo bot gets text
messages, each answered with one message; ours gets a person's visit (/start,
language button, menu taps, a guide, searches, /sos), where a button costs an
``answerCallbackQuery`` too and /start or /sos answers with several messages.
The "API calls/update" column shows the difference.

On a two-CPU machine the client and the fake Bot API share the other core, so
throughput and latency include their queueing (an echo row's p99 is the
noisiest number here); CPU per update does not. httpcore imports ``sniffio``
on every request and, when it is not installed, pays a failed import each
time: about 0.6 ms of the httpx echo bot's CPU per update (run with it on
``PYTHONPATH`` to see).

``python -m benchmarks webhook``; ``BENCH_WEBHOOK_UPDATES`` (2000),
``BENCH_WEBHOOK_WARMUP`` (200), ``BENCH_WEBHOOK_REPEATS`` (3),
``BENCH_WEBHOOK_IN_FLIGHT`` (8), ``BENCH_WEBHOOK_USERS`` (200) change the run;
``BENCH_WEBHOOK_PROFILE=1`` also profiles ours (cProfile) and prints the top costs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import percentile, print_table
from benchmarks.webhook_load import LoadResult, Users, post_all
from benchmarks.webhook_servers import SECRET, WEBHOOK_PATH

UPDATES = int(os.environ.get("BENCH_WEBHOOK_UPDATES", "2000"))
WARMUP = int(os.environ.get("BENCH_WEBHOOK_WARMUP", "200"))
REPEATS = int(os.environ.get("BENCH_WEBHOOK_REPEATS", "3"))
IN_FLIGHT = int(os.environ.get("BENCH_WEBHOOK_IN_FLIGHT", "8"))
USERS = int(os.environ.get("BENCH_WEBHOOK_USERS", "200"))
PROFILE = os.environ.get("BENCH_WEBHOOK_PROFILE", "") not in ("", "0")
CPU_RATIO_TARGET = 1.5
CPU_RATIO_STRETCH = 1.25
P99_TARGET_MS = 50.0
_TICKS = os.sysconf("SC_CLK_TCK")
SERVERS = {
    "echo": "PTB echo, our aiohttp transport (yardstick)",
    "echo-httpx": "PTB echo, PTB's httpx transport",
    "ours": "ours (serve)",
}
"""Server name (``webhook_servers``) and its row label, in the table's order."""


@dataclass(frozen=True, slots=True)
class _Server:
    name: str
    process: subprocess.Popen[str]
    url: str

    def cpu_seconds(self) -> float:
        """User + system time of the whole process (all its threads) so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


@dataclass(frozen=True, slots=True)
class _Run:
    cpu_ms: float
    load: LoadResult
    api_calls: int


def _cores() -> tuple[int, int]:
    """(server core, core for the client and the fake API); the same one on a 1-CPU box."""
    cores = sorted(os.sched_getaffinity(0))
    return cores[-1], cores[0]


def _start(args: list[str], log: Path, env: dict[str, str] | None = None) -> tuple[
    subprocess.Popen[str], int
]:
    """Start ``python -m <args>`` and wait for its ``READY <port>`` line."""
    process = subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("READY "):
        process.kill()
        raise RuntimeError(f"{args[0]} did not start:\n{log.read_text()[-3000:]}")
    return process, int(line.split()[1])


def _api_calls(api_url: str) -> int:
    with urllib.request.urlopen(f"{api_url}/stats") as response:
        stats = json.load(response)
    if stats["refused"]:
        raise RuntimeError(f"the fake Bot API refused {stats['refused']} call(s)")
    return sum(stats["calls"].values())


def _measure(server: _Server, bodies: list[bytes], api_url: str) -> _Run:
    calls_before = _api_calls(api_url)
    cpu_before = server.cpu_seconds()
    load = asyncio.run(post_all(server.url, bodies, SECRET, IN_FLIGHT))
    cpu = server.cpu_seconds() - cpu_before
    if load.failures:
        raise RuntimeError(f"{server.name}: {load.failures} request(s) did not get a 200")
    return _Run(cpu * 1000 / len(bodies), load, _api_calls(api_url) - calls_before)


def _row(name: str, runs: list[_Run]) -> list[object]:
    latencies = [[value * 1000 for value in run.load.latencies] for run in runs]
    return [
        name,
        UPDATES,
        statistics.median(run.cpu_ms for run in runs),
        " ".join(f"{run.cpu_ms:.2f}" for run in runs),
        statistics.median(UPDATES / run.load.seconds for run in runs),
        statistics.median(percentile(values, 50) for values in latencies),
        statistics.median(percentile(values, 95) for values in latencies),
        statistics.median(percentile(values, 99) for values in latencies),
        statistics.median(run.api_calls / UPDATES for run in runs),
    ]


@contextlib.contextmanager
def _processes(folder: Path) -> Iterator[tuple[str, dict[str, _Server]]]:
    server_core, other_core = _cores()
    started: list[subprocess.Popen[str]] = []
    try:
        fake, api_port = _start(["benchmarks.webhook_fake_api"], folder / "fake.log")
        started.append(fake)
        os.sched_setaffinity(fake.pid, {other_core})
        api_url = f"http://127.0.0.1:{api_port}"
        servers: dict[str, _Server] = {}
        for name in SERVERS:
            env = {"BENCH_PROFILE": str(folder / "ours.prof")} if PROFILE and name == "ours" else {}
            process, port = _start(
                ["benchmarks.webhook_servers", name, f"{api_url}/bot", str(server_core)],
                folder / f"{name}.log",
                env,
            )
            started.append(process)
            servers[name] = _Server(name, process, f"http://127.0.0.1:{port}{WEBHOOK_PATH}")
        os.sched_setaffinity(0, {other_core})
        yield api_url, servers
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a loaded machine: the table matters more
                process.kill()
                process.wait()


def main() -> None:
    users = Users(USERS)
    with tempfile.TemporaryDirectory(prefix="bench-webhook-") as tmp:
        folder = Path(tmp)
        with _processes(folder) as (api_url, servers):
            runs: dict[str, list[_Run]] = {name: [] for name in SERVERS}
            for repeat in range(REPEATS + 1):  # the first round warms up and is not kept
                count = WARMUP if repeat == 0 else UPDATES
                for name, server in servers.items():
                    visit = name == "ours"
                    bodies = users.conversation(count) if visit else users.echo_texts(count)
                    run = _measure(server, bodies, api_url)
                    if repeat:
                        runs[name].append(run)
        rows = [_row(label, runs[name]) for name, label in SERVERS.items()]
        echo, ours = rows[0], rows[2]
        ratio = float(ours[2]) / float(echo[2])  # type: ignore[arg-type]
        print_table(
            f"Webhook path, one core, {IN_FLIGHT} in flight, median of {REPEATS} runs "
            f"(ours: {USERS} users' visits; echo: text messages)",
            ["server", "updates", "CPU ms/update", "CPU ms each run", "updates/s",
             "p50 ms", "p95 ms", "p99 ms", "API calls/update"],
            rows,
        )  # fmt: skip
        print_table(
            f"Against the targets (yardstick: {SERVERS['echo']})",
            ["what", "measured", "target", "met"],
            [
                ["CPU per update, ours / same-transport echo", f"{ratio:.2f}x",
                 f"<= {CPU_RATIO_TARGET}x", "yes" if ratio <= CPU_RATIO_TARGET else "no"],
                ["  stretch", f"{ratio:.2f}x", f"<= {CPU_RATIO_STRETCH}x",
                 "yes" if ratio <= CPU_RATIO_STRETCH else "no"],
                ["p99 latency, ours", f"{ours[7]:.1f} ms", f"< {P99_TARGET_MS:.0f} ms",
                 "yes" if float(ours[7]) < P99_TARGET_MS else "no"],  # type: ignore[arg-type]
            ],
        )  # fmt: skip
        if PROFILE:
            print("\nours, top costs while serving (cProfile, tottime):")
            pstats.Stats(str(folder / "ours.prof")).sort_stats("tottime").print_stats(25)
