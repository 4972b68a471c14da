"""Benchmark: the keyboard on a long article, in the real widget.

    python benchmarks/bench_keys.py [--chars 100000] [--spans 2600] [--presses 200]

Builds one article of about --chars characters from the founding article's sentences with
--spans entity spans, opens the window on it offscreen, and times key presses as the person
makes them (QTest.keyClick on the article view, through the core to the screen): the token
cursor (→, ↓, End), the jump to the next unlabelled name (Ctrl+→, which scans from the
cursor) and moving a span's edge (Alt+Shift+→, an edit written to SQLite), p50 and p95 in
milliseconds. Figures, not pass/fail; on a shared machine they are noisy: run it on a quiet
one to compare with a frame (16.7 ms).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"


def long_article(chars: int, rng: random.Random) -> str:
    sentences = [s.strip() + "." for s in SEED.read_text().replace("\n", " ").split(".") if s.strip()]
    paragraphs, size = [], 0
    while size < chars:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 8)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "Long article\n\n" + "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--spans", type=int, default=2600)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.core.model import Span
    from annotator.core.tokens import Tokens
    from annotator.formats.importer import import_paths
    from annotator.qt.main_window import MainWindow
    from annotator.store import open_project

    app = QApplication.instance() or QApplication([])
    rng = random.Random(0)
    folder = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    text = long_article(args.chars, rng)
    (folder / "long.txt").write_text(text)
    store = open_project(folder / "bench.db")
    import_paths(store, [folder / "long.txt"])
    article = store.first_article_id()
    tokens = Tokens(text)
    words = [i for i in range(len(tokens)) if text[tokens.starts[i]].isalpha()]
    chosen = sorted(rng.sample(words, min(args.spans, len(words))))
    with store.write():
        for i in chosen:
            store.insert_span(
                Span(None, article, tokens.starts[i], tokens.ends[i], "ORG", origin="manual")
            )
    window = MainWindow(store)
    window.resize(1400, 860)
    window.show()
    QTest.qWaitForWindowExposed(window)
    view = window.view
    view.setFocus()
    app.processEvents()

    def timed(key, modifiers=Qt.KeyboardModifier.NoModifier, before=None) -> list[float]:
        times = []
        for _ in range(args.presses):
            if before:
                before()
            began = time.perf_counter()
            QTest.keyClick(view, key, modifiers)
            app.processEvents()
            times.append((time.perf_counter() - began) * 1000)
        return times

    QTest.keyClick(view, Qt.Key.Key_Right)
    timed(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # warm up (stop words load)
    results = {
        "→ (token)": timed(Qt.Key.Key_Right),
        "↓ (line)": timed(Qt.Key.Key_Down),
        "End (line end)": timed(Qt.Key.Key_End),
        "Ctrl+→ (next name)": timed(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier),
    }
    QTest.keyClick(view, Qt.Key.Key_Tab)  # a span selected: its end moves by a token
    results["Alt+Shift+→ (span edge, saved)"] = timed(
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
        before=lambda: QTest.keyClick(view, Qt.Key.Key_Tab),
    )
    print(f"{len(text):,} characters, {len(chosen):,} spans, {args.presses} presses each; "
          f"{platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for name, times in results.items():
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"  {name:32} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")
    window.close()
    store.close()


if __name__ == "__main__":
    main()
