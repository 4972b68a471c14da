"""Benchmark: build a 100,000-article project and measure what a person waits for.

    python benchmarks/bench.py [--articles 100000] [--workdir DIR]
    python benchmarks/bench.py --long-only     (the two long articles only: bench_long.py)

Prints the import rate, the time to open the project and show the first article (in a fresh
process, as a person starting the app), article-switch and add-span latency (p50/p95) in the
real widget, and peak memory. Runs offscreen; figures, not pass/fail (timed tests are flaky).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE"]


def seed_sentences() -> list[str]:
    return [s.strip() + "." for s in SEED.read_text().replace("\n", " ").split(".") if s.strip()]


def wire_article(rng: random.Random, sentences: list[str], name: str, ext_id: str) -> dict:
    """One article of 1-4 KB shuffled from the seed's sentences, with a few spans."""
    body = " ".join(rng.choice(sentences) for _ in range(rng.randint(8, 30)))
    text = f"Wire report {name}: {rng.choice(sentences)}\n\n{body}"
    spans = []
    for _ in range(rng.randint(0, 6)):
        start = rng.randrange(0, len(text) - 20)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = text.find(" ", start + 3)
        if end > start:
            spans.append({"start": start, "end": end, "label": rng.choice(LABELS)})
    return {"id": ext_id, "text": text, "spans": spans}


def make_corpus(path: Path, n: int) -> None:
    """Articles of 1-4 KB shuffled from the seed's sentences, each with a few spans."""
    rng = random.Random(7)
    sentences = seed_sentences()
    with path.open("w") as out:
        for i in range(n):
            out.write(json.dumps(wire_article(rng, sentences, str(i), f"wire-{i}")) + "\n")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def fmt(values: list[float]) -> str:
    return f"p50 {percentile(values, .5) * 1000:.1f} ms, p95 {percentile(values, .95) * 1000:.1f} ms"


OPEN_PROBE = r"""
import os, sys, time
t0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from annotator.qt.app import make_app
from annotator.store.project import ProjectStore
from annotator.qt.main_window import MainWindow
app = make_app()
t1 = time.perf_counter()
store = ProjectStore(sys.argv[1])
window = MainWindow(store)
window.show()
window.view.viewport().repaint()
app.processEvents()
t2 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f} {window.session.article is not None}")
"""


def measure_open(project: Path) -> tuple[float, float]:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", OPEN_PROBE, str(project)], capture_output=True,
                             text=True, cwd=ROOT, check=True).stdout.split()
        assert out[2] == "True", "no article was shown"
        runs.append((float(out[0]), float(out[1])))
    return min(r[0] for r in runs), min(r[1] for r in runs)


def measure_widget(project: Path, n_articles: int) -> dict:
    from annotator.qt.app import make_app
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import ProjectStore

    app = make_app()
    store = ProjectStore(project)
    window = MainWindow(store)
    window.resize(1400, 860)
    window.show()
    app.processEvents()
    rng = random.Random(11)
    switch = []
    for _ in range(300):
        target = rng.randint(1, n_articles)
        start = time.perf_counter()
        window.session.open_article(target)
        window.view.viewport().repaint()
        switch.append(time.perf_counter() - start)
    window.session.tokens  # tokenizing happens once per article, on first selection
    add = []
    text = window.session.article.text
    words = [i for i in range(1, len(text) - 10) if text[i - 1] == " " and text[i].isalpha()]
    for offset in rng.sample(words, min(200, len(words))):
        start = time.perf_counter()
        window.view.set_text_selection(offset, offset + 3)
        window.controller.apply_label(rng.choice(LABELS))
        window.view.viewport().repaint()
        add.append(time.perf_counter() - start)
    # A long article with many spans: the same two operations where they cost most.
    long_text = ("The strike in Baghdad killed a commander of Kataib Hezbollah. " * 1600)
    with store.write():
        long_id = store.insert_article_row(long_text, title="long", ext_id="bench-long",
                                           digest=str(time.time()), meta={}, source="bench")
        store.conn.executemany(
            "INSERT INTO spans (article_id, start, end, label) VALUES (?, ?, ?, 'GPE')",
            [(long_id, i * 62 + 14, i * 62 + 21) for i in range(1600)])
        # 1,000 attacks: trigger "strike", Place = the GPE span of the same sentence.
        first_gpe = store.conn.execute("SELECT min(id) FROM spans WHERE article_id = ?",
                                       (long_id,)).fetchone()[0]
        for i in range(1000):
            trigger = store.conn.execute(
                "INSERT INTO spans (article_id, start, end, label, kind) "
                "VALUES (?, ?, ?, 'Conflict.Attack', 'trigger')",
                (long_id, i * 62 + 4, i * 62 + 10)).lastrowid
            event = store.conn.execute(
                "INSERT INTO events (article_id, type, trigger_id) VALUES (?, 'Conflict.Attack', ?)",
                (long_id, trigger)).lastrowid
            store.conn.execute(
                "INSERT INTO event_arguments (event_id, role, span_id) VALUES (?, 'Place', ?)",
                (event, first_gpe + i))
    long_switch = []
    for _ in range(5):
        start = time.perf_counter()
        window.session.open_article(long_id)
        window.view.viewport().repaint()
        long_switch.append(time.perf_counter() - start)
    window.session.tokens
    long_add = []
    for i in range(30):
        offset = rng.randrange(1600) * 62 + 31  # "commander"
        start = time.perf_counter()
        window.view.set_text_selection(offset, offset + 9)
        window.controller.apply_label("PERSON")
        window.view.viewport().repaint()
        long_add.append(time.perf_counter() - start)
    # Selecting an event (links drawn, panel row selected) and adding an argument by key.
    long_select, long_argument = [], []
    events = window.session.events
    for event in rng.sample(events, 30):
        start = time.perf_counter()
        window.controller.events.select_event(event.id)
        window.view.viewport().repaint()
        long_select.append(time.perf_counter() - start)
        person = next(s for s in window.session.spans if s.label == "PERSON")
        start = time.perf_counter()
        window.controller.events.start_named_role(event.id, "Target")
        window.view.spanClicked.emit(person)  # as a click on its tag
        window.view.viewport().repaint()
        long_argument.append(time.perf_counter() - start)
    first_visible = measure_first_suggestion(window, app, project)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"first_visible": first_visible, "switch": switch, "add": add, "long_switch": long_switch, "long_add": long_add,
            "long_select": long_select, "long_argument": long_argument,
            "long_chars": len(long_text), "peak_mb": peak}


def ruler_pipeline(folder: Path) -> Path:
    """A blank-vocab EntityRuler pipeline on disk, as a user's pattern model would be."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "ORG", "pattern": "Kataib Hezbollah"}, {"label": "GPE", "pattern": "Baghdad"},
        {"label": "GPE", "pattern": "Iraq"}, {"label": "ORG", "pattern": "Pentagon"},
        {"label": "PERSON", "pattern": "Joe Biden"}, {"label": "GPE", "pattern": "Syria"}])
    nlp.to_disk(folder)
    return folder


def measure_first_suggestion(window, app, project: Path) -> float:
    """From starting a corpus-wide job in the window to the first suggestion on screen."""
    window.store.add_source("bench-ruler", "model", str(ruler_pipeline(project.parent / "ruler")), {})
    window.session.open_article(1)
    start = time.perf_counter()
    job = window.suggestions.run("bench-ruler", "corpus")
    while not window.session.suggestions:
        app.processEvents()
        time.sleep(0.002)
    elapsed = time.perf_counter() - start
    job.cancel()
    while not job.done:
        app.processEvents()
        time.sleep(0.01)
    return elapsed


def measure_suggest_throughput(project: Path, n: int = 10_000, rounds: int = 3) -> tuple[float, float]:
    """Suggesting on n articles against plain nlp.pipe over the same texts, same run: the best
    of `rounds` alternating runs of each (the later runs of ours replace the suggestions the
    earlier ones wrote, which is the heavier case)."""
    import spacy

    from annotator.store.project import ProjectStore
    from annotator.suggest.runner import run_suggestions

    folder = ruler_pipeline(project.parent / "ruler-throughput")
    store = ProjectStore(project)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM articles ORDER BY id LIMIT ?", (n,))]
    texts = [row[0] for row in store.conn.execute("SELECT text FROM articles ORDER BY id LIMIT ?", (n,))]
    store.add_source("throughput", "model", str(folder), {})
    plain, ours = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        nlp = spacy.load(folder)  # loaded fresh, as the suggestion run does
        for doc in nlp.pipe(texts, batch_size=64):
            doc.ents
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_suggestions(store, "throughput", ids)
        ours.append(time.perf_counter() - start)
    store.close()
    return min(plain), min(ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--widget-only", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--long-only", action="store_true",
                        help="every action on the two long articles only, no corpus import")
    args = parser.parse_args()
    if args.long_only:
        import bench_long

        bench_long.run()
        return
    if args.widget_only:
        # The GUI figures come from a process of their own, so its memory is the app's alone.
        print(json.dumps(measure_widget(args.widget_only, args.articles)))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus.jsonl"
    project = workdir / "bench.db"
    for stale in workdir.glob("bench.db*"):
        stale.unlink()
    make_corpus(corpus, args.articles)

    from annotator.formats.importer import import_paths
    from annotator.store.project import ProjectStore

    store = ProjectStore(project)
    start = time.perf_counter()
    report = import_paths(store, [corpus])
    elapsed = time.perf_counter() - start
    store.close()
    import_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = project.stat().st_size / 1e6
    print(f"corpus: {report.articles} articles, {report.spans} spans, "
          f"{corpus.stat().st_size / 1e6:.0f} MB JSONL -> {size:.0f} MB project")
    print(f"import: {report.articles / elapsed:,.0f} articles/s ({elapsed:.1f} s), "
          f"peak RSS {import_peak:.0f} MB")
    imports, open_show = measure_open(project)
    print(f"open project + show first article: {open_show:.3f} s "
          f"(after {imports:.3f} s of Python/Qt start-up), target <= 0.5 s")
    child = subprocess.run(
        [sys.executable, __file__, "--widget-only", str(project), "--articles", str(report.articles)],
        capture_output=True, text=True, cwd=ROOT, check=True)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"switch article (real widget, repaint): {fmt(figures['switch'])}, target p95 <= 30 ms")
    print(f"add span (key press to repaint, saved): {fmt(figures['add'])}, target p95 <= 16 ms")
    print(f"long article ({figures['long_chars']:,} chars, 2,600 spans, 1,000 events): "
          f"switch {fmt(figures['long_switch'])}; add span {fmt(figures['long_add'])}")
    print(f"  select an event (links + panel): {fmt(figures['long_select'])}; "
          f"add an argument: {fmt(figures['long_argument'])}")
    print(f"peak RSS of the GUI process: {figures['peak_mb']:.0f} MB, target <= 300 MB")
    plain, ours = measure_suggest_throughput(project, min(10_000, report.articles))
    count = min(10_000, report.articles)
    print(f"suggest over {count:,} articles (blank EntityRuler, best of 3): {count / ours:,.0f} articles/s; "
          f"plain nlp.pipe {count / plain:,.0f} articles/s; ratio {ours / plain:.2f}x, target <= 1.2x")
    print(f"corpus-wide suggestion job: first suggestion visible after "
          f"{figures['first_visible']:.2f} s (worker start-up included)")


if __name__ == "__main__":
    main()
