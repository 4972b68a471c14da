"""Start the GUI on a project file."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core import collector
from annotator.core.errors import AnnotatorError
from annotator.core.tokens import blank_nlp
from annotator.paths import resources_dir
from annotator.store.project import ProjectStore, Waiting


def make_app() -> QApplication:
    # Qt's raster engine hands every fill of 96 or more scan lines (a tab pane's frame, a
    # scroll bar's groove, a screen of the article) to a pool of threads and waits for them:
    # on a busy or two-core machine the hand-off and the wait cost more than the fill
    # (bench_long, doccano's article at a load of 6 on 2 cores: adding a span 62 ms of wall
    # time at the median with the pool, 31 without). Read once, when Qt first wants the
    # pool; a value the person set is kept.
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setDesktopFileName("annotator")
    icon = resources_dir() / "icons" / "annotator.svg"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    return app


def warm_tokenizer(language: str) -> None:
    """Load spaCy in the background so the first selection doesn't wait for it."""

    def warm() -> None:
        blank_nlp(language)
        settle_heap()  # spaCy's objects too

    threading.Thread(target=warm, daemon=True).start()


def settle_heap() -> None:
    """Put what start-up made (Qt's wrappers, spaCy, the window) out of the cyclic garbage
    collector's sight. Its full collections then walk what was made since, not the whole
    program: opening a long article or an edit made tens of thousands of objects and now and
    then paid for a full walk (on doccano's long-article case the slowest of 6 opens took 207
    ms of CPU, 102 ms with this). Garbage is still freed by reference counting as before."""
    collector.settle()


def run_gui(project_path: Path, waiting: Waiting | None = None) -> int:
    """Open the main window on project_path (created if absent) and run until the last
    window closes (File › Open and New replace the window; File › Close leaves the welcome
    window). waiting: what to do while opening waits for another writer (before there is a
    window to say it in; the command line prints it)."""
    app = make_app()
    try:
        store = ProjectStore(project_path, waiting=waiting)
    except AnnotatorError as error:
        QMessageBox.critical(None, "Cannot open the project", str(error))
        return 1
    from annotator.qt import main_window  # noqa: F401  (it gives ProjectWindows its windows)
    from annotator.qt.controllers.project_windows import project_windows

    windows = project_windows()
    window = windows.show_store(store)
    window.annotators.ask_name_once()  # the first run only; it does not block the window
    settle_heap()
    warm_tokenizer(store.schema.language)
    code = app.exec()
    windows.close_all()
    return code
