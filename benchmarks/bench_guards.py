"""What the guard rails cost on a large project: the counts said before training, before an
export and before deciding all of one label run on the GUI thread when their dialogs open.

    python benchmarks/bench_guards.py [--articles 100000] [--keep DIR]

Builds a project of N short articles (3 accepted spans each, one open suggestion on every
tenth) by a JSONL import, then times, best of 5 each: training_counts (the examples per
label in the export's split), export_scope (done / in progress / new and what the export
takes, both choices of done-only), open_suggestion_count and open_suggestion_labels (the
bulk-decision dialog). Prints the figures and the command to re-measure on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.formats.export_scope import export_scope  # noqa: E402
from annotator.formats.importer import import_paths  # noqa: E402
from annotator.store import open_project  # noqa: E402
from annotator.suggest.train_check import training_counts  # noqa: E402

PLACES = ["Baghdad", "Mosul", "Basra", "Erbil", "Kirkuk"]
PEOPLE = ["Ali Hassan", "Maria Lopez", "John Smith"]


def build(path: Path, articles: int) -> None:
    source = path.with_suffix(".jsonl")
    with source.open("w") as out:
        for i in range(articles):
            person, place = PEOPLE[i % 3], PLACES[i % 5]
            text = f"{person} of the Pentagon arrived in {place} on day {i}."
            at = text.index(place)
            spans = [
                {"start": 0, "end": len(person), "label": "PERSON"},
                {"start": text.index("Pentagon"), "end": text.index("Pentagon") + 8,
                 "label": "ORG"},
                {"start": at, "end": at + len(place), "label": "GPE"},
            ]
            status = ("done", "in_progress", "new")[i % 3]
            out.write(json.dumps({"id": f"a{i}", "text": text, "spans": spans,
                                  "status": status}) + "\n")
    store = open_project(path)
    import_paths(store, [source])
    # One open suggestion on every tenth article (what a suggestion run leaves).
    ids = [row[0] for row in store.conn.execute("SELECT id FROM articles ORDER BY id")]
    rows = [(i, [(len("x"), 5, "DATE", None)]) for i in ids[::10]]
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        store.write_suggestion_batch("suggest:bench", [i for i, _ in batch],
                                     [(i, s, e, label, score) for i, spans in batch
                                      for s, e, label, score in spans])
    store.close()


def best(function, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-guards-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"guards-{args.articles}.db"
    if not path.exists():
        started = time.perf_counter()
        build(path, args.articles)
        print(f"built {path} in {time.perf_counter() - started:.1f} s")
    store = open_project(path)
    print(f"{args.articles:,} articles, 2 cores? load {os.getloadavg()[0]:.1f} "
          f"(cores: {os.cpu_count()}); best of 5, ms:")
    figures = {
        "training_counts (train/dev per label)": lambda: training_counts(store),
        "export_scope, default": lambda: export_scope(store, False),
        "export_scope, done only": lambda: export_scope(store, True),
        "open_suggestion_count(DATE)": lambda: store.open_suggestion_count("DATE"),
        "open_suggestion_labels()": store.open_suggestion_labels,
    }
    for name, function in figures.items():
        print(f"  {name:<42} {best(function):8.1f}")
    store.close()
    print(f"re-measure on a quiet machine: python benchmarks/bench_guards.py "
          f"--articles {args.articles} --keep {folder}")


if __name__ == "__main__":
    main()
