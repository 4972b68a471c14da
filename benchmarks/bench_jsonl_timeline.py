"""When each process of `annotator export jsonl` is busy, and with what (issue 16).

    python benchmarks/bench_jsonl_timeline.py PROJECT.db [--jobs N] [--runs R]

Runs the export as a whole process (`python this-file --child ...`, which calls the command
line's main() after wrapping the export's per-chunk functions to log when they run), then
prints each process's busy intervals on one time axis: the interpreter's start and imports
before the first chunk, each chunk made (here: by the writing process; else by a worker),
the writing process's waits for a worker's result and its writes. What is idle on a core is
where the wall time goes beyond CPU / cores. The output file is deleted afterwards.
Run it under the benchmark lock (flock /tmp/bench.lock ...) on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import runpy
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(log: str, argv: list[str]) -> int:
    """The export, logging (pid, what, start, end) per event, in wall-clock seconds."""
    started = float(os.environ["TIMELINE_T0"])
    events = open(log, "a", buffering=1)

    def note(what: str, a: float, b: float, cpu: float = 0.0) -> None:
        events.write(f"{os.getpid()} {what} {a - started:.4f} {b - started:.4f} {cpu:.4f}\n")

    note("start+imports(cli)", started, time.time(), time.process_time())
    import annotator.cli  # noqa: F401  (main() is wrapped below)
    from annotator.formats import parallel
    from annotator.formats.jsonl import writer

    made = writer.export_chunk
    parent = os.getpid()

    def export_chunk(store, nlp, ids):
        a, cpu = time.time(), time.process_time()
        result = made(store, nlp, ids)
        what = "chunk-here" if os.getpid() == parent else "chunk"
        note(what, a, time.time(), time.process_time() - cpu)
        return result

    writer.export_chunk = export_chunk
    waited = parallel.wait

    def wait(*args, **kwargs):
        a = time.time()
        result = waited(*args, **kwargs)
        note("wait", a, time.time())
        return result

    parallel.wait = wait
    reported = writer._reported

    def _reported(results):
        for item in reported(results):
            a, cpu = time.time(), time.process_time()
            yield item
            # what the caller did with it: write, absorb the figures, ask progress
            note("write", a, time.time(), time.process_time() - cpu)

    writer._reported = _reported
    preloaded = parallel.ordered_map

    def ordered_map(*args, **kwargs):
        a, cpu = time.time(), time.process_time()
        result = preloaded(*args, **kwargs)
        note("preload+pool start", a, time.time(), time.process_time() - cpu)
        return result

    writer.ordered_map = ordered_map
    note("imports(writer)", started, time.time(), time.process_time())
    # The command as `python -m annotator` runs it (annotator/__main__.py: what it does
    # after main() returns counts too).
    sys.argv = ["annotator", *argv]
    cli = sys.modules["annotator.cli"]
    returned = cli.main

    def main_noted():
        try:
            return returned()
        finally:
            note("end", time.time(), time.time(), time.process_time())

    cli.main = main_noted
    runpy.run_module("annotator", run_name="__main__", alter_sys=True)
    return 0


def run(db: str, jobs: int | None) -> tuple[float, float, list[tuple[int, str, float, float]]]:
    # On the RAM disk where there is one, as bench_formats's --workdir /dev/shm/...
    ram = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=ram) as folder:
        log = Path(folder) / "events"
        out = Path(folder) / "out.jsonl"
        command = [sys.executable, __file__, "--child", str(log), "export", "jsonl", db, str(out)]
        if jobs:
            command += ["--jobs", str(jobs)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.time()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TIMELINE_T0": repr(t0)}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        wall = time.time() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        events = []
        for line in log.read_text().splitlines():
            pid, *what, a, b, used = line.split()
            events.append((int(pid), " ".join(what), float(a), float(b), float(used)))
    return wall, cpu, events


def show(wall: float, cpu: float, events) -> None:
    print(f"wall {wall:.2f} s, CPU {cpu:.2f} s (load {os.getloadavg()[0]:.1f})")
    ends = [b for _, what, _, b, _ in events if what == "end"]
    chunks_end = max(b for _, what, _, b, _ in events if what.startswith("chunk"))
    print(f"  last chunk made at {chunks_end:.2f} s, main() returned at {ends[0]:.2f} s, "
          f"the process ended at {wall:.2f} s")
    by_pid = defaultdict(list)
    for pid, what, a, b, used in events:
        by_pid[pid].append((what, a, b, used))
    for pid, items in by_pid.items():
        totals: dict[str, float] = defaultdict(float)
        cpus: dict[str, float] = defaultdict(float)
        counts: dict[str, int] = defaultdict(int)
        for what, a, b, used in items:
            totals[what] += b - a
            cpus[what] += used
            counts[what] += 1
        chunks = [(a, b) for what, a, b, _ in items if what.startswith("chunk")]
        first = min((a for a, _ in chunks), default=0)
        last = max((b for _, b in chunks), default=0)
        print(f"  process {pid}: chunks from {first:.2f} s to {last:.2f} s")
        for w in sorted(totals):
            print(f"    {w:<20} x{counts[w]:<4} wall {totals[w]:6.2f} s  CPU {cpus[w]:6.2f} s")
    # One line per process: each character a 0.1 s slot, the thing it did most in that slot.
    marks = {"chunk": "w", "chunk-here": "h", "wait": ".", "write": "W",
             "start+imports(cli)": "i", "imports(writer)": "i", "preload+pool start": "p"}
    width = int(wall * 10) + 1
    for pid, items in by_pid.items():
        share: list[dict[str, float]] = [defaultdict(float) for _ in range(width)]
        for what, a, b, _ in items:
            if what == "imports(writer)":
                a = max(x[2] for x in items if x[0] == "start+imports(cli)")
            for slot in range(max(0, int(a * 10)), min(width, int(b * 10) + 1)):
                share[slot][what] += min(b, (slot + 1) / 10) - max(a, slot / 10)
        line = "".join(
            marks.get(max(used, key=used.__getitem__), "?") if used else " " for used in share
        )
        print(f"  {pid:>7} |{line}|")
    print("  (0.1 s a character; i imports, p spaCy preload and pool start, h chunk made by "
          "the writing process, w by a worker, . waiting for a worker, W writing)")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2], sys.argv[3:]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        show(*run(args.project, args.jobs))


if __name__ == "__main__":
    main()
