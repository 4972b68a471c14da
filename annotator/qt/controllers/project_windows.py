"""One window per open project, and the welcome window when none is open.

Why a new window per project rather than one window that swaps its store: everything in the
window is built for one project file (the list's model, the status counts, the review queue,
the writer window that holds the project's edit lock, the live reload's watch, the undo
stack restored from the project's log, the background jobs' paths). Swapping would mean
resetting each of them and trusting that no thread or timer still holds the old file. A new
window starts from a known state, and closing the old one runs the same path as quitting
(its reading place and last place saved, the WAL checkpointed, the edit lock let go), so
switching projects can't lose anything that quitting would keep. The new window takes the
old one's place and size, so the person sees one window change its contents.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget
from shiboken6 import isValid

from annotator.core.errors import AnnotatorError
from annotator.core.model import Article
from annotator.core.schema import Schema
from annotator.qt import recent_projects
from annotator.qt.qstring import as_qstring
from annotator.store.project import ProjectStore

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

NAME_KEY = "project_name"  # meta: the name File › New project gave, shown in the title
JOB_STOP_WAIT = 30.0  # seconds a cancelled job gets to stop before switching gives up


def project_label(store: ProjectStore) -> str:
    """How the title names the project: its file, and its name when it has one."""
    name = store.get_meta(NAME_KEY) or ""
    return f"{name} ({store.path.name})" if name else store.path.name


def window_title(store: ProjectStore, article: Article | None) -> str:
    """The article open, its status and the project: "Title (in progress) — name (file.db)"."""
    project = project_label(store) + (" (read-only)" if store.read_only else "")
    if article is None:
        return f"{project}[*] — annotator"
    title = article.title if len(article.title) < 70 else article.title[:67] + "…"
    status = article.status.replace("_", " ")
    return as_qstring(f"{title} ({status}) — {project}[*] — annotator")


class ProjectWindows(QObject):
    """The app's windows: the project windows open now, and the welcome window."""

    # The window classes, set by main_window when it is imported: the qt package's modules
    # import one way only (the window uses the controllers, never the reverse).
    window_class: Callable[[ProjectStore], MainWindow] | None = None
    welcome_class: Callable[[ProjectWindows], QMainWindow] | None = None

    def _classes(self) -> tuple[Callable[[ProjectStore], MainWindow], Callable]:
        if self.window_class is None or self.welcome_class is None:
            raise RuntimeError("import annotator.qt.main_window first: it sets the window classes")
        return self.window_class, self.welcome_class

    def __init__(self) -> None:
        super().__init__()
        self.windows: list[MainWindow] = []
        self.stores: list[ProjectStore] = []  # theirs, closed with them or at the end
        self.welcome: QMainWindow | None = None

    # -- opening -------------------------------------------------------------------------

    def open(self, path: str | Path, replacing: QMainWindow | None = None) -> MainWindow | None:
        """Open the project at `path` in a window that takes `replacing`'s place (a project
        window, which may refuse to be left, or the welcome window)."""
        path = Path(path)
        current = getattr(replacing, "store", None)
        if current is not None and _same_file(current.path, path):
            replacing.statusBar().showMessage(f"{path.name} is the project open here", 6000)
            return replacing  # type: ignore[return-value]
        if not path.is_file():
            QMessageBox.warning(
                replacing, "Cannot open the project", f"{path}: the file is not there (moved?)"
            )
            recent_projects.forget(path)
            return None
        if replacing is not None and not can_leave(replacing, f"open {path.name}"):
            return None
        return self._show(lambda: ProjectStore(path), replacing)

    def create(
        self, path: Path, schema: Schema, name: str = "", replacing: QMainWindow | None = None
    ) -> MainWindow | None:
        """File › New project: the project file made with `schema`, then opened."""
        if replacing is not None and not can_leave(replacing, f"create {path.name}"):
            return None

        def make() -> ProjectStore:
            store = ProjectStore(path, schema)
            if name:
                store.set_meta(NAME_KEY, name)
            return store

        return self._show(make, replacing)

    def _show(self, make, replacing: QMainWindow | None) -> MainWindow | None:
        try:
            store = make()
        except AnnotatorError as error:
            QMessageBox.warning(replacing, "Cannot open the project", str(error))
            return None
        return self.show_store(store, replacing)

    def show_store(self, store: ProjectStore, replacing: QMainWindow | None = None) -> MainWindow:
        """A window on the open `store` (which the window's closing closes), remembered as
        the newest recent project."""
        window = self._classes()[0](store)
        # Made here, freed when closed: a day of switching projects leaves no windows behind.
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.windows.append(window)
        self.stores.append(store)
        recent_projects.remember(store.path)
        self._take_place(window, replacing)
        window.start_daily_backup()
        return window

    # -- closing -------------------------------------------------------------------------

    def close_project(self, window: MainWindow) -> QMainWindow | None:
        """File › Close: the project closes, the welcome window (its recent projects) takes
        the window's place; the app keeps running."""
        if not can_leave(window, "close the project"):
            return None
        welcome = self._classes()[1](self)
        welcome.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._take_place(welcome, window)
        return welcome

    def _take_place(self, new: QMainWindow, old: QMainWindow | None) -> None:
        if old is not None and old.isVisible():
            if old.isMaximized():
                new.showMaximized()
            else:
                new.setGeometry(old.geometry())
                new.show()
        else:
            new.show()
        if isinstance(new, QMainWindow) and not hasattr(new, "store"):
            self.welcome = new
        if old is not None:
            self._close(old)
        new.activateWindow()

    def _close(self, window: QMainWindow) -> None:
        store = getattr(window, "store", None)
        window.close()  # the window's closeEvent saves places and checkpoints
        if window in self.windows:
            self.windows.remove(window)  # type: ignore[arg-type]
        if store is not None:
            store.close()
            if store in self.stores:
                self.stores.remove(store)
        if window is self.welcome:
            self.welcome = None

    def close_all(self) -> None:
        """At the end of the app: every window closed, every project's file closed."""
        for window in [*self.windows, self.welcome]:
            if window is not None and isValid(window) and window.isVisible():
                window.close()
        for store in self.stores:
            store.close()
        self.windows.clear()
        self.stores.clear()
        self.welcome = None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


_WINDOWS: ProjectWindows | None = None


def project_windows() -> ProjectWindows:
    """The app's one ProjectWindows (made on first use)."""
    global _WINDOWS
    if _WINDOWS is None:
        _WINDOWS = ProjectWindows()
    return _WINDOWS


# -- may the project be left? -----------------------------------------------------------------


def running_jobs(window: QWidget) -> list[tuple[str, object]]:
    """The background jobs still at work on the window's project, with what to call them:
    every job the window keeps (imports, exports, label all over the corpus...) and the
    suggestion or training run. Each has running(), cancel() and wait(timeout)."""
    jobs = list(getattr(window, "jobs", ()))
    suggesting = getattr(getattr(window, "suggestions", None), "job", None)
    if suggesting is not None and suggesting not in jobs:
        jobs.append(suggesting)
    running = []
    for job in jobs:
        if job.running():  # type: ignore[attr-defined]
            dialog = getattr(job, "dialog", None)
            name = dialog.windowTitle().rstrip("…") if dialog is not None else ""
            running.append((name or "A job", job))
    return running


def jobs_stopped(window: QWidget, doing: str) -> bool:
    """Whether no background job runs on the window's project any more: if one does, the
    person is asked; Yes cancels each and waits for it (a Job's thread destroyed while it
    runs aborts the whole app), No keeps the project open."""
    jobs = running_jobs(window)
    if not jobs:
        return True
    what = " and ".join(name for name, _ in jobs)
    answer = QMessageBox.question(
        window,
        "A job is still running",
        f"{what} is still running on this project. Cancel it and {doing}?\n\n"
        "What it has finished is kept; the part in progress is not written.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    for _, job in jobs:
        job.cancel()  # type: ignore[attr-defined]
    deadline = time.monotonic() + JOB_STOP_WAIT
    for _, job in jobs:
        job.wait(max(0.0, deadline - time.monotonic()))  # type: ignore[attr-defined]
    if any(job.running() for _, job in jobs):  # type: ignore[attr-defined]
        QMessageBox.warning(
            window, "Still stopping", f"{what} has not stopped yet; try again in a moment."
        )
        return False
    return True


def can_leave(window: QWidget, doing: str) -> bool:
    """Whether the project in `window` may be left now. Every edit is committed as it is
    made, so only what is still under way can be lost: an edit waiting for another writer
    (refused: it would be given up), a background job (cancelled, if the person says so,
    and waited for), an edit whose write failed (the person is asked)."""
    wait = getattr(window, "write_wait", None)
    if wait is not None and wait.active:
        QMessageBox.warning(
            window,
            "An edit is waiting",
            f"Your last edit is waiting for {wait.holder} to finish; it is saved as soon as "
            f"it can be. Try again when the status bar no longer says it waits.",
        )
        return False
    if not jobs_stopped(window, doing):
        return False
    if window.isWindowModified():
        answer = QMessageBox.question(
            window,
            "An edit was not saved",
            f"Your last edit could not be saved (the status bar says NOT SAVED). {doing[:1].upper()}"
            f"{doing[1:]} anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
    return True
