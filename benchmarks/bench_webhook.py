"""The full webhook path against a bare PTB echo bot, on one core, in the same run.

Target (DESIGN.md): CPU per update <= 1.25x the bare echo bot, p99 < 50 ms,
8 requests in flight. Four processes: the fake Bot API
(``webhook_fake_api``), the two servers (``webhook_servers``: ``echo`` and
``ours``, both pinned to the same core, idle while the other is measured) and
this one, the load generator. A server's CPU is read from ``/proc/<pid>/stat``
(user + system, every thread) before and after a run, so neither the client's
nor the fake Bot API's CPU is counted. Runs alternate echo/ours and repeat;
the table shows the median and every run's CPU, so a noisy machine shows.

The two do not get the same updates: the echo bot gets text messages, each
answered with one message; ours gets a person's visit (/start, language
button, menu taps, a guide, searches, /sos), where a button costs an
``answerCallbackQuery`` too and /start or /sos answers with several messages.
The "API calls/update" column shows the difference. Each uses its own
transport: the echo bot PTB's default (httpx), ours the channel's
``AiohttpRequest``, which is part of what is being measured.

On a two-CPU machine the client and the fake Bot API share the other core, so
throughput and latency include their queueing (the echo row's p99 is the
noisiest number here); CPU per update does not. httpcore imports ``sniffio``
on every request and, when it is not installed, pays a failed import each
time: about 0.6 ms of the echo bot's CPU per update (run with it on
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
CPU_RATIO_TARGET = 1.25
P99_TARGET_MS = 50.0
_TICKS = os.sysconf("SC_CLK_TCK")


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
        for name in ("echo", "ours"):
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
            process.wait(timeout=10)


def main() -> None:
    users = Users(USERS)
    with tempfile.TemporaryDirectory(prefix="bench-webhook-") as tmp:
        folder = Path(tmp)
        with _processes(folder) as (api_url, servers):
            echo, ours = servers["echo"], servers["ours"]
            _measure(echo, users.echo_texts(WARMUP), api_url)
            _measure(ours, users.conversation(WARMUP), api_url)
            runs: dict[str, list[_Run]] = {"echo": [], "ours": []}
            for _ in range(REPEATS):
                runs["echo"].append(_measure(echo, users.echo_texts(UPDATES), api_url))
                runs["ours"].append(_measure(ours, users.conversation(UPDATES), api_url))
        rows = [_row("bare PTB echo", runs["echo"]), _row("ours (serve)", runs["ours"])]
        ratio = float(rows[1][2]) / float(rows[0][2])  # type: ignore[arg-type]
        print_table(
            f"Webhook path, one core, {IN_FLIGHT} in flight, median of {REPEATS} runs "
            f"(ours: {USERS} users' visits; echo: text messages)",
            ["server", "updates", "CPU ms/update", "CPU ms each run", "updates/s",
             "p50 ms", "p95 ms", "p99 ms", "API calls/update"],
            rows,
        )  # fmt: skip
        print_table(
            "Against the targets",
            ["what", "measured", "target", "met"],
            [
                ["CPU per update, ours / echo", f"{ratio:.2f}x", f"<= {CPU_RATIO_TARGET}x",
                 "yes" if ratio <= CPU_RATIO_TARGET else "no"],
                ["p99 latency, ours", f"{rows[1][7]:.1f} ms", f"< {P99_TARGET_MS:.0f} ms",
                 "yes" if float(rows[1][7]) < P99_TARGET_MS else "no"],  # type: ignore[arg-type]
            ],
        )  # fmt: skip
        if PROFILE:
            print("\nours, top costs while serving (cProfile, tottime):")
            pstats.Stats(str(folder / "ours.prof")).sort_stats("tottime").print_stats(25)
