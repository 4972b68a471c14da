#!/usr/bin/env python3
"""Make the README's screenshots from the app itself, so they can be made again whenever the
window changes:

    python scripts/screenshots.py [OUTDIR]        # default: docs/screenshots/

It builds the demo project (the articles of seeds/) in a temporary folder, opens the real
window offscreen, labels the founding article's first paragraph as a person would (select the
words, press the label's key; an event type's Shift+key on a trigger, a role's digit, then its
filler), adds pattern suggestions for the later paragraphs, and saves PNGs of the window
(1280x800) and of two dialogs. Fonts are fixed (DejaVu Sans 10 pt, Fusion style, 96 dpi), so
the pictures change only when the app does.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)
FONT = ("DejaVu Sans", 10)
FOUNDING_TITLE = "US Drone Strike on Iran-Backed Militia Leader"

# The founding article's title and first paragraph, as a person would label them: every
# whole-word occurrence of each term gets the label.
ENTITIES = (
    ("Kataib Hezbollah", "ORG"),
    ("Pentagon", "ORG"),
    ("Baghdad", "GPE"),
    ("Iraq", "GPE"),
    ("Iran", "GPE"),
    ("Jordan", "GPE"),
    ("US", "GPE"),
    ("American", "NORP"),
    ("Iraqi", "NORP"),
    ("commander", "PERSON"),
    ("leader", "PERSON"),
    ("guards", "PERSON"),
    ("troops", "PERSON"),
    ("drone", "VEHICLE"),
)
# Three events of the first paragraph: the trigger (its n-th occurrence in the paragraph), the
# type, and each role with its filler (the n-th occurrence of a labelled term there).
EVENTS = (
    (
        ("strike", 0),
        "Conflict.Attack",
        {
            "Attacker": ("US", 0),
            "Target": ("commander", 0),
            "Instrument": ("drone", 0),
            "Place": ("Baghdad", 1),
        },
    ),
    (
        ("killed", 0),
        "Life.Die",
        {
            "Agent": ("US", 0),
            "Victim": ("commander", 0),
            "Instrument": ("drone", 0),
            "Place": ("Baghdad", 1),
        },
    ),
    (
        ("attack", 1),
        "Conflict.Attack",
        {"Target": ("troops", 0), "Instrument": ("drone", 1), "Place": ("Jordan", 0)},
    ),
)
# The founding article's second paragraph, dense with events that share arguments (the
# protesters in two demonstrations, the strikes as the topic of a statement), as it looks in
# the README's picture of a busy paragraph: entities first, then the events.
DENSE_ENTITIES = (
    ("protesters", "PERSON"),
    ("American", "NORP"),
    ("US", "GPE"),
    ("Syria", "GPE"),
    ("Iraq", "GPE"),
    ("drone", "VEHICLE"),
    ("troops", "PERSON"),
    ("Joe Biden", "PERSON"),
)
DENSE_EVENTS = (
    (("gathering", 0), "Conflict.Demonstrate", {"Entity": ("protesters", 0)}),
    (("chanting", 0), "Conflict.Demonstrate", {"Entity": ("protesters", 0)}),
    (("strikes", 0), "Conflict.Attack", {"Attacker": ("US", 0), "Place": ("Syria", 0)}),
    (
        ("attack", 0),
        "Conflict.Attack",
        {"Target": ("troops", 0), "Instrument": ("drone", 0)},
    ),
    (
        ("described", 0),
        "Contact.Statement",
        {"Speaker": ("Joe Biden", 0), "Topic": ("strikes", 0)},
    ),
)
# Suggestions for the later paragraphs, as a pattern file (LABEL<TAB>term lines) gives them.
PATTERNS = (
    "PERSON\tJoe Biden\nGPE\tSyria\nORG\tIslamic State\nLOC\tMiddle East\n"
    "CARDINAL\t2,500\nCARDINAL\t900\n"
)


def _words(text: str, term: str, start: int, end: int) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _founding_id(store) -> int:
    from annotator.core.model import ArticleFilter

    rows = store.article_rows(ArticleFilter(), after_id=0, limit=100)
    return next(row.id for row in rows if row.title.startswith(FOUNDING_TITLE))


def _paragraph(text: str, number: int) -> tuple[int, int]:
    """Where the n-th paragraph after the title starts and ends."""
    start = text.index("\n\n") + 2
    for _ in range(number - 1):
        start = text.index("\n\n", start) + 2
    return start, text.index("\n\n", start)


def _label_founding_article(window, app) -> None:
    """Label its title and first paragraph through the window, with the keys the README's
    quick start names."""
    text = window.session.article.text
    first, end_of_first = _paragraph(text, 1)
    _label(window, app, (0, end_of_first), (first, end_of_first), ENTITIES, EVENTS)


def _label(window, app, entity_range, event_range, entities, events) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    view, session = window.view, window.session
    interaction = window.controller.interaction
    text = session.article.text
    schema = window.store.schema
    spans_before, events_before = len(session.spans), len(session.events)
    first, end_of_first = event_range

    def key(character: str) -> None:
        shift = character.isupper()
        modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        QTest.keyClick(view, getattr(Qt.Key, f"Key_{character.upper()}"), modifier)

    for term, label in entities:
        for start, end in _words(text, term, *entity_range):
            interaction.select_text(start, end)  # what a drag over the words does
            key(schema.label(label).key)
    for (trigger, nth), event_type, roles in events:
        start, end = _words(text, trigger, first, end_of_first)[nth]
        interaction.select_text(start, end)
        key(schema.event_type(event_type).key)  # Shift+letter
        role_names = [role.name for role in schema.event_type(event_type).roles]
        for role, (term, index) in roles.items():
            key(str(role_names.index(role) + 1))  # the role's digit
            f_start, f_end = _words(text, term, first, end_of_first)[index]
            filler = next(
                s
                for s in session.spans
                if (s.start, s.end) == (f_start, f_end) and s.kind == schema_kind(schema, role)
            )
            window.controller.act(interaction.click_span, filler)  # a click on the filler
        QTest.keyClick(view, Qt.Key.Key_Escape)
    _settle(app)
    wanted = sum(len(_words(text, t, *entity_range)) for t, _ in entities) + len(events)
    added, made = len(session.spans) - spans_before, len(session.events) - events_before
    if added != wanted or made != len(events):
        raise RuntimeError(
            f"labelling the founding article went wrong: {added} spans "
            f"(expected {wanted}), {made} events; the window said: "
            f"{window.status.currentMessage()!r}"
        )


def schema_kind(schema, role: str) -> str:
    """A role filled by an event (Topic) takes the event's trigger, any other an entity."""
    return "trigger" if role == "Topic" else "entity"


def _label_dense_paragraph(window, app) -> None:
    text = window.session.article.text
    second = _paragraph(text, 2)
    _label(window, app, second, second, DENSE_ENTITIES, DENSE_EVENTS)


def _suggest(store, article_id: int, folder: Path) -> None:
    from annotator.suggest.runner import run_suggestions

    patterns = folder / "patterns.tsv"
    patterns.write_text(PATTERNS, encoding="utf-8")
    store.add_source("patterns", "patterns", str(patterns), {})
    run_suggestions(store, "patterns", [article_id])


def _find_and_label_all(window, app, outdir: Path) -> list[Path]:
    """The find bar over the founding article, its hits marked, and the Label all dialog."""
    window.view.clear_selection()
    window.view.verticalScrollBar().setValue(0)
    window.find.open()
    window.find.bar.box.setText("Baghdad")  # typed: the first hit from the top is chosen
    window.find.step(+1)  # Enter: the next one
    _settle(app)
    shots = [_save(window, outdir / "07-find-in-article.png")]
    dialog = window.find.label_all.open()
    dialog.in_corpus.setChecked(True)
    _settle(app)
    shots.append(_save(dialog, outdir / "08-label-all-occurrences.png"))
    dialog.close()
    window.find.close()
    return shots


def _open_window(project: Path, app):
    from annotator.qt import screen_fit
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import ProjectStore

    window = MainWindow(ProjectStore(project))
    window.resize(*SIZE)
    window.panes.setSizes(screen_fit.pane_widths(SIZE[0], window.palette_widget.minimumWidth()))
    window.show()
    _settle(app, 10)
    return window


def _close(window, app) -> None:
    window.close()
    _settle(app)
    window.store.close()
    window.deleteLater()
    _settle(app)


def _save(widget, path: Path) -> Path:
    """The widget as a PNG: with Pillow, in 256 colours (a third of the bytes; a window's
    flat colours and antialiased text lose nothing visible), else as Qt writes it."""
    from PySide6.QtCore import QBuffer, QIODevice

    image = widget.grab().toImage()
    try:
        from PIL import Image
    except ImportError:
        if not image.save(str(path), "PNG", 0):  # quality 0: PNG's strongest compression
            raise RuntimeError(f"could not write {path}") from None
        return path
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    with Image.open(io.BytesIO(bytes(buffer.data()))) as full:
        small = full.convert("RGB").quantize(
            256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        small.save(path, optimize=True)
    return path


def make_screenshots(outdir: Path, workdir: Path) -> list[Path]:
    """Build the demo in `workdir`, label it, and write the screenshots into `outdir`;
    returns their paths. Needs a QApplication-capable environment (offscreen will do)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from annotator.demo import build_demo_project
    from annotator.formats import registry
    from annotator.qt.app import make_app
    from annotator.qt.dialogs.export_options import ExportOptionsDialog
    from annotator.qt.dialogs.layer_choice import export_layers
    from annotator.qt.dialogs.import_options import ImportOptionsDialog

    outdir.mkdir(parents=True, exist_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    app = make_app()
    # Fixed looks, put back afterwards (a test runs this inside its own application).
    font, style, flash = QApplication.font(), app.style().name(), app.cursorFlashTime()
    settings = QSettings("annotator", "annotator")
    geometry = settings.value("geometry")  # the person's own window geometry, kept
    all_arcs = settings.value("view/all_arcs")  # and their choice of arcs
    name = settings.value("identity/name")  # and their name (the status bar shows it)
    # and their font, zoom, theme and tag size (Edit > Settings): the pictures use the defaults
    looks = {key: settings.value(key) for key in ("view/font_family", "view/font_size",
                                                  "view/zoom", "view/theme", "view/tag_size")}
    for key in looks:
        settings.remove(key)
    settings.setValue("view/all_arcs", True)
    settings.setValue("identity/name", "Dana Reyes")
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())
    QApplication.setFont(QFont(*FONT))
    app.setCursorFlashTime(0)  # a text cursor that never blinks is drawn the same each time
    try:
        project = workdir / "demo.db"
        build_demo_project(project)

        window = _open_window(project, app)
        founding = _founding_id(window.store)
        window.session.open_article(founding)
        _label_founding_article(window, app)
        _label_dense_paragraph(window, app)
        _suggest(window.store, founding, workdir)
        _close(window, app)

        # A fresh window, as a person reopening the project would see it.
        window = _open_window(project, app)
        window.session.open_article(founding)
        window.view.verticalScrollBar().setValue(0)
        _settle(app)
        shots = [_save(window, outdir / "01-founding-article.png")]

        attack = window.session.events[0]
        window.controller.events.select_event(attack.id)  # as a click on its trigger does
        window.actions.all_arcs.setChecked(False)  # View > Show all events' arcs, off
        _settle(app)
        shots.append(_save(window, outdir / "02-event-and-its-arguments.png"))
        window.actions.all_arcs.setChecked(True)

        window.view.clear_selection()
        window.side_tabs.setCurrentWidget(window.review_queue)
        window.controller.on_key("Space")  # the next suggestion, outlined and scrolled to
        _settle(app)
        shots.append(_save(window, outdir / "03-review-suggestions.png"))

        window.view.clear_selection()
        second, _ = _paragraph(window.session.article.text, 2)
        layout = window.view.text_layout
        window.view.verticalScrollBar().setValue(
            int(layout.paragraphs[layout.paragraph_index(second)].top)
        )
        _settle(app)
        dense = _save(window, outdir / "06-events-dense-paragraph.png")

        dialog = ImportOptionsDialog(window)
        dialog.show()
        _settle(app)
        shots.append(_save(dialog, outdir / "04-import-with-options.png"))
        dialog.close()
        dialog = ExportOptionsDialog(
            registry.exporter("spacy"), window, window.store, export_layers(window.store)
        )
        dialog.show()
        _settle(app)
        shots.append(_save(dialog, outdir / "05-export-for-spacy.png"))
        dialog.close()
        found = _find_and_label_all(window, app, outdir)
        _close(window, app)
        return [*shots, dense, *found]
    finally:
        QApplication.setFont(font)
        app.setCursorFlashTime(flash)
        app.setStyle(style)
        app.setPalette(app.style().standardPalette())
        for key, value in (
            ("geometry", geometry),
            ("view/all_arcs", all_arcs),
            ("identity/name", name),
            *looks.items(),
        ):
            if value is None:
                settings.remove(key)
            else:
                settings.setValue(key, value)


def run_offscreen(make: Callable[[Path, Path], Path | list[Path]], argv: list[str]) -> None:
    """What every screenshot script's main does: `make(outdir, workdir)` offscreen at 96 dpi
    whatever the machine has (the same pixels everywhere), into OUTDIR (argv[0], default
    docs/screenshots/) with a temporary work folder; prints each picture made and its size."""
    outdir = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_FONT_DPI"] = "96"
    os.environ.pop("QT_SCALE_FACTOR", None)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="annotator-screenshots-") as work:
        made = make(outdir, Path(work))
        for path in made if isinstance(made, list) else [made]:
            print(f"{path} ({path.stat().st_size // 1024} KB)")


def main(argv: list[str]) -> int:
    run_offscreen(make_screenshots, argv)
    try:
        import PIL  # noqa: F401
    except ImportError:
        print(
            "Pillow is not installed: the PNGs are full colour, three times the size of the "
            "committed ones (.venv/bin/python -m pip install -e '.[docs]')"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
