"""File › Save a copy…, and the automatic backup made once a day of use.

Both copy through SQLite's online backup API on a connection of their own, off the GUI
thread: the copy reads one snapshot, and in WAL mode a reader never blocks the window's
writes, so editing goes on while a large project is copied.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.qt.controllers.file_menu import show_report
from annotator.qt.controllers.jobs import Job
from annotator.qt.workbench import Workbench
from annotator.store import copies
from annotator.store.project import ProjectStore


def save_copy(window: Workbench) -> Job | None:
    project = window.store.path
    target, _ = QFileDialog.getSaveFileName(
        window,
        "Save a copy of the project",
        str(project.with_name(f"{project.stem}-copy.db")),
        "Annotator projects (*.db)",
    )
    return run_save_copy(window, target) if target else None


def run_save_copy(window: Workbench, target: str) -> Job | None:
    project, read_only = window.store.path, window.store.read_only is not None
    try:  # the file dialog has asked before replacing an existing file
        copies.check_target(project, target, force=True)
    except AnnotatorError as error:
        show_report(window, "The copy was not saved", str(error), warn=True)
        return None

    def work(_progress):
        store = ProjectStore(project, read_only=read_only)  # the worker's own connection
        try:
            return copies.save_copy(store, target, force=True)
        finally:
            store.close()

    def done(out: Path) -> None:
        window.status.showMessage(f"Saved a copy of the project to {out}", 10000)

    def failed(message: str) -> None:
        show_report(window, "The copy was not saved", message, warn=True)

    job = Job(window, "Saving a copy…", work, project)
    job.done.connect(done)
    job.failed.connect(failed)
    window.keep_job(job)
    return job.start()


class DailyBackup(QThread):
    """The once-a-day automatic backup, made when the window opens if the newest one is a
    day old; `finished_with` carries what to tell the person (empty: nothing to say).

    `finished_with` is emitted on the GUI thread once the thread has ended, never on the
    backup's own thread (why: annotator.qt.controllers.jobs): the thread keeps its message
    and this object, which lives on the GUI thread, hands it out."""

    finished_with = Signal(str)

    def __init__(self, project: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.message = ""
        self.finished.connect(self._hand_out)  # queued: finished comes from the thread

    def run(self) -> None:
        try:
            made = copies.daily_backup(self.project)
        except AnnotatorError as error:
            self.message = f"The daily backup was not made: {error}"
            return
        self.message = f"Daily backup saved to {made}" if made is not None else ""

    @Slot()
    def _hand_out(self) -> None:
        self.finished_with.emit(self.message)
