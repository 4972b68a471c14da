"""Soak: a person edits in the real window while an import, a suggestion run and an export
run at once on the same project (issue 10, point 2).

    python benchmarks/bench_concurrency.py [--seconds 60] [--mb 50] [--base-mb 25]
                                            [--interval 50] [--workdir DIR] [--out FILE]

A project of --base-mb MB of wire articles (plus the seed articles with open suggestions) is
built; then a --mb MB JSONL import (`annotator import`), a corpus-wide pattern suggestion run
(`annotator suggest --patterns`) and a spaCy export (`annotator export spacy`) start at once,
each a process of its own, while tests/reliability/driver.py, in the real window offscreen,
adds, relabels, deletes, accepts, rejects, undoes and redoes an edit every --interval ms for
--seconds. Figures: failed edits, edit latency from key to commit (p50/p99/max), the event
loop's longest stall and the count over 100 ms (a 10 ms heartbeat), each job's duration, and
whether every acknowledged edit is in the file. Targets: 0 failed, p99 <= 100 ms, no stall
over 100 ms. Printed, and written as JSON to --out (default benchmarks/results/).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability import scenario  # noqa: E402


def report(figures: dict, args: argparse.Namespace) -> list[str]:
    s = figures["summary"]
    lines = [
        f"project: {figures['articles']:,} articles at the end; import {args.mb:g} MB JSONL, "
        f"corpus-wide pattern suggestions and a spaCy export at once",
        f"edits: {s.get('edits', 0)} acknowledged in {s.get('seconds', 0):.0f} s "
        f"(one every {args.interval:g} ms), {s.get('failed', 0)} failed (target 0), "
        f"{s.get('refused', 0)} refused by the schema or the state",
        f"edit latency, key to commit: p50 {s.get('p50_ms', 0):.1f} ms, "
        f"p99 {s.get('p99_ms', 0):.1f} ms (target <= 100 ms), max {s.get('max_ms', 0):.1f} ms",
        "  while the jobs ran ({seconds:.1f} s): {edits} edits, p50 {p50_ms:.1f} ms, "
        "p99 {p99_ms:.1f} ms, max {max_ms:.1f} ms".format(**figures["while_jobs_ran"]),
        f"event loop: longest stall {s.get('max_stall_ms', 0):.0f} ms, "
        f"{s.get('stalls_over_100ms', 0)} stalls over 100 ms (target 0)",
        f"  worst stalls [ms, during, at s]: {s.get('worst_stalls', [])}",
    ]
    for name, job in figures["jobs"].items():
        lines.append(f"job {name}: {job['seconds']:.1f} s, exit {job['exit']}")
    problems = figures["problems"]
    lines.append("file: every acknowledged edit present, integrity_check ok" if not problems
                 else f"file: {len(problems)} problem(s): {problems[:5]}")
    if figures["failures"]:
        lines.append(f"failures (first 5): {figures['failures'][:5]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--mb", type=float, default=50, help="size of the JSONL imported")
    parser.add_argument("--base-mb", type=float, default=25,
                        help="wire articles in the project before the run (25 MB: ~9,000)")
    parser.add_argument("--interval", type=float, default=50, help="ms between edits")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-soak-"))
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    figures = scenario.run(workdir, args.seconds, args.mb, args.base_mb, args.interval)
    for line in report(figures, args):
        print(line)
    out = args.out or ROOT / "benchmarks" / "results" / (
        f"concurrency-{started.replace(':', '')}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    figures["driver_stderr"] = figures["driver_stderr"][-1000:]
    record = {"started": started, "args": {k: str(v) for k, v in vars(args).items()},
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform()},
              **figures}
    out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
