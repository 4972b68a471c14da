"""How long `annotator merge` takes on two big annotators' copies, and its peak memory.

Builds two copies of an N-article project (default 100,000 wire-style articles, ~1,400
characters each): alice labels every article (6 entities, and an Attack event with two
arguments on one article in four), bob labels the same articles with other labels. Then it
merges both into a new project (every article added from alice's copy, matched in bob's),
and merges bob's copy again (his layer replaced). Each merge runs in a fresh process, so its
peak RSS is the merge's own. Figures, not pass/fail: on a shared machine they are noisy.

    python benchmarks/bench_merge.py [--articles N] [--keep DIR] [--batched]

Re-measure on a quiet machine with the same command; the copies are rebuilt each run
(`--keep DIR` keeps them, and reuses them when they are there).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.core.model import ACCEPTED, ENTITY, TRIGGER  # noqa: E402
from annotator.store.imports import NewArgument, NewArticle, NewEvent, NewSpan  # noqa: E402
from annotator.store.project import ProjectStore  # noqa: E402

WORDS = (
    "government officials said on Monday that the talks in Geneva would resume after "
    "protesters gathered near the port where a convoy was attacked by militants while "
    "ministers from several countries met to discuss fuel prices and relief supplies"
).split()
LABELS = {"alice": ("ORG", "GPE", "PERSON"), "bob": ("NORP", "LOC", "FAC")}


def article(n: int, who: str, rng: random.Random) -> NewArticle:
    words = [WORDS[(n * 7 + i * 13) % len(WORDS)] for i in range(220)]
    text = f"Story {n}. " + " ".join(words) + "."
    spans, at = [], len(f"Story {n}. ")
    starts = []
    for word in words:
        starts.append((at, at + len(word)))
        at += len(word) + 1
    picks = sorted(rng.sample(range(1, len(starts)), 6))
    for i, index in enumerate(picks):
        start, end = starts[index]
        spans.append(NewSpan(start, end, LABELS[who][i % 3], ENTITY, ACCEPTED, None, "{}"))
    events = []
    if n % 4 == 0:
        start, end = starts[0]
        spans.append(NewSpan(start, end, "Conflict.Attack", TRIGGER, ACCEPTED, None, "{}"))
        args = [NewArgument("Target", 0, None, False), NewArgument("Place", 1, None, False)]
        events.append(NewEvent("Conflict.Attack", len(spans) - 1, False, "{}", args))
    digest = f"{n:012d}"
    return NewArticle(f"story-{n}", digest, f"Story {n}", text, "{}", "done", spans, events)


def build_copy(path: Path, who: str, n: int) -> float:
    started = time.perf_counter()
    store = ProjectStore(path)
    store.annotator = who
    rng = random.Random(who)
    try:
        for first in range(0, n, 2000):
            batch = [article(i, who, rng) for i in range(first, min(n, first + 2000))]
            with store.write():
                store.insert_new_articles(batch, source="bench", origin="bench")
    finally:
        store.close()
    return time.perf_counter() - started


def merge_in_child(out: Path, *inputs: Path, batched: bool = False) -> dict:
    """One merge in a process of its own: its time and its peak RSS. batched: into an
    empty project batch by batch, not the copy a new OUT.db starts as."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from annotator.store.merge import merge_projects, new_merged_project\n"
        "from annotator.store.project import ProjectStore\n"
        "batched, path, inputs = sys.argv[1] == 'batched', Path(sys.argv[2]), sys.argv[3:]\n"
        "t, cpu = time.perf_counter(), time.process_time()\n"
        "if path.exists() or batched:\n"
        "    out, reports = ProjectStore(path), []\n"
        "else:  # as `annotator merge` makes a new OUT.db: a copy of the first input\n"
        "    out, reports = new_merged_project(path, [Path(p) for p in inputs], None)\n"
        "first = time.perf_counter() - t\n"
        "reports += merge_projects(out, inputs[len(reports):])\n"
        "took, cpu = time.perf_counter() - t, time.process_time() - cpu\n"
        "out.close()\n"
        "print(json.dumps({'seconds': took, 'cpu': cpu, 'start': first, 'peak_mb': "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
        "'lines': [l for r in reports for l in r.lines()]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "batched" if batched else "copy", str(out), *map(str, inputs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the copies in")
    parser.add_argument(
        "--batched",
        action="store_true",
        help="also merge both into an existing empty project, batch by batch (the path a "
        "merge into an existing project takes for articles it lacks: every text indexed)",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-merge-"))
    folder.mkdir(parents=True, exist_ok=True)
    n = args.articles
    copies = {}
    for who in ("alice", "bob"):
        path = folder / f"{who}-{n}.db"
        if not path.exists():
            print(f"building {path.name}: {build_copy(path, who, n):.1f} s", flush=True)
        copies[who] = path
    out = folder / f"merged-{n}.db"
    out.unlink(missing_ok=True)
    first = merge_in_child(out, copies["alice"], copies["bob"])
    again = merge_in_child(out, copies["bob"])
    batched = None
    if args.batched:
        empty = folder / f"batched-{n}.db"
        empty.unlink(missing_ok=True)
        ProjectStore(empty).close()
        batched = merge_in_child(empty, copies["alice"], copies["bob"], batched=True)
    size = sum(p.stat().st_size for p in copies.values()) / 1e6
    print(
        f"python {sys.version.split()[0]}, sqlite {__import__('sqlite3').sqlite_version}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} cores (wall time is noisy on a loaded machine; CPU is steadier)"
    )
    print(f"two copies of {n:,} articles ({size:.0f} MB together), 6 entities each and an")
    print("Attack event with 2 arguments on every 4th article, per annotator")
    print(
        f"merge both into a new project (made from alice's copy, bob's merged in): "
        f"{first['seconds']:.1f} s, CPU {first['cpu']:.1f} s (of which the copy made alice's layer in "
        f"{first['start']:.1f} s), peak RSS {first['peak_mb']:.0f} MB"
    )
    if batched:
        print(
            f"merge both into an existing empty project, batch by batch: "
            f"{batched['seconds']:.1f} s, CPU {batched['cpu']:.1f} s, "
            f"peak RSS {batched['peak_mb']:.0f} MB"
        )
    print(
        f"merge bob's copy again (layer replaced): {again['seconds']:.1f} s, "
        f"CPU {again['cpu']:.1f} s, peak RSS {again['peak_mb']:.0f} MB"
    )
    print("\n".join(first["lines"] + again["lines"]))
    print(
        f"(own peak RSS of this script: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
