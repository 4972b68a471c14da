"""How readable the event arcs are, counted over whole articles in the real window (not timed:
the figures are the same on any machine at the same window size).

    python benchmarks/arcs_quality.py

For bench_long's two long articles (every event's arcs), the founding article labelled as the
README's pictures show it (its first paragraph's three events and the dense second paragraph),
and 300 random paragraphs dense with events (tests/qt/test_arc_layout.py's), it prints, per
annotator/qt/widgets/arc_quality.py: labels drawn, legs of other arcs behind a label, labels
over their own legs, overlapping labels, pieces a slot higher than needed, and empty rows in
the room above lines. The long articles are measured twice: as the lines are when first
drawn right after opening (lazily slotted), and once the window has settled them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIELDS = ("labels", "crossings", "own_legs", "overlaps", "raised", "empty_slots")


def row(name: str, quality) -> str:
    return f"{name:<34}" + "".join(f"{getattr(quality, f):>12}" for f in FIELDS)


def long_articles(app, folder: Path) -> list[str]:
    from annotator.qt.main_window import MainWindow
    from annotator.qt.widgets.arc_quality import measure
    from annotator.store.project import ProjectStore
    from benchmarks.bench_long import make_project

    project, ids = make_project(folder)
    window = MainWindow(ProjectStore(project))
    window.resize(1400, 860)
    window.show()
    app.processEvents()
    window.view.set_all_arcs(True)
    rows = []
    for name, article in ids.items():
        window.session.open_article(article)
        # As drawn at once: every line slotted as a paint would (keeping its lazy room).
        rows.append(row(f"{name}, lines as first drawn", measure(window.view.text_layout)))
        window.session.open_article(1)
        window.session.open_article(article)
        if window.view.arc_settling is not None:
            window.view.arc_settling.finish()
        rows.append(row(f"{name}, settled", measure(window.view.text_layout)))
    window.close()
    window.store.close()
    return rows


def founding_article(app, folder: Path) -> str:
    from annotator.demo import build_demo_project
    from annotator.qt.main_window import MainWindow
    from annotator.qt.widgets.arc_quality import measure
    from annotator.store.project import ProjectStore

    spec = importlib.util.spec_from_file_location("shots", ROOT / "scripts" / "screenshots.py")
    shots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shots)
    project = folder / "demo.db"
    build_demo_project(project)
    window = MainWindow(ProjectStore(project))
    window.resize(*shots.SIZE)
    window.show()
    app.processEvents()
    window.view.set_all_arcs(True)
    window.session.open_article(shots._founding_id(window.store))
    shots._label_founding_article(window, app)
    shots._label_dense_paragraph(window, app)
    quality = measure(window.view.text_layout)
    window.close()
    window.store.close()
    return row("founding article + dense paragraph", quality)


def random_paragraphs() -> str:
    from tests.qt.test_arc_quality import random_paragraphs_quality

    return row("300 random dense paragraphs", random_paragraphs_quality())


def main() -> None:
    from annotator.qt.app import make_app

    folder = Path(tempfile.mkdtemp(prefix="annotator-arcs-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # the arcs setting: not yours
    app = make_app()
    print(f"{'':<34}" + "".join(f"{f:>12}" for f in FIELDS))
    for line in [*long_articles(app, folder), founding_article(app, folder), random_paragraphs()]:
        print(line)


if __name__ == "__main__":
    main()
