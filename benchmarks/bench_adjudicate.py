"""Benchmark `annotator adjudicate --auto` over a large project (issue 15): the gold layer
filled with every agreed unit, conflicts counted, streamed in batches of articles.

    python benchmarks/bench_adjudicate.py [--articles 100000] [--workdir DIR [--reuse]]

Builds (or reuses) the two-annotator projects of benchmarks/bench_agreement.py (N wire
articles of 1-4 KB; ann's layer and bob's, 10-20% of it disagreed with; an Attack with
arguments on one article in five), copies each, and runs the fill on the copy in a fresh
process: wall and CPU time, peak memory (the process's VmHWM), how long each write
transaction held the lock (p50 / p99 / max: a person's edit in the window waits at most
that), gold rows added and conflicts left. Run for N/10 and N articles: the same peak for
both shows the memory is bounded.

Figures, not pass/fail; on a shared machine the wall time wobbles (the CPU time is the
steadier figure). To re-measure on a quiet machine:
`python benchmarks/bench_adjudicate.py --articles 100000 --workdir /tmp/adj --reuse`
(`--reuse` takes the projects a run of this or of bench_agreement.py left in that folder).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_agreement import build  # noqa: E402

MEASURE = r"""
import json, sys, time
from contextlib import contextmanager
sys.path.insert(0, sys.argv[2])
from annotator.store.project import ProjectStore
store = ProjectStore(sys.argv[1])
write, holds = store.write, []

@contextmanager
def timed():
    outer = not store.conn.in_transaction  # the transaction's own block, not one inside it
    start = time.perf_counter()
    with write():
        yield
    if outer:
        holds.append(time.perf_counter() - start)

store.write = timed
t, cpu = time.perf_counter(), time.process_time()
report = store.fill_gold()
seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
store.close()
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
holds.sort()
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "articles": report.articles,
                  "added": report.added, "open": report.open, "transactions": len(holds),
                  "p50_ms": 1000 * holds[len(holds) // 2], "p99_ms": 1000 * holds[int(len(holds) * .99)],
                  "max_ms": 1000 * holds[-1]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--reuse", action="store_true", help="take projects already in --workdir")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-adjudicate-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, workdir {workdir}")
    for n in (max(1, args.articles // 10), args.articles):
        source = workdir / f"agree-{n}.db"  # bench_agreement.py's name: either builds it
        built = 0.0
        if not (args.reuse and source.exists()):
            source.unlink(missing_ok=True)
            built = build(source, n, workdir)
        copy = workdir / f"adjudicate-{n}.db"
        shutil.copyfile(source, copy)
        out = subprocess.run([sys.executable, "-c", MEASURE, str(copy), str(ROOT)],
                             check=True, capture_output=True, text=True).stdout
        f = json.loads(out)
        print(f"{n} articles x 2 annotators (built in {built:.0f} s, "
              f"{source.stat().st_size / 1e6:.0f} MB): gold filled in {f['seconds']:.1f} s "
              f"(CPU {f['cpu']:.1f} s, {f['articles'] / f['seconds']:.0f} articles/s), peak "
              f"memory {f['peak_mb']:.0f} MB; {f['added']} gold rows added, {f['open']} "
              f"conflicts left; {f['transactions']} transactions holding the lock p50 "
              f"{f['p50_ms']:.0f} ms, p99 {f['p99_ms']:.0f} ms, max {f['max_ms']:.0f} ms")


if __name__ == "__main__":
    main()
