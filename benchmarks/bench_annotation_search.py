"""What indexing notes and knowledge-base ids (migration 0013_annotation_search) costs.

    python benchmarks/bench_annotation_search.py [--articles 5000] [--noted 0.1] [--runs 3]

1. Import rate of a doccano-like corpus (benchmarks/corpus_gen.py: ~3,000 characters and 20
   spans an article) into a project with the migration's triggers and into one without
   (the same project format minus that step), best of --runs each, interleaved: the triggers
   fire on every span insert, so this is what the import path pays.
2. The same corpus with --noted of its spans carrying a note and a Wikidata id (JSONL span
   "meta"), which the triggers index: the import rate, with and without.
3. The article search for a word only a note holds, and for an id: ms per query (p50 of 50),
   and a search for a word of the text alone, for comparison.

Figures on a shared machine are noisy: run it on a quiet one to compare, and read the
with/without ratio rather than the absolute rates. It prints the Python, SQLite and corpus
sizes it used so a second run can be matched.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_gen import doccano_like_corpus  # noqa: E402

from annotator.core.model import ArticleFilter  # noqa: E402
from annotator.formats.importer import import_paths  # noqa: E402
from annotator.store import migrations, open_project  # noqa: E402

STEP = "0013_annotation_search"


def with_notes(source: Path, target: Path, share: float, seed: int = 0) -> int:
    """The corpus as Prodigy-style JSONL with `share` of the spans noted and linked."""
    rng = random.Random(seed)
    noted = 0
    with source.open() as inp, target.open("w") as out:
        for line in inp:
            record = json.loads(line)
            spans = []
            for start, end, label in record["label"]:
                span = {"start": start, "end": end, "label": label}
                if rng.random() < share:
                    noted += 1
                    span["meta"] = {"notes": [f"checked zqnote{noted % 997}"]}
                    span["kb_id"] = f"Q{100000 + noted}"
                spans.append(span)
            out.write(json.dumps({"text": record["text"], "spans": spans}) + "\n")
    return noted


def import_rate(corpus: Path, folder: Path, indexed: bool) -> tuple[float, Path]:
    path = folder / f"p-{time.perf_counter_ns()}.db"
    steps = migrations.MIGRATIONS
    if not indexed:
        migrations.MIGRATIONS = [m for m in steps if m[0] != STEP]
        migrations.SCHEMA_VERSION = len(migrations.MIGRATIONS)
    try:
        store = open_project(path)
        started = time.perf_counter()
        report = import_paths(store, [corpus])
        took = time.perf_counter() - started
        store.close()
    finally:
        migrations.MIGRATIONS = steps
        migrations.SCHEMA_VERSION = len(steps)
    return report.articles / took, path


def search_ms(path: Path, typed: str) -> float:
    store = open_project(path)
    flt = ArticleFilter.from_search(None, typed)
    times = []
    for _ in range(50):
        started = time.perf_counter()
        store.count_articles(flt)
        store.first_article_id(flt)
        times.append((time.perf_counter() - started) * 1000)
    store.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--noted", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
          f"{args.articles} articles x 20 spans, {args.noted:.0%} of spans noted, "
          f"best of {args.runs}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = doccano_like_corpus(folder / "plain.jsonl", args.articles)
        noted = folder / "noted.jsonl"
        count = with_notes(plain, noted, args.noted)
        for name, corpus in (("plain spans", plain), (f"{count} noted spans", noted)):
            best = {True: 0.0, False: 0.0}
            last = None
            for _ in range(args.runs):
                for indexed in (False, True):
                    rate, path = import_rate(corpus, folder, indexed)
                    best[indexed] = max(best[indexed], rate)
                    if indexed:
                        last = path
            print(f"import, {name}: {best[False]:,.0f} articles/s without the index, "
                  f"{best[True]:,.0f} with ({best[True] / best[False]:.2f}x)")
        assert last is not None
        for what, typed in (("a note's word", "zqnote5"), ("an id", "Q100005"),
                            ("a word of the text", "Baghdad")):
            print(f"search for {what}: {search_ms(last, typed):.2f} ms (p50 of 50)")


if __name__ == "__main__":
    main()
