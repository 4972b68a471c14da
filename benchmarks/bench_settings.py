"""Benchmark: what Edit › Settings… costs, on the long article, in the real window.

    python benchmarks/bench_settings.py [--workdir DIR]

Builds arcs_paint.py's long article (99,200 characters, 1,600 GPE spans, 1,000 events with an
argument each), opens it (1400x860, offscreen) and prints p50/p95 of: a zoom step (Ctrl+=:
the whole article laid out again at the new size, then painted), a theme switch (dark, then
light: a repaint from the new palette, nothing laid out), painting the view in the dark theme
at 40 scroll positions (each tag's text and wash checked for contrast, cached per colour);
and a new label's colour (CIEDE2000 against every colour in use) on the news schema, cold and
then label after label. Figures, not pass/fail: on a shared machine they are noisy; run it on
a quiet one (the load average is printed with them). The person's own settings are not
touched (a QSettings folder of its own).
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
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="annotator-bench-config-")
ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

from benchmarks.arcs_paint import build, timed  # noqa: E402  (after the path is set)
from benchmarks.bench import fmt  # noqa: E402


def measure(project: Path, article: int) -> dict[str, list[float]]:
    from annotator.qt import preferences
    from annotator.qt.app import make_app
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import ProjectStore

    app = make_app()
    window = MainWindow(ProjectStore(project))
    window.resize(1400, 860)
    window.show()
    window.session.open_article(article)
    app.processEvents()
    view, settings = window.view, window.settings
    figures: dict[str, list[float]] = {"zoom a step (relayout + paint)": []}
    for steps in (+1, -1) * 5:
        figures["zoom a step (relayout + paint)"].append(
            timed(lambda s=steps: (settings.zoom(s), view.viewport().repaint()))
        )
    figures["theme switch (repaint)"] = []
    for choice in (preferences.DARK, preferences.LIGHT) * 3:
        prefs = preferences.Preferences(theme=choice)

        def switch(prefs=prefs):
            settings.apply(prefs)
            app.processEvents()  # the palette reaches the widgets through posted events
            view.viewport().repaint()

        figures["theme switch (repaint)"].append(timed(switch))
    settings.apply(preferences.Preferences(theme=preferences.DARK))
    app.processEvents()
    bar = view.verticalScrollBar()
    rng = random.Random(5)
    figures["paint, dark theme"] = []
    for _ in range(40):
        bar.setValue(rng.randrange(bar.maximum()))
        figures["paint, dark theme"].append(timed(view.viewport().repaint))
    settings.apply(preferences.Preferences())
    window.close()
    return figures


def colour_figures() -> dict[str, list[float]]:
    from annotator.core import colours
    from annotator.core.schema import load_schema
    from annotator.paths import default_schema_path

    news = load_schema(default_schema_path())
    cold = timed(lambda: colours.distinct_colour(c for c in [x.color for x in news.entities]))
    schema, added = news, []
    for number in range(20):
        start = time.perf_counter()
        schema = schema.with_label(f"NEW{number}")
        added.append(time.perf_counter() - start)
    return {"new label colour, cold caches": [cold], "new label colour, one after another": added}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        project = folder / "settings-bench.db"
        project.unlink(missing_ok=True)
        article = build(project)
        figures = {**colour_figures(), **measure(project, article)}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"long article, 99,200 chars, 1,600 spans, 1,000 events (load average {load:.1f} "
          f"on {os.cpu_count()} cores: figures are noisy above ~0.5 per core)")
    for name, values in figures.items():
        print(f"  {name}: {fmt(values)}")


if __name__ == "__main__":
    main()
