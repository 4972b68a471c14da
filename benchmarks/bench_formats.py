"""Benchmark the import and export paths against issue 5's bar.

    python benchmarks/bench_formats.py [--articles 50000] [--workdir DIR]

Prints:
- JSONL import throughput into a fresh project (articles/s), for short articles (headlines
  of 60-120 characters with 0-3 spans, as in a typical Prodigy JSONL corpus; the bar: at least
  20,000 a second) and for 1-4 KB articles with 0-6 spans (as benchmarks/bench.py makes them);
  each also without the full-text index triggers, to show what FTS5 indexing costs;
- DocBin export time against building the same DocBin with spaCy alone in the same run (the
  bar: within 1.15x). Both take the same articles and accepted spans from the project file;
  spaCy alone does make_doc, char_span, filter_spans for doc.ents, the span group, and
  DocBin.to_disk; our export does the same plus events, user_data, the report and config.cfg.
Figures, not pass/fail: timings on a shared machine wobble, so each is the best of 3 runs.

    python benchmarks/bench_formats.py --only spacy [--sizes 10000,100000] [--jobs N]

The spaCy rows (issue 16): on doccano-like corpora (benchmarks/corpus_gen.py: news articles of
about 3,000 characters with 20 spans each), each measured as a whole process of its own (its
wall time and the peak resident memory of it and all its children, polled every 20 ms):
`annotator export spacy` on one core and on every core, against the same DocBin shards built
with spaCy alone on one core and on every core (nlp.pipe with n_process); a suggestion run
on every core; and a short `annotator train` (--train-steps) on the 10k corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.formats.importer import import_paths  # noqa: E402
from annotator.core.cores import usable_cores  # noqa: E402
from annotator.store import open_project  # noqa: E402
from benchmarks.bench_spacy import measured, spacy_rows  # noqa: E402
from benchmarks.bench import LABELS, make_corpus  # noqa: E402

WORDS = ("Kataib Hezbollah fighters left Baghdad on Sunday after the US strike killed a "
         "senior commander near the airport Pentagon officials said Iraq protests grew").split()


def make_headlines(path: Path, n: int) -> None:
    """Headline-sized records with 0-3 token spans and a meta source, like Prodigy's exports."""
    rng = random.Random(3)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
            text = f"{i}: " + " ".join(words)
            spans, pos = [], len(f"{i}: ")
            for word in words:
                if rng.random() < 0.12 and len(spans) < 3:
                    spans.append({"start": pos, "end": pos + len(word),
                                  "label": rng.choice(LABELS)})
                pos += len(word) + 1
            out.write(json.dumps({"text": text, "spans": spans,
                                  "meta": {"source": "The Wire"}}) + "\n")


def drop_fts_triggers(db: Path) -> None:
    conn = sqlite3.connect(db)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = 'articles'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()


def time_import(corpus: Path, folder: Path, fts: bool = True, runs: int = 3) -> tuple[float, int]:
    best, articles = float("inf"), 0
    for run in range(runs):
        db = folder / f"import-{corpus.stem}-{fts}-{run}.db"
        open_project(db).close()
        if not fts:
            drop_fts_triggers(db)
        store = open_project(db)
        start = time.perf_counter()
        report = import_paths(store, [corpus])
        best = min(best, time.perf_counter() - start)
        articles = report.articles
        store.close()
    return best, articles


def spacy_alone(db: Path, out: Path) -> float:
    """The same DocBin with spaCy alone: the texts and spans from SQLite, and nothing else."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    start = time.perf_counter()
    nlp = spacy.blank("en")
    conn = sqlite3.connect(db)
    spans: dict[int, list] = {}
    for article_id, s, e, label in conn.execute(
            "SELECT article_id, start, end, label FROM spans WHERE state = 'accepted' "
            "AND kind = 'entity'"):
        spans.setdefault(article_id, []).append((s, e, label))
    docbin = DocBin(store_user_data=True)
    for article_id, text in conn.execute("SELECT id, text FROM articles WHERE id IN "
                                         "(SELECT article_id FROM spans) ORDER BY id"):
        doc = nlp.make_doc(text)
        group = [span for s, e, label in spans[article_id]
                 if (span := doc.char_span(s, e, label=label, alignment_mode="expand"))]
        doc.ents = filter_spans(group)
        doc.spans["sc"] = group
        docbin.add(doc)
    docbin.to_disk(out)
    conn.close()
    return time.perf_counter() - start


def ours(db: Path, out: Path) -> float:
    from annotator.formats.spacy.writer import export_spacy

    start = time.perf_counter()
    store = open_project(db)
    export_spacy(store, out, dev_share=0.2)
    store.close()
    return time.perf_counter() - start


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measured":
        measured(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50_000,
                        help="short articles to import (default 50,000); a fifth as many long "
                             "ones, and a tenth of those for the DocBin export")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp folder)")
    parser.add_argument("--only", choices=("spacy",), help="only these rows")
    parser.add_argument("--sizes", default="10000,100000",
                        help="corpus sizes for the spaCy rows (default 10000,100000)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for 'every core' (default: every core)")
    parser.add_argument("--train-steps", type=int, default=20,
                        help="steps of the training row, on the smallest size (0: none)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-formats-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.only == "spacy":
        sizes = [int(size) for size in args.sizes.split(",")]
        spacy_rows(workdir, sizes, args.jobs or usable_cores(), args.train_steps)
        return
    n_short, n_long = args.articles, max(args.articles // 5, 100)

    short, long = workdir / "headlines.jsonl", workdir / "articles.jsonl"
    make_headlines(short, n_short)
    make_corpus(long, n_long)
    print(f"JSONL import into SQLite (best of 3), in {workdir}:")
    for corpus, what in ((short, "short articles (60-120 chars)"), (long, "1-4 KB articles")):
        mb = corpus.stat().st_size / 1e6
        took, n = time_import(corpus, workdir)
        bare, _ = time_import(corpus, workdir, fts=False)
        print(f"  {what:<30} {n:>7,} in {took:6.2f} s: {n / took:>8,.0f} articles/s "
              f"({mb / took:5.1f} MB/s); without the FTS5 triggers {n / bare:>8,.0f}/s")

    n_export = max(n_long // 10, 50)
    db = workdir / "export.db"
    export_src = workdir / "export.jsonl"
    make_corpus(export_src, n_export)
    store = open_project(db)
    import_paths(store, [export_src])
    store.close()
    ours(db, workdir / "warm")  # spaCy's import and first tokenizer call out of the timing
    alone = min(spacy_alone(db, workdir / "alone.spacy") for _ in range(3))
    mine = min(ours(db, workdir / f"ours{run}") for run in range(3))
    print(f"DocBin export of {n_export:,} 1-4 KB articles (best of 3):")
    print(f"  spaCy alone {alone:6.2f} s; annotator export spacy {mine:6.2f} s: "
          f"{mine / alone:.2f}x (bar: 1.15x)")


if __name__ == "__main__":
    main()
