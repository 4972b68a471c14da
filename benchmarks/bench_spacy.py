"""The spaCy rows of benchmarks/bench_formats.py (--only spacy): export, spaCy alone, suggest and
train, each a whole process measured from outside (wall time; peak resident memory of the
process and all its children, summed, polled every 20 ms).

To re-measure on a quiet machine:
    python benchmarks/bench_formats.py --only spacy --sizes 10000,100000 --workdir /tmp/b
(the corpora and their projects are kept in --workdir and reused by the next run).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARD = 1000  # articles a shard, as the export writes them
BOUND_MB = 500


def measure(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MB resident of the whole process tree) of one command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT)
    root = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        total = 0
        try:
            for process in [root, *root.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.02)
    took = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {child.returncode})")
    return took, peak / 1e6


def corpus_project(workdir: Path, n: int) -> Path:
    """A project holding the doccano-like corpus of n articles (built once, then reused)."""
    from annotator.formats.importer import import_paths
    from annotator.store import open_project
    from benchmarks.corpus_gen import doccano_like_corpus

    db = workdir / f"doccano-like-{n}.db"
    if db.exists():
        return db
    corpus = workdir / f"doccano-like-{n}.jsonl"
    doccano_like_corpus(corpus, n, seed=0)
    spans = 20 * n  # every article carries 20 (corpus_gen)
    partial = db.with_suffix(".partial.db")
    partial.unlink(missing_ok=True)
    store = open_project(partial)
    start = time.perf_counter()
    report = import_paths(store, [corpus], fmt="doccano")
    store.close()
    print(f"  (built {n:,} articles, {spans:,} spans: imported {report.articles:,} with "
          f"{report.spans:,} spans in {time.perf_counter() - start:.1f} s)", flush=True)
    partial.rename(db)
    return db


def ruler_model(workdir: Path) -> Path:
    """An EntityRuler pipeline that finds capitalised words, for the suggestion row."""
    import spacy

    path = workdir / "ruler-model"
    if not path.exists():
        nlp = spacy.blank("en")
        nlp.add_pipe("entity_ruler").add_patterns(
            [{"label": "ORG", "pattern": [{"IS_TITLE": True, "LENGTH": {">=": 7}}]}]
        )
        nlp.to_disk(path)
    return path


# -- what each measured process runs ----------------------------------------------------------


def spacy_alone(db: Path, out: Path, jobs: int) -> None:
    """The same DocBin shards with spaCy alone: texts and accepted spans from SQLite, make_doc
    (or nlp.pipe over `jobs` processes), char_span, doc.ents, the span group, a DocBin to disk
    every SHARD articles."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    conn = sqlite3.connect(db)
    reader = sqlite3.connect(db)
    out.mkdir(parents=True, exist_ok=True)
    rows = reader.execute("SELECT id, text FROM articles ORDER BY id")
    texts = ((text, article_id) for article_id, text in rows)
    if jobs > 1:
        docs = nlp.pipe(texts, as_tuples=True, n_process=jobs, batch_size=64)
    else:
        docs = ((nlp.make_doc(text), article_id) for text, article_id in texts)
    docbin, shard = DocBin(store_user_data=True), 0
    for doc, article_id in docs:
        spans = conn.execute(
            "SELECT start, end, label FROM spans WHERE article_id = ? AND state = 'accepted'",
            (article_id,),
        )
        group = [
            span
            for s, e, label in spans
            if (span := doc.char_span(s, e, label=label, alignment_mode="expand"))
        ]
        doc.ents = filter_spans(group)
        doc.spans["sc"] = group
        docbin.add(doc)
        if len(docbin) == SHARD:
            docbin.to_disk(out / f"{shard:05d}.spacy")
            docbin, shard = DocBin(store_user_data=True), shard + 1
    if len(docbin):
        docbin.to_disk(out / f"{shard:05d}.spacy")


def measured(argv: list[str]) -> None:
    """One measured process: `bench_formats.py --measured KIND ...`."""
    from annotator.store import open_project

    kind, db, target, jobs = argv[0], Path(argv[1]), argv[2], int(argv[3])
    if kind == "alone":
        spacy_alone(db, Path(target), jobs)
        return
    if kind == "alone-once":
        # spaCy alone with the one thing the export does to srsly (its msgpack encoders
        # looked up once, annotator.formats.spacy.packing): what is left between the two
        # rows is the app's own work (reading the store, events, user_data, the report).
        from annotator.formats.spacy.packing import encoders_read_once

        with encoders_read_once():
            spacy_alone(db, Path(target), jobs)
        return
    store = open_project(db)
    try:
        if kind == "export":
            from annotator.formats.spacy.writer import export_spacy

            export_spacy(store, Path(target), jobs=jobs)
        elif kind == "suggest":
            from annotator.suggest.runner import run_suggestions

            store.add_source("bench-ruler", "model", target, {})
            run_suggestions(store, "bench-ruler", jobs=jobs)
        elif kind == "train":
            from annotator.suggest.train import train_model

            steps = int(argv[4])
            train_model(store, Path(target), max_steps=steps, eval_frequency=steps, jobs=jobs)
    finally:
        store.close()


# -- the rows ---------------------------------------------------------------------------------


def _run(kind: str, db: Path, target: Path | str, jobs: int, *more: str) -> tuple[float, float]:
    script = str(ROOT / "benchmarks" / "bench_formats.py")
    return measure([sys.executable, script, "--measured", kind, str(db), str(target), str(jobs),
                    *more])


def spacy_rows(workdir: Path, sizes: list[int], cores: int, train_steps: int) -> None:
    print(f"spaCy export, suggest and train (issue 16), in {workdir}; 'all' = {cores} "
          f"processes; whole process, peak RSS of it and its children (bound {BOUND_MB} MB).",
          flush=True)
    print("  Timings and memory on a shared machine are noisy: re-run on a quiet one.")
    per_article: dict[str, list[float]] = {}
    for n in sizes:
        db = corpus_project(workdir, n)
        # spaCy's import and the disk cache out of the first timing
        _run("export", db, workdir / "warm", 1)
        print(f"  {n:,} articles:", flush=True)
        rows: dict[str, tuple[float, float]] = {}
        plan = [("spaCy alone, 1 core", "alone", 1, ()),
                ("export spacy --jobs 1", "export", 1, ()),
                (f"spaCy alone, {cores} cores", "alone", cores, ()),
                (f"export spacy --jobs {cores}", "export", cores, ()),
                (f"suggest --jobs {cores} (EntityRuler)", "suggest", cores, ())]
        if train_steps and n == min(sizes):
            plan.append((f"train ({train_steps} steps, export on {cores})", "train", cores,
                         (str(train_steps),)))
        for what, kind, jobs, more in plan:
            target = ruler_model(workdir) if kind == "suggest" else workdir / f"{kind}-{n}-{jobs}"
            took, peak = rows[what] = _run(kind, db, target, jobs, *more)
            ratio = ""
            if kind == "export":
                alone = rows["spaCy alone, 1 core"][0]
                ratio = f"  {took / alone:.2f}x spaCy alone on 1 core (target <= 1.15x)"
                if jobs > 1:
                    same = rows[f"spaCy alone, {cores} cores"][0]
                    ratio = (f"  {took / alone:.2f}x spaCy alone on 1 core, {took / same:.2f}x "
                             f"spaCy alone on {cores} (target: faster than spaCy alone)")
            flag = "" if peak <= BOUND_MB else f"  OVER {BOUND_MB} MB"
            print(f"    {what:<38} {took:7.1f} s  peak {peak:6.0f} MB{flag}{ratio}", flush=True)
            per_article.setdefault(what, []).append(took / n * 1000)
    if len(sizes) > 1:
        print("  Linear growth: ms per article at each size "
              f"({', '.join(f'{n:,}' for n in sizes)}):")
        for what, values in per_article.items():
            if len(values) == len(sizes):
                print(f"    {what:<38} " + "  ".join(f"{v:6.2f}" for v in values))
