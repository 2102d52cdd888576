"""Content tree of 5,000 documents: load time and RSS of a process that serves it.

Target (DESIGN.md): load < 1 s, RSS of a serving process < 200 MB. The baseline
is the obvious loader (PyYAML for every front matter, pydantic per article, no
index), run on the same generated tree in the same run.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.table import print_table

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 5_000
WORDS = (
    "wage salary passport contract employer agency fee receipt embassy hotline "
    "complaint ministry worker housing food overtime leave visa ticket insurance "
    "mshahara pasipoti mkataba ajira talab karar"
).split()


def build_tree(target: Path, articles: int = ARTICLES, seed: int = 7) -> Path:
    """A copy of the shipped site files plus ``articles`` generated Qatar articles."""
    rng = random.Random(seed)
    content = target / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("*.md"))
    topics = ["wages", "fees", "passport", "changing-employer", "complaints", "emergency"]
    for n in range(articles):
        locale = ("en", "sw", "ne")[n % 3]
        topic = topics[(n // 3) % len(topics)]  # translations share a topic
        folder = content / "countries" / "qa" / locale / topic
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 60))) for _ in range(5)
        )
        (folder / f"bench-{n}.md").write_text(
            "---\n"
            f"id: bench-{n // 3}\n"
            f"title: Generated article {n}\n"
            f"summary: {' '.join(rng.choice(WORDS) for _ in range(12))}\n"
            f"keywords: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
            "sources:\n  - title: Generated for the benchmark\n    confidence: weak\n"
            "last_reviewed: 2026-11-23\n"
            "---\n"
            f"{body}\n",
            encoding="utf-8",
        )
    return content


_PROBE = """
import resource, sys, time
from pathlib import Path
start = time.perf_counter()
{load}
seconds = time.perf_counter() - start
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(seconds, rss_mb)
"""

_OURS = """
from bot.content import load_content
tree = load_content(Path(sys.argv[1]))
tree.search("pasport employer", "en")
"""

_BASELINE = """
import yaml
from bot.content.models import ArticleMeta
metas = []
for path in Path(sys.argv[1]).rglob("*.md"):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    metas.append((ArticleMeta.model_validate(yaml.safe_load(front)), body))
"""


def _run(load: str, content: Path) -> tuple[float, float]:
    code = _PROBE.format(load=load.strip())
    done = subprocess.run(
        [sys.executable, "-c", code, str(content)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark process failed:\n{done.stderr}")
    seconds, rss = done.stdout.split()
    return float(seconds), float(rss)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = build_tree(Path(folder))
        rows = []
        loaders = (
            ("baseline: PyYAML + pydantic, no index", _BASELINE),
            ("ours: load_content + first search", _OURS),
        )
        for name, load in loaders:
            runs = [_run(load, content) for _ in range(3)]
            best = min(seconds for seconds, _ in runs)
            rss = max(rss for _, rss in runs)
            rows.append((name, best * 1000, rss))
    print_table(
        f"Content tree of {ARTICLES} articles, best of 3 fresh processes "
        "(target: < 1000 ms, < 200 MB)",
        ("loader", "load ms", "max RSS MB"),
        rows,
    )


if __name__ == "__main__":
    main()
