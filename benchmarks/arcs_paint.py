"""Benchmark: event arcs on the long article, in the real widget.

    python benchmarks/arcs_paint.py [--workdir DIR]

Builds bench.py's long article (99,200 characters, 1,600 GPE spans, 1,000 Conflict.Attack
events, each with a Place argument) in a project of its own, opens it in the window (1400x860,
offscreen) and prints p50/p95 of: opening it, painting the view with every arc shown at 40
scroll positions, the same with only the selected event's arcs, selecting an event, adding a
span and adding an argument (each followed by a synchronous repaint). One frame is 16.7 ms.
To compare with a build before arcs, run this script with PYTHONPATH pointing at that
build's tree (it then measures the selected event's links only).
Figures, not pass/fail; on a shared machine they are noisy: run it on a quiet one, with
nothing else busy, to compare (the machine's load average is printed with the figures).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: a build given there is the one measured

from benchmarks.bench import fmt  # noqa: E402  (after the path is set)


def build(project: Path) -> int:
    from annotator.store.project import ProjectStore

    store = ProjectStore(project)
    text = "The strike in Baghdad killed a commander of Kataib Hezbollah. " * 1600
    with store.write():
        article = store.insert_article_row(
            text, title="long", ext_id="bench-long", digest="bench-long", meta={}, source="bench"
        )
        store.conn.executemany(
            "INSERT INTO spans (article_id, start, end, label) VALUES (?, ?, ?, 'GPE')",
            [(article, i * 62 + 14, i * 62 + 21) for i in range(1600)],
        )
        first_gpe = store.conn.execute(
            "SELECT min(id) FROM spans WHERE article_id = ?", (article,)
        ).fetchone()[0]
        for i in range(1000):
            trigger = store.conn.execute(
                "INSERT INTO spans (article_id, start, end, label, kind) "
                "VALUES (?, ?, ?, 'Conflict.Attack', 'trigger')",
                (article, i * 62 + 4, i * 62 + 10),
            ).lastrowid
            event = store.conn.execute(
                "INSERT INTO events (article_id, type, trigger_id) "
                "VALUES (?, 'Conflict.Attack', ?)",
                (article, trigger),
            ).lastrowid
            store.conn.execute(
                "INSERT INTO event_arguments (event_id, role, span_id) VALUES (?, 'Place', ?)",
                (event, first_gpe + i),
            )
    store.close()
    return article


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(project: Path, article: int) -> dict[str, list[float]]:
    from annotator.qt.app import make_app
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import ProjectStore

    app = make_app()
    window = MainWindow(ProjectStore(project))
    window.resize(1400, 860)
    window.show()
    app.processEvents()
    view = window.view
    rng = random.Random(5)
    figures: dict[str, list[float]] = {"open": []}
    for _ in range(5):
        window.session.open_article(article)  # the same article again: read and laid out anew
        figures["open"].append(timed(lambda: (window.session.open_article(article),
                                              view.viewport().repaint())))
    bar = view.verticalScrollBar()
    positions = [rng.randrange(bar.maximum()) for _ in range(40)]
    toggle = getattr(window.actions, "all_arcs", None)  # None: a build before arcs (main)
    for mode in (True, False) if toggle else (False,):
        if toggle:
            toggle.setChecked(mode)
        name = "paint all arcs" if mode else "paint selected event's arcs"
        figures[name] = []
        for value in positions:
            bar.setValue(value)
            figures[name].append(timed(view.viewport().repaint))
    if toggle:
        toggle.setChecked(True)
    events = window.session.events
    figures["select an event"] = [
        timed(lambda e=event: (window.controller.events.select_event(e.id),
                               view.viewport().repaint()))
        for event in rng.sample(events, 30)
    ]
    _ = window.session.tokens  # tokenized once per article, on the first selection
    figures["add a span"] = []
    for _ in range(30):
        offset = rng.randrange(1600) * 62 + 31  # "commander"

        def add(offset=offset):
            view.set_text_selection(offset, offset + 9)
            window.controller.apply_label("PERSON")
            view.viewport().repaint()

        figures["add a span"].append(timed(add))
    figures["add an argument"] = []
    for event in rng.sample(window.session.events, 30):
        person = next(s for s in window.session.spans if s.label == "PERSON")

        def argument(event=event, person=person):
            window.controller.events.start_named_role(event.id, "Target")
            view.spanClicked.emit(person)  # as a click on its tag
            view.viewport().repaint()

        figures["add an argument"].append(timed(argument))
    window.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        project = folder / "arcs-bench.db"
        project.unlink(missing_ok=True)
        article = build(project)
        figures = measure(project, article)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"long article, 99,200 chars, 1,000 events (load average {load:.1f} "
          f"on {os.cpu_count()} cores: figures are noisy above ~0.5 per core)")
    for name, values in figures.items():
        print(f"  {name}: {fmt(values)}")


if __name__ == "__main__":
    main()
