"""Where `annotator import` of a big file spends its time, part by part (issue 16's import
target: doccano's corpus, 10,000 articles and 200,000 spans, in <= 2.2 s, whole process).

    python benchmarks/bench_import_split.py [--workdir DIR] [--runs 3] [--small FILE]

The import runs two processes side by side (formats/reader_process.py): one reads and packs
the records, the other writes them; the slower of the two sets the pace, and the writer's
start (the interpreter and its imports, a new project's migrations) comes before either.
Printed, each the best of --runs (CPU time: user + system, what a shared machine's load
changes least; wall time beside it):
- reader alone: the doccano reader's records packed and pickled as the reading process sends
  them, no store;
- writer alone: the same records, read beforehand, written by write_records into a new
  project (batches, full-text passes, the gaps left for other writers, the publish), and
  how long its transactions held the write lock (longest, p50, p99: what a person's edit
  in the window may wait);
- the command's start: `python -c "import annotator.cli.importing, ..."` as `annotator
  import` imports it (no project), and a new project's creation;
- a small file, whole process (`annotator import` of --small, default the 150 Prodigy
  headlines of tests/data): what the window and the command line do most often.
Compare with `bench_formats.py --only corpus --sizes 10000 --rows import` (the whole import).
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import doccano_like_corpus  # noqa: E402


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def reader_alone(corpus: Path, schema) -> tuple[float, float, int]:
    from annotator.formats import json_stream
    from annotator.formats.packed import packed
    from annotator.formats.reader_process import SEND_RECORDS, ReadingJob, _message
    from annotator.formats.records import ImportReport

    job = ReadingJob("doccano", schema, {}, corpus, None, None, utf8_checked_elsewhere=True)
    gc.disable()  # as in the reading process
    json_stream.UTF8_CHECKED_ELSEWHERE = True  # as in the reading process: the importer checks
    start, cpu, sent = time.perf_counter(), _cpu(), 0
    batch = []
    try:
        for record in job.records(ImportReport()):
            batch.append(packed(record))
            if len(batch) >= SEND_RECORDS:
                sent += len(_message("records", batch))
                batch = []
        sent += len(_message("records", batch))
    finally:
        json_stream.UTF8_CHECKED_ELSEWHERE = False
        gc.enable()
    return time.perf_counter() - start, _cpu() - cpu, sent


def _holds(store) -> list[float]:
    """Each outermost write transaction of `store` timed, from BEGIN IMMEDIATE to COMMIT
    (nobody else writes here, so that is how long the write lock is held)."""
    holds: list[float] = []
    write = store.write

    @contextmanager
    def timed():
        if store.conn.in_transaction:
            with write():
                yield
            return
        start = time.perf_counter()
        with write():
            yield
        holds.append(time.perf_counter() - start)

    store.write = timed
    return holds


def writer_alone(corpus: Path, db: Path, holds: list[float]) -> tuple[float, float, int]:
    from annotator.formats import record_writer
    from annotator.formats.packed import packed
    from annotator.formats.reader_process import ReadingJob
    from annotator.formats.records import ImportReport
    from annotator.store import open_project

    _fresh(db)
    store = open_project(db)
    job = ReadingJob("doccano", store.schema, {}, corpus, None, None)
    records = [packed(r) for r in job.records(ImportReport())]
    # The records as the reading process sends them: unpickled, not built in this process.
    records = pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    holds[:] = []
    timed = _holds(store)
    gaps = 0
    leave = record_writer._leave_a_gap

    def counted_gap() -> None:
        nonlocal gaps
        gaps += 1
        leave()

    record_writer._leave_a_gap = counted_gap
    try:
        start, cpu = time.perf_counter(), _cpu()
        record_writer.write_records(store, iter(records), ImportReport(), source=corpus.name)
        store.close()
        holds.extend(timed)
        return time.perf_counter() - start, _cpu() - cpu, gaps
    finally:
        record_writer._leave_a_gap = leave


def whole(command: list[str]) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - before


def best(runs: int, measure) -> tuple:
    return min((measure() for _ in range(runs)), key=lambda r: r[1])  # least CPU


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/dev/shm/bench-import-split"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", type=Path,
                        default=ROOT / "tests" / "data" / "prodigy-news-headlines.jsonl")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = args.workdir / "doccano-10000.jsonl"
    if not corpus.exists():
        doccano_like_corpus(corpus, 10_000, seed=0)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Import of doccano's corpus, part by part (best of {args.runs}; load {load}):")

    from annotator.store import open_project

    schema_db = args.workdir / "schema.db"
    _fresh(schema_db)
    schema = open_project(schema_db).schema
    seconds, cpu, sent = best(args.runs, lambda: reader_alone(corpus, schema))
    print(f"  reader alone (parse, pack, pickle)  {seconds:6.2f} s wall  {cpu:5.2f} s CPU"
          f"  ({sent / 1e6:.0f} MB pickled)")
    db = args.workdir / "writer.db"
    holds: list[float] = []
    longest: list[float] = []

    def writer():
        result = writer_alone(corpus, db, holds)
        longest.append(max(holds))
        return result

    seconds, cpu, gaps = best(args.runs, writer)
    ordered = sorted(holds)  # the last run's
    print(f"  writer alone (batches, passes, publish) {seconds:6.2f} s wall  {cpu:5.2f} s CPU"
          f"  ({gaps} transactions, each followed by a {1000 * 0.001:.0f} ms gap)")
    print(f"    write lock held: longest {1000 * min(longest):.0f} ms (best run; each run "
          f"{', '.join(f'{1000 * x:.0f}' for x in longest)} ms), p50 "
          f"{1000 * ordered[len(ordered) // 2]:.0f} ms, p99 "
          f"{1000 * ordered[int(len(ordered) * 0.99)]:.0f} ms ({len(ordered)} transactions)")
    imports = ("import annotator.cli.entry, annotator.cli.importing, "
               "annotator.formats.importer, annotator.store")
    seconds, cpu = best(args.runs, lambda: whole([sys.executable, "-c", imports]))
    print(f"  the command's imports (whole process) {seconds:6.2f} s wall  {cpu:5.2f} s CPU")
    new = args.workdir / "new.db"
    make = f"from annotator.store import open_project; open_project({str(new)!r}).close()"

    def created():
        _fresh(new)
        return whole([sys.executable, "-c", make])

    seconds, cpu = best(args.runs, created)
    print(f"  imports + a new project (whole process) {seconds:6.2f} s wall  {cpu:5.2f} s CPU")
    small = args.workdir / "small.db"

    def small_import():
        _fresh(small)
        return whole([sys.executable, "-m", "annotator", "import", str(small), str(args.small)])

    seconds, cpu = best(args.runs, small_import)
    print(f"  import of {args.small.name} (whole process) {seconds:6.2f} s wall  "
          f"{cpu:5.2f} s CPU")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"(load now {load}; nproc {os.cpu_count()}). Re-measure on a quiet machine with\n"
          f"  python benchmarks/bench_import_split.py --workdir {args.workdir}")


if __name__ == "__main__":
    main()
