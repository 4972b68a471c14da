"""Benchmark the import and export paths: issue 16's corpus-scale rows and issue 5's bars.

    python benchmarks/bench_formats.py [--only corpus|import|docbin|spacy ...] [--sizes 10000,100000]
                                       [--articles 50000] [--workdir DIR] [--json FILE]
                                       [--repeat N]
                                       [--rows import,jsonl,jsonl1,doccano,spacy,spacy1,spacy-alone,...]

--only corpus (issue 16): doccano's own benchmark shape (benchmarks/corpus_gen.py: news
articles of about 3,000 characters, 20 spans each) at each of --sizes, every row a whole
process (`python -m annotator ...` in a subprocess, interpreter start included) with its peak
resident memory (the process and its children, summed, sampled every 20 ms):
`annotator import` into a new project, `export jsonl` (Prodigy-style, tokenized; on every
core, and with --jobs 1), `export doccano`; beside doccano 1.8.4's figures measured on the
same 2-core machine (issue 16: import 44.6 s, export 24.4 s) and the targets (import <= 2.2 s,
export jsonl <= 5 s, every row < 500 MB, time linear in the corpus size). Each row also
prints its CPU time (user + system, children included: what a shared machine's load changes
least) and the load average around it. --rows picks rows (`--rows jsonl` times the JSONL
export alone, on the project kept in --workdir; `spacy`, `spacy1` and `spacy-alone` add
`export spacy` on every core and on one, and the same DocBin shards built with spaCy alone:
`spacy-alone` on one core, `spacy-alone-all` on every core with nlp.pipe's n_process, and
`spacy-alone-once` on one core with srsly's msgpack encoders looked up once as the export
does, so that the gap between it and `spacy1` is the app's own work);
each export is deleted once measured (--keep-outputs keeps them): 100,000 articles make 4 GB
of JSONL, so give a --workdir with room (a RAM disk makes the disk's speed drop out).
--repeat N runs each corpus row N times and shows the median run, every run listed with the
time of a fixed reference workload measured just before it (REFERENCE): the test machine's
speed changes by a third from one minute to the next, and this shows when.

--only import / --only docbin (issue 5):
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
import os
import random
import resource
import shutil
import sqlite3
import subprocess
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
from benchmarks.corpus_gen import doccano_like_corpus  # noqa: E402

DOCCANO = {"import": 44.6, "export doccano": 24.4}  # doccano 1.8.4, 10,000 articles (issue 16)
TARGETS = {"import": 2.2, "export jsonl": 5.0}  # seconds, 10,000 articles
MEMORY_BOUND_MB = 500

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


def drop_fts_triggers(db: Path, table: str = "articles") -> None:
    """Without the full-text triggers of `table` (articles: its text's index; spans: the
    annotation_search triggers of migration 0013), to show what they cost."""
    conn = sqlite3.connect(db)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = ?", (table,)).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def time_import(corpus: Path, folder: Path, fts: bool = True, runs: int = 3,
                without: str | None = None, cpu: bool = False):
    """Best of `runs`: (seconds, articles), or with cpu (seconds, CPU seconds, articles)."""
    best, best_cpu, articles = float("inf"), float("inf"), 0
    for run in range(runs):
        db = folder / f"import-{corpus.stem}-{fts}-{without}-{run}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        open_project(db).close()
        if not fts:
            drop_fts_triggers(db)
        if without:
            drop_fts_triggers(db, without)
        store = open_project(db)
        if not fts:  # nor the passes that index an import's articles (migration 0014)
            store.index_run_articles = lambda *args, **kwargs: None
        start, start_cpu = time.perf_counter(), time.process_time() + _children_cpu()
        report = import_paths(store, [corpus])
        best = min(best, time.perf_counter() - start)
        # The reading process's CPU too (formats/reader_process.py): reaped, so counted here.
        best_cpu = min(best_cpu, time.process_time() + _children_cpu() - start_cpu)
        articles = report.articles
        store.close()
    return (best, best_cpu, articles) if cpu else (best, articles)


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


def whole_process(*argv: str | Path) -> tuple[float, float, str]:
    """Run `python -m annotator ARGV`; (seconds, peak resident MB of it and its children,
    summed, sampled every 20 ms; 0 without psutil, its stdout)."""
    seconds, peak, _, out = measured_process([sys.executable, "-m", "annotator", *map(str, argv)])
    return seconds, peak, out


def measured_process(command: list[str]) -> tuple[float, float, float, str]:
    """Run `command`: (seconds, peak resident MB of it and its children, summed, sampled every
    20 ms (0 without psutil), CPU seconds (user + system) of it and every child it waited
    for, its stdout)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    peak = 0
    watched = psutil.Process(child.pid) if psutil else None
    while child.poll() is None:
        if watched is not None:
            try:
                tree = [watched, *watched.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:  # a process ended between the listing and the reading
                pass
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    out, err = child.communicate()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return seconds, peak / 1e6, cpu, out


def whole_process_import(corpus: Path, workdir: Path, runs: int = 3) -> str:
    """`annotator import` of `corpus` into a new project, best of `runs`: wall seconds, CPU
    seconds (the command and its reading process: both are reaped, so RUSAGE_CHILDREN
    counts them), peak resident memory of both."""
    best = None
    for run in range(runs):
        db = workdir / f"whole-{corpus.stem}-{run}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, peak, _ = whole_process("import", db, corpus)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if best is None or seconds < best[0]:
            best = (seconds, cpu, peak)
    assert best is not None
    return f"{best[0]:6.2f} s wall, CPU {best[1]:6.2f} s, peak {best[2]:5.0f} MB"


# The corpus rows (--rows): what each is called, its command (DB: the project, CORPUS: the
# corpus file, OUT: its output, in the size's own folder) and its output's name. "spacy
# alone" builds the same DocBin shards with spaCy alone on one core (bench_spacy.spacy_alone):
# issue 16's yardstick for the spaCy export.
CORPUS_ROWS = {
    "import": ("import", ("-m", "annotator", "import", "DB", "CORPUS"), None),
    "jsonl": ("export jsonl", ("-m", "annotator", "export", "jsonl", "DB", "OUT"), "out.jsonl"),
    "jsonl1": ("export jsonl --jobs 1",
               ("-m", "annotator", "export", "jsonl", "DB", "OUT", "--jobs", "1"), "out1.jsonl"),
    "doccano": ("export doccano", ("-m", "annotator", "export", "doccano", "DB", "OUT"),
                "doccano-out.jsonl"),
    "spacy": ("export spacy", ("-m", "annotator", "export", "spacy", "DB", "OUT"), "spacy"),
    "spacy1": ("export spacy --jobs 1",
               ("-m", "annotator", "export", "spacy", "DB", "OUT", "--jobs", "1"), "spacy1"),
    "spacy-alone": ("spaCy alone, 1 core",
                    (str(ROOT / "benchmarks" / "bench_formats.py"), "--measured", "alone", "DB",
                     "OUT", "1"), "alone"),
    # The same with srsly's encoders looked up once, as the export does (formats.spacy.
    # packing): the export's own work beyond spaCy's is the gap between this row and it.
    "spacy-alone-once": ("spaCy alone, enc. once",
                         (str(ROOT / "benchmarks" / "bench_formats.py"), "--measured",
                          "alone-once", "DB", "OUT", "1"), "alone-once"),
    "spacy-alone-all": ("spaCy alone, all cores",
                        (str(ROOT / "benchmarks" / "bench_formats.py"), "--measured", "alone",
                         "DB", "OUT", str(usable_cores())), "alone-all"),
}
DEFAULT_ROWS = "import,jsonl,jsonl1,doccano"


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# A fixed piece of the import's kind of work (Python building rows, SQLite inserting them
# into indexed tables and a full-text index, in memory), timed in a fresh process right
# before each repeated row: how fast the machine is at that moment. On the 2-core test
# machine the same import took 1.9 s or 2.5 s minutes apart, load ~1; this says which.
REFERENCE = """
import sqlite3, time
start = time.perf_counter()
conn = sqlite3.connect(":memory:", isolation_level=None)
conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c TEXT)")
conn.execute("CREATE INDEX t_a ON t (a, id)")
conn.execute("CREATE VIRTUAL TABLE f USING fts5(c, content='t')")
words = [f"word{i % 997} news{i % 89} city{i % 13}" for i in range(2000)]
for batch in range(20):
    conn.execute("BEGIN")
    rows = [(n % 50, f"label{n % 7}", " ".join(words[n % 1900:n % 1900 + 40]))
            for n in range(batch * 2000, batch * 2000 + 2000)]
    conn.executemany("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", rows)
    conn.execute("INSERT INTO f (rowid, c) SELECT id, c FROM t WHERE id > ?", (batch * 2000,))
    conn.execute("COMMIT")
print(time.perf_counter() - start)
"""


def reference_seconds() -> float:
    """REFERENCE's time now, in a process of its own (its start not counted)."""
    out = subprocess.run([sys.executable, "-c", REFERENCE], capture_output=True, text=True,
                         check=True).stdout
    return float(out)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0


def corpus_rows(workdir: Path, sizes: list[int], rows_wanted: list[str] | None = None,
                keep: bool = False, repeat: int = 1) -> list[dict]:
    """Issue 16's rows: whole processes on doccano's benchmark shape, at each size. Each
    row's output is deleted once measured unless `keep` (100,000 articles make 4 GB of
    JSONL). With `repeat` > 1 each row runs that many times, each run after the machine's
    reference time (REFERENCE); the row's figures are the median run's."""
    wanted = rows_wanted or DEFAULT_ROWS.split(",")
    # Each row is a fresh process: an installed copy (pip compiles on install) imports the
    # app's modules from bytecode, where a checkout with PYTHONDONTWRITEBYTECODE set would
    # compile them again in every process (0.1-0.2 s a row). Measure as installed.
    import compileall

    compileall.compile_dir(str(ROOT / "annotator"), quiet=1, workers=0)
    rows = []
    for n in sizes:
        corpus = workdir / f"doccano-{n}.jsonl"
        if not corpus.exists():
            doccano_like_corpus(corpus, n, seed=0)
        db = workdir / f"corpus-{n}.db"
        if "import" in wanted:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        if "import" not in wanted and not db.exists():
            print(f"  ({n:,} articles: importing the corpus first, not measured)", flush=True)
            whole_process("import", db, corpus)
        out = workdir / f"out-{n}"
        out.mkdir(exist_ok=True)
        for key in wanted:
            what, template, name = CORPUS_ROWS[key]
            target = out / name if name else db
            given = {"DB": str(db), "CORPUS": str(corpus), "OUT": str(target)}
            command = [sys.executable, *(given.get(arg, arg) for arg in template)]
            runs = []
            for run in range(repeat):
                if key == "import" and run:  # each run imports into a new project
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
                reference = reference_seconds() if repeat > 1 else None
                load_before = _load()
                seconds, peak, cpu, _ = measured_process(command)
                size = _size(target)
                runs.append({"articles": n, "what": what, "seconds": seconds, "peak_mb": peak,
                             "cpu_seconds": cpu, "load": f"{load_before} -> {_load()}",
                             "output_mb": size / 1e6, "reference_seconds": reference})
                speed = "" if reference is None else f"; reference {reference:.3f} s"
                print(f"  {n:>7,} articles  {what:<22} {seconds:7.2f} s  CPU {cpu:7.2f} s  "
                      f"peak {peak:6.0f} MB  ({size / 1e6:,.0f} MB "
                      f"{'written' if name else 'project'}; load {load_before} -> {_load()}"
                      f"{speed})", flush=True)
                if name and not keep:
                    if target.is_dir():
                        shutil.rmtree(target)
                    else:
                        target.unlink(missing_ok=True)
            rows.append(_median_run(runs))
    return rows


def _median_run(runs: list[dict]) -> dict:
    """The run of median wall time, with every run's seconds and reference times beside it
    (and the highest peak of any run)."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    row = dict(ordered[(len(ordered) - 1) // 2])
    row["peak_mb"] = max(run["peak_mb"] for run in runs)
    if len(runs) > 1:
        row["runs"] = [run["seconds"] for run in runs]
        row["references"] = [run["reference_seconds"] for run in runs]
    return row


def print_corpus_table(rows: list[dict], sizes: list[int]) -> None:
    print("\nWhole process, doccano-like corpus (3,000 characters, 20 spans an article): "
          "wall / CPU (user + system, children included) / peak RSS (children included)")
    print(f"  {'':<22}" + "".join(f"{f'{n:,} articles':>30}" for n in sizes)
          + "   doccano 10k   target 10k   wall, CPU ratio 100k/10k")
    for what in dict.fromkeys(row["what"] for row in rows):
        got = {row["articles"]: row for row in rows if row["what"] == what}
        cells = "".join(f"{got[n]['seconds']:>9.2f} s {got[n]['cpu_seconds']:>7.2f} s "
                        f"{got[n]['peak_mb']:>5.0f} MB" if n in got else f"{'-':>30}"
                        for n in sizes)
        base = DOCCANO.get(what)
        target = TARGETS.get(what)
        ratio = (f"{got[100_000]['seconds'] / got[10_000]['seconds']:.1f}x, "
                 f"{got[100_000]['cpu_seconds'] / got[10_000]['cpu_seconds']:.1f}x"
                 if 10_000 in got and 100_000 in got else "-")
        print(f"  {what:<22}{cells}   {f'{base} s' if base else '-':>11}"
              f"   {f'<= {target} s' if target else '-':>10}   {ratio:>12}")
    repeated = [row for row in rows if "runs" in row]
    if repeated:
        print("Repeated rows (the table shows the median run); each run, and the machine's "
              "reference time just before it (REFERENCE: lower is a faster machine):")
    for row in repeated:
        runs, references = row["runs"], row["references"]
        target = TARGETS.get(row["what"]) if row["articles"] == 10_000 else None
        within = (f"; {sum(1 for s in runs if s <= target)} of {len(runs)} runs <= {target} s"
                  if target else "")
        print(f"  {row['articles']:,} articles, {row['what']}: min {min(runs):.2f}, median "
              f"{sorted(runs)[(len(runs) - 1) // 2]:.2f}, max {max(runs):.2f} s{within}")
        print("    " + ", ".join(f"{s:.2f} s ({r:.3f})" for s, r in zip(runs, references)))
    for n in sizes:
        print_spacy_ratios({row["what"]: row for row in rows if row["articles"] == n}, n)
    worst = max(row["peak_mb"] for row in rows)
    print(f"  peak memory of any row: {worst:.0f} MB (bound: {MEMORY_BOUND_MB} MB)")
    again = f" --repeat {len(repeated[0]['runs'])}" if repeated else ""
    rows_run = ",".join(key for key, (what, _, _) in CORPUS_ROWS.items()
                        if any(row["what"] == what for row in rows))
    print("Timings on a shared machine wobble (CPU time less so; peak memory not at all): "
          "re-measure on a quiet one with\n"
          f"  python benchmarks/bench_formats.py --only corpus --sizes "
          f"{','.join(map(str, sizes))} --rows {rows_run} --workdir DIR{again}\n"
          f"(nproc here: {os.cpu_count()}; load average now: {_load()}).")


# (export row, spaCy alone row, target) as issue 16 states them
SPACY_RATIOS = (
    ("export spacy --jobs 1", "spaCy alone, 1 core", "<= 1.15"),
    ("export spacy --jobs 1", "spaCy alone, enc. once", "the app's own work"),
    ("export spacy", "spaCy alone, 1 core", "< 1, faster"),
    ("export spacy", "spaCy alone, all cores", "< 1, faster"),
)


def print_spacy_ratios(by_what: dict[str, dict], n: int) -> None:
    """Each spaCy export row over its spaCy alone row, wall and CPU, when both ran."""
    for ours, theirs, target in SPACY_RATIOS:
        if ours in by_what and theirs in by_what:
            a, b = by_what[ours], by_what[theirs]
            print(f"  {n:,} articles: {ours} / {theirs}: wall {a['seconds'] / b['seconds']:.2f}x,"
                  f" CPU {a['cpu_seconds'] / b['cpu_seconds']:.2f}x  (target {target})")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measured":
        measured(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append",
                        choices=("corpus", "import", "docbin", "spacy"),
                        help="rows to run (repeatable; default: all)")
    parser.add_argument("--sizes", default="10000,100000",
                        help="corpus sizes for the corpus and spacy rows (default: 10000,100000)")
    parser.add_argument("--articles", type=int, default=50_000,
                        help="short articles to import (default 50,000); a fifth as many long "
                             "ones, and a tenth of those for the DocBin export")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp folder)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for 'every core' in the spacy rows (default: every core)")
    parser.add_argument("--train-steps", type=int, default=20,
                        help="steps of the spacy rows' training row, on the smallest size (0: none)")
    parser.add_argument("--json", type=Path, help="also write the corpus rows here")
    parser.add_argument("--rows", default=DEFAULT_ROWS,
                        help="corpus rows to run, in order (default: %(default)s; also: spacy, "
                             "spacy1, spacy-alone, spacy-alone-once, spacy-alone-all; e.g. "
                             "--rows jsonl for the JSONL export alone, on a project kept in "
                             "--workdir)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each corpus row this many times, each after a reference "
                             "workload that tells how fast the machine is just then; the "
                             "table shows the median run, and every run is listed")
    parser.add_argument("--keep-outputs", action="store_true",
                        help="keep the corpus rows' exports (deleted once measured: 100,000 "
                             "articles make 4 GB of JSONL)")
    args = parser.parse_args()
    only = set(args.only or ("corpus", "import", "docbin", "spacy"))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-formats-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(n) for n in args.sizes.split(",")]
    if "corpus" in only:
        print(f"Corpus-scale import and export (issue 16), in {workdir}:")
        wanted = [key.strip() for key in args.rows.split(",") if key.strip()]
        unknown = [key for key in wanted if key not in CORPUS_ROWS]
        if unknown:
            parser.error(f"--rows: unknown {', '.join(unknown)}; choose from "
                         f"{', '.join(CORPUS_ROWS)}")
        rows = corpus_rows(workdir, sizes, wanted, args.keep_outputs, max(1, args.repeat))
        print_corpus_table(rows, sizes)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1))
    if "import" in only:
        import_rows(args, workdir)
    if "docbin" in only:
        docbin_rows(args, workdir)
    if "spacy" in only:
        spacy_rows(workdir, sizes, args.jobs or usable_cores(), args.train_steps)


def import_rows(args, workdir: Path) -> None:
    """Issue 5: JSONL import of short and 1-4 KB articles, with and without FTS5 triggers."""
    n_short, n_long = args.articles, max(args.articles // 5, 100)
    short, long = workdir / "headlines.jsonl", workdir / "articles.jsonl"
    make_headlines(short, n_short)
    make_corpus(long, n_long)
    sizes = [int(n) for n in args.sizes.split(",")]
    print(f"Import of doccano's benchmark corpus, whole process (`python -m annotator import`, "
          f"best of 3; CPU: the command and its reading process; target "
          f"<= {TARGETS['import']} s for 10,000 articles), in {workdir}:")
    for n in sizes:
        corpus = workdir / f"doccano-{n}.jsonl"
        if not corpus.exists():
            doccano_like_corpus(corpus, n, seed=0)
        print(f"  {n:>7,} articles  " + whole_process_import(corpus, workdir), flush=True)
    print(f"  (load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} cores: on a shared machine wall time wobbles, CPU time less; "
          f"re-measure on a quiet one with\n   python benchmarks/bench_formats.py --only import "
          f"--sizes {args.sizes} --workdir DIR)")
    print(f"Import of doccano's benchmark corpus in this process (best of 3; CPU: this "
          f"process's threads and its reading process), in {workdir}:")
    for n in sizes:
        corpus = workdir / f"doccano-{n}.jsonl"
        for what, fts, without in (("as is", True, None),
                                   ("without the articles' FTS5 index", False, None),
                                   ("without the spans' annotation_search triggers", True,
                                    "spans")):
            took, cpu, _ = time_import(corpus, workdir, fts, without=without, cpu=True)
            print(f"  {n:>7,} articles {what:<48} {took:6.2f} s, CPU {cpu:6.2f} s", flush=True)
    print(f"JSONL import into SQLite (best of 3), in {workdir}:")
    for corpus, what in ((short, "short articles (60-120 chars)"), (long, "1-4 KB articles")):
        mb = corpus.stat().st_size / 1e6
        took, n = time_import(corpus, workdir)
        bare, _ = time_import(corpus, workdir, fts=False)
        print(f"  {what:<30} {n:>7,} in {took:6.2f} s: {n / took:>8,.0f} articles/s "
              f"({mb / took:5.1f} MB/s); without the FTS5 triggers {n / bare:>8,.0f}/s")


def docbin_rows(args, workdir: Path) -> None:
    """Issue 5: the DocBin export against spaCy alone."""
    n_long = max(args.articles // 5, 100)
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
