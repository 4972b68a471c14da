"""Start the GUI on a project file."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.tokens import blank_nlp
from annotator.paths import resources_dir
from annotator.store.project import ProjectStore, Waiting


def make_app() -> QApplication:
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
    threading.Thread(target=blank_nlp, args=(language,), daemon=True).start()


def run_gui(project_path: Path, waiting: Waiting | None = None) -> int:
    """Open the main window on project_path (created if absent) and run until it closes.
    waiting: what to do while opening waits for another writer (before there is a window to
    say it in; the command line prints it)."""
    app = make_app()
    try:
        store = ProjectStore(project_path, waiting=waiting)
    except AnnotatorError as error:
        QMessageBox.critical(None, "Cannot open the project", str(error))
        return 1
    from annotator.qt.main_window import MainWindow

    window = MainWindow(store)
    window.show()
    window.start_daily_backup()
    warm_tokenizer(store.schema.language)
    code = app.exec()
    store.close()
    return code
