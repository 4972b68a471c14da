"""File › Import and File › Export: pick files, run the core function in the background, report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMessageBox,
)

from annotator.formats import registry
from annotator.formats.importer import import_paths
from annotator.formats.records import Cancelled
from annotator.qt.controllers.jobs import Job
from annotator.qt.controllers.read_only import refused
from annotator.qt.dialogs.export_options import ExportOptionsDialog
from annotator.qt.dialogs.import_options import ImportOptionsDialog
from annotator.qt.dialogs.layer_choice import export_layers, read_layer
from annotator.qt.workbench import Workbench
from annotator.store.project import ProjectStore


def import_files(window: Workbench) -> None:
    if refused(window):
        return
    paths, _ = QFileDialog.getOpenFileNames(window, "Import articles", "", registry.import_filter())
    if paths:
        run_import(window, paths)


def import_folder(window: Workbench) -> None:
    if refused(window):
        return
    folder = QFileDialog.getExistingDirectory(window, "Import a folder of articles")
    if folder:
        run_import(window, [folder])


def import_with_options(window: Workbench) -> ImportOptionsDialog | None:
    if refused(window):
        return None
    dialog = ImportOptionsDialog(window)
    dialog.accepted.connect(lambda: run_import(window, dialog.paths, **dialog.options()))
    dialog.open()
    return dialog


class _CancelledImport:
    """What a cancelled import's job returns: the report of the files done before it."""

    def __init__(self, before):
        self.before = before


def run_import(window: Workbench, paths: list[str], **options) -> Job | None:
    """options: import_paths' keyword arguments (format, encoding, offsets, ...)."""
    if refused(window):  # the worker's own connection would write; the window may not
        return None
    project_path = window.store.path
    read_only = window.store.read_only is not None
    annotator = window.store.annotator  # imported annotations are the person's

    def work(progress):
        store = ProjectStore(project_path, read_only=read_only)  # the worker's own connection
        store.annotator = annotator
        what = "the import of " + ", ".join(Path(p).name for p in paths[:3])
        try:
            store.refuse_if_read_only()
            with store.activity("import", what):  # named to any writer that waits for it
                return import_paths(store, paths, progress=progress, **options)
        except Cancelled as cancelled:
            # The files imported before the cancel, if any (each file is whole or absent).
            return _CancelledImport(cancelled.args[0] if cancelled.args else None)
        finally:
            store.close()

    def done(report) -> None:
        window.reload_after_import()
        if isinstance(report, _CancelledImport):
            kept = len(report.before.files) if report.before is not None else 0
            window.status.showMessage(
                "Import cancelled; nothing from the file in progress was written"
                + (f"; the {kept} file(s) imported before it are kept" if kept else ""),
                8000,
            )
            return
        show_report(
            window,
            "Import finished" if report.ok else "Import finished with problems",
            report.summary(),
            warn=not report.ok or bool(report.skipped or report.unread),
        )

    job = Job(window, "Importing articles…", work, project_path)
    job.done.connect(done)
    job.failed.connect(lambda message: show_report(window, "Import failed", message, warn=True))
    window.keep_job(job)  # alive until it ends; tests wait for it
    return job.start()


def export_as(window: Workbench, kind: str) -> None:
    """File › Export as…: one file (JSONL, CoNLL, doccano) or a folder (brat, spaCy); a format
    with options of its own (spaCy's split), or any format once there are layers to choose
    from (several annotators, gold), asks for them first, with done-only."""
    entry = registry.exporter(kind)
    options: dict = {}
    layers = export_layers(window.store)
    if entry.options or layers:  # a layer to choose is an option every format has
        dialog = ExportOptionsDialog(entry, window, window.store, layers)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = dialog.options()
    if entry.folder:
        what = entry.tip[:1].lower() + entry.tip[1:] if entry.tip else f"the {kind} export"
        target = QFileDialog.getExistingDirectory(window, f"Folder to {what}")
    else:
        target, _ = QFileDialog.getSaveFileName(
            window, f"Export {kind}", f"annotations{entry.suffix}", entry.file_filter
        )
    if target:
        run_export(window, kind, target, **options)


def run_export(window: Workbench, kind: str, target: str, **options) -> Job:
    """`layer` among the options: the one chosen in the dialog (layer_choice.py); absent:
    the default (gold when the project has it, else every layer)."""
    project_path = window.store.path
    read_only = window.store.read_only is not None
    chosen = options.pop("layer", None)

    def work(progress):
        writer = registry.exporter(kind).function()
        store = ProjectStore(project_path, read_only=read_only)
        try:
            if chosen is None:
                store.read_layer = store.export_layer(None, False, str(project_path))
            else:
                store.read_layer = read_layer(chosen)
            return writer(store, Path(target), progress=progress, **options)
        except Cancelled:  # the exporter stopped its workers and wrote nothing
            return None
        finally:
            store.close()

    def done(report) -> None:
        if report is None:
            window.status.showMessage("Export cancelled; nothing was written", 8000)
            return
        show_report(window, "Export finished", report.summary(), warn=False)

    job = Job(window, "Exporting…", work, project_path)
    job.done.connect(done)
    job.failed.connect(lambda message: show_report(window, "Export failed", message, warn=True))
    window.keep_job(job)
    return job.start()


def show_report(window: Workbench, title: str, text: str, warn: bool) -> None:
    window.last_report = text
    lines = text.splitlines()
    box = QMessageBox(
        QMessageBox.Icon.Warning if warn else QMessageBox.Icon.Information,
        title,
        "\n".join(lines[:12]),
        parent=window,
    )
    if len(lines) > 12:
        box.setDetailedText(text)
    box.setModal(False)
    box.show()
    window.status.showMessage(lines[0] if lines else title, 10000)
