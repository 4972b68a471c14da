"""The adjudication view's picture for docs/adjudication.md, made from the real window: the
demo's founding article with two annotators' layers (alice's and bob's, as the scenario test
labels them), Review › Adjudicate on, one conflict decided.

    .venv/bin/python scripts/screenshot_adjudication.py [OUTDIR]   # default docs/screenshots

Uses scripts/screenshots.py's looks (Fusion, its font, 256 colours with Pillow) and leaves
the person's window geometry as it was.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

NAME = "09-adjudication.png"


def two_layers(project: Path) -> int:
    """alice's and bob's layers on the founding article; returns its id."""
    from annotator.core.agreement import LayerArgument, LayerEvent, LayerSpan, LayerUnits
    from annotator.store import open_project

    store = open_project(project)
    try:
        article_id, text = store.conn.execute(
            "SELECT id, text FROM articles WHERE title LIKE 'US Drone Strike%'"
        ).fetchone()

        def at(word: str, label: str = "") -> LayerSpan:
            start = text.index(word, text.index("Baghdad, Iraq"))
            return LayerSpan(start, start + len(word), label)

        strike, baghdad = at("strike"), at("Baghdad", "GPE")
        alice = LayerUnits(
            (baghdad, at("Kataib Hezbollah", "ORG"), at("Pentagon", "ORG")),
            (LayerEvent("Conflict.Attack", strike.start, strike.end, (
                LayerArgument("Place", baghdad.start, baghdad.end),
                LayerArgument("Attacker", *at("Pentagon")[:2]))),),
        )  # fmt: skip
        bob = LayerUnits(
            (baghdad, at("Kataib Hezbollah", "NORP"), at("Iraqi", "NORP")),
            (LayerEvent("Conflict.Attack", strike.start, strike.end, (
                LayerArgument("Place", baghdad.start, baghdad.end),
                LayerArgument("Target", *at("Kataib Hezbollah")[:2]))),),
        )  # fmt: skip
        store.write_layers([(article_id, "alice", alice), (article_id, "bob", bob)])
        return article_id
    finally:
        store.close()


def make(outdir: Path, workdir: Path) -> Path:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    import screenshots as shots
    from annotator.demo import build_demo_project
    from annotator.qt.app import make_app

    outdir.mkdir(parents=True, exist_ok=True)
    app = make_app()
    settings = QSettings("annotator", "annotator")
    geometry = settings.value("geometry")  # the person's own, put back below
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())
    QApplication.setFont(QFont(*shots.FONT))
    try:
        project = workdir / "adjudication.db"
        build_demo_project(project)
        article_id = two_layers(project)
        window = shots._open_window(project, app)
        window.session.open_article(article_id)
        window.adjudication.action.trigger()
        shots._settle(app)
        window.adjudication.on_key("adjudicate.take", "2")  # Attacker: bob has none
        shots._settle(app)
        window.view.verticalScrollBar().setValue(0)
        shots._settle(app)
        path = shots._save(window, outdir / NAME)
        shots._close(window, app)
        return path
    finally:
        if geometry is None:
            settings.remove("geometry")
        else:
            settings.setValue("geometry", geometry)


if __name__ == "__main__":
    import screenshots

    screenshots.run_offscreen(make, sys.argv[1:])
