"""Benchmark: how long each writer holds the project's write lock, and what readers pay.

    python benchmarks/bench_locks.py make-jsonl OUT.jsonl [--mb 50]
    python benchmarks/bench_locks.py import PROJECT.db FILE.jsonl      # lock holds of an import
    python benchmarks/bench_locks.py readers PROJECT.db                # hot-path reads
    python benchmarks/bench_locks.py suggest PROJECT.db [--long 100000] # suggestion batch holds
    python benchmarks/bench_locks.py schema PROJECT.db                 # rename/merge/delete holds

Every outermost store.write() block is timed from BEGIN IMMEDIATE to COMMIT (nobody else
writes, so that is the time the lock is held). Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench import seed_sentences, wire_article  # noqa: E402  (the same articles as bench.py)

HOLDS: list[tuple[float, str]] = []


def trace_writes() -> None:
    """Time every outermost write block (the lock is taken at BEGIN IMMEDIATE)."""
    from annotator.store.project import ProjectStore

    inner = ProjectStore.write

    @contextmanager
    def timed(self):
        outer = not self.conn.in_transaction
        start = time.perf_counter()
        with inner(self):
            yield
        if outer:
            HOLDS.append((time.perf_counter() - start, _caller()))

    ProjectStore.write = timed  # type: ignore[method-assign]


def _caller() -> str:
    frame = sys._getframe(3)
    while frame and "contextlib" in frame.f_code.co_filename:
        frame = frame.f_back
    return frame.f_code.co_name if frame else "?"


def report(title: str) -> None:
    if not HOLDS:
        print(f"{title}: no transactions")
        return
    values = sorted(h for h, _ in HOLDS)
    p99 = values[min(len(values) - 1, int(0.99 * (len(values) - 1) + 0.5))]
    worst = max(HOLDS)
    print(
        f"{title}: {len(values)} transactions, total {sum(values):.2f} s, "
        f"p50 {statistics.median(values) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {worst[0] * 1000:.1f} ms (in {worst[1]})"
    )
    HOLDS.clear()


def make_jsonl(out: Path, megabytes: float, seed: int = 7) -> None:
    """Articles of 1-4 KB made of the seed's sentences, a few spans each, ids wire-N (another
    seed: other articles, ids s<seed>-N)."""
    rng = random.Random(seed)
    prefix = "wire" if seed == 7 else f"s{seed}"
    sentences = seed_sentences()
    limit = int(megabytes * 1_000_000)
    written = 0
    with out.open("w") as handle:
        i = 0
        while written < limit:
            article = wire_article(rng, sentences, f"{prefix} {i}", f"{prefix}-{i}")
            line = json.dumps(article) + "\n"
            handle.write(line)
            written += len(line)
            i += 1
    print(f"{out}: {i} articles, {written / 1e6:.1f} MB")


# Another process, as a person's window: a one-row write every 50 ms, timed from the call to
# its commit (waiting for the lock included), until the file named by argv[2] appears.
PROBE = r"""
import json, sys, time
from pathlib import Path
from annotator.store.project import open_project
store = open_project(sys.argv[1])
stop, waits = Path(sys.argv[2]), []
print("ready", flush=True)
while not stop.exists():
    start = time.perf_counter()
    store.set_meta("probe", str(len(waits)))
    waits.append(time.perf_counter() - start)
    time.sleep(0.05)
print(json.dumps(waits))
"""


def run_import(project: Path, jsonl: Path) -> None:
    import subprocess

    from annotator.formats.importer import import_paths
    from annotator.store.project import open_project

    store = open_project(project)
    trace_writes()
    stop = project.with_suffix(".stop")
    stop.unlink(missing_ok=True)
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(project), str(stop)], stdout=subprocess.PIPE, text=True
    )
    assert probe.stdout is not None
    probe.stdout.readline()
    start = time.perf_counter()
    result = import_paths(store, [jsonl])
    elapsed = time.perf_counter() - start
    stop.touch()
    waits = sorted(json.loads(probe.stdout.readline()))
    stop.unlink()
    probe.wait()
    p99 = waits[min(len(waits) - 1, int(0.99 * (len(waits) - 1) + 0.5))]
    print(
        f"an edit every 50 ms from another process: {len(waits)} edits, p50 "
        f"{statistics.median(waits) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {waits[-1] * 1000:.1f} ms"
    )
    print(f"import: {result.articles} articles in {elapsed:.1f} s, {len(result.duplicates)} dups")
    holds = sorted(HOLDS, key=lambda h: h[1])
    flips = [h for h, where in holds if where == "publish_import_run"]
    if flips:
        print(f"flip (publish) transaction: {max(flips) * 1000:.1f} ms")
    report("import lock holds")


def timeit(fn, n: int = 50) -> str:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return f"p50 {statistics.median(times) * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms"


def readers(project: Path) -> None:
    from annotator.core.model import ArticleFilter
    from annotator.store.project import open_project

    store = open_project(project)
    last = store.neighbour(1 << 62, -1) or 1
    middle = last // 2
    print(f"{store.count_articles()} articles, last id {last}")
    print("count_articles:", timeit(store.count_articles))
    print("status_counts:", timeit(store.status_counts))
    print("position(last):", timeit(lambda: store.position(last)))
    print("article_rows(first page):", timeit(lambda: store.article_rows(None, 0, 200)))
    print("article_rows(middle page):", timeit(lambda: store.article_rows(None, middle, 200)))
    print("article(middle):", timeit(lambda: store.article(middle)))
    print("neighbour(middle, +1):", timeit(lambda: store.neighbour(middle, +1)))
    flt = ArticleFilter(query="drone")
    print("count_articles(search):", timeit(lambda: store.count_articles(flt), 5))
    print("label_counts:", timeit(store.label_counts, 5))


def suggest(project: Path, long_chars: int) -> None:
    """One suggestion batch of PAGE articles, each given a span every 40 characters of its
    first `long_chars` characters (a dense model on long articles)."""
    from annotator.store.jobs import PAGE
    from annotator.store.project import open_project

    store = open_project(project)
    trace_writes()
    ids = [row.id for row in store.article_rows(None, 0, PAGE)]
    for _ in range(3):
        rows = []
        for article_id in ids:
            length = len(store.article(article_id).text)
            for start in range(0, min(length, long_chars) - 10, 40):
                rows.append((article_id, start, start + 5, "ORG", 0.5))
        store.write_suggestion_batch("bench", ids, rows)
    report(f"suggestion batch ({PAGE} articles, {len(rows)} spans)")


def schema(project: Path) -> None:
    from annotator.store.project import open_project

    store = open_project(project)
    trace_writes()
    store.rename_schema_name("NORP", "GROUP")
    report("rename a label (NORP -> GROUP)")
    store.rename_schema_name("GROUP", "ORG")
    report("merge a label into another (GROUP -> ORG)")
    store.label_usage()
    start = time.perf_counter()
    store.remove_schema_name("LOC") if store.label_usage().get("LOC", 0) == 0 else None
    report("remove an unused label")
    print(f"  (label_usage + remove: {time.perf_counter() - start:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    make = sub.add_parser("make-jsonl")
    make.add_argument("out", type=Path)
    make.add_argument("--mb", type=float, default=50)
    make.add_argument("--seed", type=int, default=7)
    imp = sub.add_parser("import")
    imp.add_argument("project", type=Path)
    imp.add_argument("jsonl", type=Path)
    sub.add_parser("readers").add_argument("project", type=Path)
    sug = sub.add_parser("suggest")
    sug.add_argument("project", type=Path)
    sug.add_argument("--long", type=int, default=100_000)
    sub.add_parser("schema").add_argument("project", type=Path)
    args = parser.parse_args()
    if args.what == "make-jsonl":
        make_jsonl(args.out, args.mb, args.seed)
    elif args.what == "import":
        run_import(args.project, args.jsonl)
    elif args.what == "readers":
        readers(args.project)
    elif args.what == "suggest":
        suggest(args.project, args.long)
    else:
        schema(args.project)


if __name__ == "__main__":
    main()
