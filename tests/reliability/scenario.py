"""The concurrent-jobs scenario (issue 10, point 2): a JSONL import, a corpus-wide suggestion
run and a spaCy export, each an `annotator` command in a process of its own, run at once on
one project while the driver edits in the real window. Used by
tests/reliability/test_concurrent_jobs.py (short) and benchmarks/bench_concurrency.py (soak).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from annotator.formats.importer import import_paths
from annotator.store import open_project
from tests.reliability.ledger import Ledger, percentile
from tests.reliability.projects import ROOT, make_project, write_jsonl

PATTERNS = "GPE\tBaghdad\nGPE\tIraq\nORG\tPentagon\nORG\tKataib Hezbollah\nPERSON\tTrump\n"


@dataclass
class Job:
    name: str
    argv: list[str]
    started: float = 0.0
    seconds: float = 0.0
    returncode: int | None = None
    output: str = ""
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, env: dict) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", *self.argv], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env)

        def wait() -> None:
            assert self.proc is not None
            self.output = self.proc.communicate()[0]
            self.seconds = time.perf_counter() - self.started
            self.returncode = self.proc.returncode

        self.waiter = threading.Thread(target=wait, daemon=True)
        self.waiter.start()


def environment() -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen",
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                         os.environ.get("PYTHONPATH")])))


def prepare(workdir: Path, import_mb: float, base_mb: float) -> tuple[Path, Path, Path]:
    """The project (the seed articles with open suggestions, plus `base_mb` MB of wire
    articles already imported), the JSONL file to import, and a pattern file."""
    workdir.mkdir(parents=True, exist_ok=True)
    project = workdir / "project.db"
    for stale in workdir.glob("project.db*"):
        stale.unlink()
    make_project(project)
    if base_mb:
        base = workdir / "base.jsonl"
        write_jsonl(base, base_mb, seed=1)
        store = open_project(project)
        try:
            import_paths(store, [base])
        finally:
            store.close()
    corpus = workdir / "incoming.jsonl"
    write_jsonl(corpus, import_mb, seed=2)
    patterns = workdir / "patterns.tsv"
    patterns.write_text(PATTERNS)
    return project, corpus, patterns


def run(workdir: Path, seconds: float, import_mb: float, base_mb: float,
        interval_ms: float = 50, seed: int = 1, export_done_only: bool = False,
        until_jobs_end: float | None = None) -> dict:
    """Edit for `seconds` while the three jobs run; returns the figures and what the file
    check found (`problems`: empty when every acknowledged edit is in the file).
    until_jobs_end=S: stop editing once the jobs have ended (edits after them prove nothing)
    and S seconds have passed, `seconds` at the latest."""
    project, corpus, patterns = prepare(workdir, import_mb, base_mb)
    ledger = Ledger.from_file(project)
    env = environment()
    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.driver", str(project), "--seed", str(seed),
         "--interval", str(interval_ms), "--seconds", str(seconds),
         *(["--until-stdin-closes"] if until_jobs_end is not None else [])],
        stdin=subprocess.PIPE if until_jobs_end is not None else None,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, cwd=ROOT, env=env)
    assert driver.stdout is not None and driver.stderr is not None
    first = driver.stdout.readline()  # the window is up: now the jobs start
    ledger.feed(first)
    jobs = [
        Job("import", ["import", str(project), str(corpus)]),
        Job("suggest", ["suggest", str(project), "--patterns", str(patterns)]),
        Job("export", ["export", "spacy", str(project), str(workdir / "export"),
                       *(["--done-only"] if export_done_only else [])]),
    ]
    for job in jobs:
        job.start(env)
    if until_jobs_end is not None:
        editing_from = time.perf_counter()

        def stop_the_driver() -> None:
            for job in jobs:
                job.waiter.join()
            time.sleep(max(0.0, editing_from + until_jobs_end - time.perf_counter()))
            assert driver.stdin is not None
            driver.stdin.close()

        threading.Thread(target=stop_the_driver, daemon=True).start()
    acks: list[tuple[float, float]] = []  # (when it came, latency ms), to tell what the jobs
    for line in driver.stdout:  # overlapped: an edit after they ended proves nothing
        ledger.feed(line)
        if line.startswith("ack"):
            acks.append((time.perf_counter(), json.loads(line.partition(" | ")[2])["ms"]))
    driver.wait()
    stderr = driver.stderr.read()
    for job in jobs:
        job.waiter.join()
    summary = ledger.summary or {}
    first_job = min(job.started for job in jobs)
    last_job = max(job.started + job.seconds for job in jobs)
    during = [ms for when, ms in acks if first_job <= when <= last_job]
    return {
        "summary": summary,
        "while_jobs_ran": {
            "seconds": round(last_job - first_job, 2),
            "edits": len(during),
            "p50_ms": round(percentile(during, 0.5), 2),
            "p99_ms": round(percentile(during, 0.99), 2),
            "max_ms": round(max(during, default=0.0), 2),
        },
        "driver_exit": driver.returncode,
        "driver_stderr": stderr[-3000:],
        "failures": ledger.failures,
        "problems": ledger.check(project, jobs=True),
        "jobs": {job.name: {"seconds": round(job.seconds, 2), "exit": job.returncode,
                            "output": job.output[-600:]} for job in jobs},
        "articles": _count(project),
    }


def _count(project: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(project)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()
