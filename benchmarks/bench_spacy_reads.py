"""The spaCy export's reading alone (no spaCy): what it reads now, 100 articles a query per
table (ProjectStore.exported_articles, formats/spacy/writer.py's _articles), against what it
read before, six queries an article (the article with its spans, the rejected ones, the events,
the attributes). The whole-process rows of bench_formats.py can't tell the two apart on a
shared machine: the reading is about 1 s of CPU of the ~20 s a 10,000-article export takes.

    python benchmarks/bench_spacy_reads.py PROJECT.db [--rounds 3]

PROJECT.db: e.g. the corpus bench_formats.py leaves in its --workdir
(`--only corpus --sizes 10000 --rows spacy1 --workdir DIR` makes DIR/corpus-10000.db).
Prints each way's CPU and wall time per round, the best of each, and the load average.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from annotator.formats.export_common import Export, answered_reject
from annotator.formats.spacy.writer import READ_CHUNK
from annotator.store import open_project


def per_article(store) -> tuple[int, int]:
    """What the export read before: Export's articles one by one, then their events and
    attributes (the report's count of rejected spans asks one more query an article).
    Articles and items read (spans, rejected spans, events, attributes), to compare."""
    export = Export(store, False)
    n = items = 0
    for article, spans in export:
        rejected = answered_reject(store, article.id)
        span_meta, event_meta = store.annotation_meta(article.id)
        events = store.events(article.id)
        n += 1
        items += len(spans) + len(rejected) + len(events) + len(span_meta) + len(event_meta)
    return n, items


def chunked(store) -> tuple[int, int]:
    """What it reads now: READ_CHUNK articles a query per table."""
    export = Export(store, False)
    n = items = 0
    for at in range(0, len(export.ids), READ_CHUNK):
        for read in store.exported_articles(export.ids[at : at + READ_CHUNK]):
            n += 1
            items += len(read.spans) + len(read.rejected) + len(read.events)
            items += len(read.span_meta) + len(read.event_meta)
    return n, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store = open_project(args.project)
    store.read_layer = store.export_layer(None, False, str(args.project))
    best: dict[str, tuple[float, float]] = {}
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    for _ in range(args.rounds):
        for name, read in (("six queries an article", per_article), ("chunked", chunked)):
            cpu, wall = time.process_time(), time.perf_counter()
            n, items = read(store)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"  {name:24s} {n:,} articles, {items:,} items: CPU {cpu:.2f} s, wall {wall:.2f} s"
            )
            before = best.get(name, (cpu, wall))
            best[name] = (min(before[0], cpu), min(before[1], wall))
    store.close()
    print("best of each (CPU / wall):")
    for name, (cpu, wall) in best.items():
        print(f"  {name:24s} {cpu:.2f} s / {wall:.2f} s")
    print(f"load average {load} -> {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"re-measure on a quiet machine: python benchmarks/bench_spacy_reads.py {args.project}")


if __name__ == "__main__":
    main()
