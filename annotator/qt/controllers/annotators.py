"""Several annotators in the window: who is annotating (Edit › Your name…, shown in the
status bar and stamped on every edit through store.annotator), and File › Merge annotators'
copies…, which brings copies into the open project as their annotators' layers
(annotator.store.merge) in a background job with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QLineEdit, QMenu

from annotator.qt import identity
from annotator.qt.controllers.file_menu import show_report
from annotator.qt.controllers.jobs import Job
from annotator.qt.controllers.read_only import refused
from annotator.qt.workbench import Workbench
from annotator.store.merge import merge_projects
from annotator.store.project import ProjectStore


class AnnotatorActions(QObject):
    def __init__(self, window: Workbench, file_menu: QMenu, edit_menu: QMenu, before: QAction):
        super().__init__(window)  # type: ignore[arg-type]
        self.window = window
        self.name_label = QLabel()
        window.status.insertPermanentWidget(0, self.name_label)
        self.rename = QAction("Your &name…", self)
        self.rename.setStatusTip("The name stored with every span, event and decision you make")
        self.rename.triggered.connect(self.ask_name)
        edit_menu.addAction(self.rename)
        self.merge = QAction("&Merge annotators' copies…", self)
        self.merge.setStatusTip(
            "Bring annotators' copies of this project in, each as its annotators' layer"
        )
        self.merge.triggered.connect(self.choose_copies)
        file_menu.insertAction(before, self.merge)
        self.dialog: QInputDialog | None = None
        # While Review › Adjudicate writes as gold: the person's name, put back on leaving.
        self.held: str | None = None
        self.use(identity.current_name())

    def hold(self, writer: str) -> None:
        """Write as `writer` (gold) until release(), whatever name is set meanwhile."""
        if self.held is None:
            self.held = self.window.store.annotator
        self.window.store.annotator = writer

    def release(self) -> None:
        if self.held is not None:
            name, self.held = self.held, None
            self.use(name)

    def use(self, name: str) -> None:
        self.window.store.annotator = name
        asked = identity.saved_name() is not None
        self.name_label.setText(f"Annotator: {name}" if asked else f"Annotator: {name} (yours?)")
        self.name_label.setToolTip(
            "Stored with every span, event and decision you make. Edit › Your name… changes it"
            + ("" if asked else "; until you set it, your login name is used")
        )

    def ask_name_once(self) -> QInputDialog | None:
        """On the first run (no name ever saved, never asked), ask for the name once; the
        app calls it once the window shows (qt/app.py, run_gui), so a window made by a test
        or a script is never interrupted. Answered or dismissed, it is not asked again:
        dismissed, the login name stands in ("(yours?)" in the status bar) until Edit ›
        Your name…."""
        if identity.saved_name() is not None or identity.was_asked():
            return None
        dialog = self.ask_name()
        dialog.finished.connect(lambda _result: identity.mark_asked())
        return dialog

    def ask_name(self) -> QInputDialog:
        """A small dialog, opened (not exec'd) so that a test can fill it in."""
        dialog = QInputDialog(self.window)  # type: ignore[call-overload]
        dialog.setWindowTitle("Your name")
        dialog.setLabelText(
            "Your name, as stored with every span, event and decision you make\n"
            "(it tells your work apart when annotators' copies are merged):"
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(identity.current_name())
        dialog.textValueSelected.connect(self.set_name)
        self.dialog = dialog
        dialog.open()
        return dialog

    def set_name(self, name: str) -> None:
        try:
            name = identity.save_name(name)
        except ValueError as error:
            self.window.status.showMessage(f"Name not changed: {error}", 8000)
            return
        if self.held is not None:  # adjudicating: edits stay gold's until the mode ends
            self.held = name
            self.window.status.showMessage(
                f"Your name is now {name}; your edits go to gold until you leave "
                "Review › Adjudicate",
                8000,
            )
            return
        self.use(name)
        self.window.status.showMessage(f"Your edits are now stored as {name}'s", 8000)

    def choose_copies(self) -> None:
        if refused(self.window):
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self.window,  # type: ignore[arg-type]
            "Merge annotators' copies into this project",
            "",
            "Annotator projects (*.db);;All files (*)",
        )
        if paths:
            self.run_merge(paths)

    def run_merge(self, paths: list[str]) -> Job | None:
        window = self.window
        if refused(window):
            return None
        project = window.store.path

        def work(progress):
            store = ProjectStore(project)  # the worker's own connection
            stop = [False]

            def step(done: int, total: int) -> None:
                stop[0] = not progress(done, total)

            try:
                store.refuse_if_read_only()
                what = "the merge of " + ", ".join(Path(p).name for p in paths[:3])
                with store.activity("merge", what):
                    return merge_projects(store, paths, progress=step, cancelled=lambda: stop[0])
            finally:
                store.close()

        def done(reports) -> None:
            window.reload_after_import()  # the schema too: copies may bring labels
            lines = [line for report in reports for line in report.lines()]
            problems = any(r.refused or not r.finished or r.schema_notes for r in reports)
            title = "Merge finished" if all(r.finished for r in reports) else "Merge stopped"
            show_report(window, title, "\n".join(lines), warn=problems)

        job = Job(window, "Merging annotators' copies…", work, project)  # type: ignore[arg-type]
        job.done.connect(done)
        job.failed.connect(lambda message: show_report(window, "Merge failed", message, warn=True))
        window.keep_job(job)
        return job.start()
