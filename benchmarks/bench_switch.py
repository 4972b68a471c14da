"""Benchmark: switching projects in the window (File › Open Recent), and File › Close.

    python benchmarks/bench_switch.py [--articles 20000] [--switches 10]

Builds two projects of --articles generated articles each (corpus_gen, imported as doccano
JSONL), opens the window on the first offscreen, then switches back and forth --switches
times the way File › Open Recent does (ProjectWindows.open: the old window saves its place,
checkpoints and closes; the new one opens on the article it was left on, the list's first
page and the counts shown). Prints each step's p50 / p95 and every time in milliseconds, with
the machine's load: figures, not pass/fail, noisy on a shared machine; re-run on a quiet one to
compare. The first switch away from each project waits for the daily backup that its first
opening started (a window closes only once its backup copy is complete): the slow ones.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--switches", type=int, default=10)
    args = parser.parse_args()
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bench-switch-config-")

    from corpus_gen import doccano_like_corpus
    from PySide6.QtWidgets import QApplication

    from annotator.formats.importer import import_paths
    from annotator.qt import main_window  # noqa: F401  (the window classes)
    from annotator.qt.controllers.project_windows import project_windows
    from annotator.store import open_project

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-switch-"))
    paths = []
    began = time.perf_counter()
    for name in ("a", "b"):
        corpus = doccano_like_corpus(folder / f"{name}.jsonl", args.articles, seed=ord(name))
        store = open_project(folder / f"{name}.db")
        import_paths(store, [corpus], fmt="doccano")
        store.close()
        paths.append(folder / f"{name}.db")
    print(
        f"two projects of {args.articles:,} articles built in {time.perf_counter() - began:.0f} s"
    )
    windows = project_windows()
    window = windows.open(paths[0])
    app.processEvents()
    switches, closes = [], []
    for n in range(args.switches):
        began = time.perf_counter()
        window = windows.open(paths[(n + 1) % 2], window)
        app.processEvents()
        switches.append((time.perf_counter() - began) * 1000)
        assert window is not None and window.session.article is not None
    for _ in range(args.switches):
        began = time.perf_counter()
        welcome = windows.close_project(window)
        app.processEvents()
        closes.append((time.perf_counter() - began) * 1000)
        window = windows.open(paths[0], welcome)
        app.processEvents()
    windows.close_all()
    print(f"{platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for name, times in (("switch project (Open Recent)", switches), ("close project", closes)):
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        print(f"  {name:32} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")
        print("    each:", " ".join(f"{t:.0f}" for t in times))


if __name__ == "__main__":
    main()
