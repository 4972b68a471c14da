"""How long "label all occurrences" takes over a corpus, and how long a person's edit waits
meanwhile. Run from the top of the repository:

    .venv/bin/python scripts/bench-label-all.py [ARTICLES] [--keep DIR]

It imports ARTICLES (default 20,000) generated news-like articles of about 2,000 characters,
one in ten holding "Kataib Hezbollah", then times three runs, each printed with what it
found: whole words (the FTS5 index narrows the articles), inside words with two words (the
index still narrows), inside words with one word (every article is read). Beside each run a
thread writes as the window does (BEGIN IMMEDIATE, one row) every 10 ms and the longest wait
for the lock is printed. The machine's cores and load are printed first: on a busy machine
the figures are noisy; compare runs made on a quiet one.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = (
    "the government said on Monday that talks with the militia would resume after a strike "
    "near the border killed three people and injured several others according to officials "
    "in the capital who asked not to be named because they were not authorised to speak"
).split()


def corpus(path: Path, n: int) -> None:
    rng = random.Random(0)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            words = [rng.choice(WORDS) for _ in range(330)]
            if i % 10 == 0:
                words[rng.randrange(300)] = "Kataib Hezbollah"
                words[rng.randrange(300)] = "Hezbollahi"
            text = f"Report {i}\n\n" + " ".join(words) + "."
            out.write(json.dumps({"id": str(i), "text": text}) + "\n")


def timed(store, text: str, options, label: str = "ORG"):
    from annotator.suggest.propagate import propagate

    waits: list[float] = []
    stop = threading.Event()

    def window_edits() -> None:
        conn = sqlite3.connect(store.path, timeout=60)
        while not stop.is_set():
            began = time.monotonic()
            conn.execute("BEGIN IMMEDIATE")
            waits.append(time.monotonic() - began)
            conn.execute("UPDATE meta SET value = value WHERE key = 'schema'")
            conn.execute("COMMIT")
            time.sleep(0.01)
        conn.close()

    writer = threading.Thread(target=window_edits)
    writer.start()
    began = time.perf_counter()
    try:
        report = propagate(store, text, label, options)
    finally:
        stop.set()
        writer.join()
    return time.perf_counter() - began, report, max(waits, default=0.0)


def main(argv: list[str]) -> int:
    from annotator.core.occurrences import MatchOptions
    from annotator.formats.importer import import_paths
    from annotator.store import open_project

    n = int(argv[0]) if argv and argv[0].isdigit() else 20_000
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()}, articles: {n}")
    work = keep or Path(tempfile.mkdtemp(prefix="bench-label-all-"))
    work.mkdir(parents=True, exist_ok=True)
    project = work / "bench.db"
    fresh = not project.exists()
    store = open_project(project)
    if fresh:
        source = work / "corpus.jsonl"
        corpus(source, n)
        began = time.perf_counter()
        import_paths(store, [source])
        print(f"import: {time.perf_counter() - began:.1f} s")
    runs = (
        ("whole word, FTS5 narrows", "Kataib Hezbollah", MatchOptions(whole_word=True)),
        ("inside words, FTS5 narrows", "Kataib Hezbollah", MatchOptions()),
        ("inside words, one word: every article read", "ministry", MatchOptions()),
    )
    for name, text, options in runs:
        seconds, report, wait = timed(store, text, options)
        print(
            f"{name}: {seconds:.2f} s, {report.scanned} articles read; "
            f"longest wait of an edit: {wait * 1000:.0f} ms\n    {report.summary()}"
        )
        store.conn.execute("BEGIN IMMEDIATE")
        store.conn.execute("DELETE FROM spans WHERE origin = 'suggest:propagated'")
        store.conn.execute("COMMIT")
    store.close()
    print(f"project: {project}" if keep else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
