"""File › New project…, Open…, Open Recent and Close: the entries that change which project
the window shows. The same entries serve a project window and the welcome window; the
switching itself is ProjectWindows' (a window per project, see project_windows.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu

from annotator.core.keymap import KeyMap
from annotator.qt import recent_projects
from annotator.qt.actions import bind
from annotator.qt.controllers.last_place import PlaceKeeper
from annotator.qt.controllers.project_windows import (
    ProjectWindows,
    project_windows,
)
from annotator.qt.controllers.status_messages import StaleMessages
from annotator.qt.dialogs.new_project import NewProjectDialog

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.db);;All files (*)"


class ProjectMenu:
    """Adds the project entries to a File menu, before `before` (or at its end)."""

    def __init__(
        self,
        window: QMainWindow,
        menu: QMenu,
        keymap: KeyMap,
        before: QAction | None = None,
        closable: bool = True,
        windows: ProjectWindows | None = None,
    ):
        self.window = window
        self.windows = windows or project_windows()
        self.new = self._action("file.new_project", "&New project…", self.new_project, keymap)
        self.open = self._action("file.open", "&Open…", self.open_project, keymap)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.setObjectName("file.recent")
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self.close = self._action("file.close", "&Close project", self.close_project, keymap)
        self.close.setEnabled(closable)
        entries: list[QAction | None] = [self.new, self.open, self.recent_menu.menuAction()]
        entries += [self.close, None] if closable else [None]
        for entry in entries:
            if entry is None:
                separator = QAction(window)
                separator.setSeparator(True)
                entry = separator
            if before is None:
                menu.addAction(entry)
            else:
                menu.insertAction(before, entry)
        self.fill_recent()

    def _action(self, name: str, text: str, slot, keymap: KeyMap) -> QAction:
        action = QAction(text, self.window)
        bind(action, keymap, name)
        action.setStatusTip(keymap.binding(name).help)
        action.triggered.connect(slot)
        return action

    def _folder(self) -> Path:
        store = getattr(self.window, "store", None)
        return store.path.parent if store is not None else Path.home()

    # -- the entries ---------------------------------------------------------------------

    def new_project(self) -> NewProjectDialog:
        dialog = NewProjectDialog(self.window, self._folder())
        dialog.finished.connect(lambda result: self._create(dialog, result))
        dialog.open()
        return dialog

    def _create(self, dialog: NewProjectDialog, result: int) -> None:
        if result == QDialog.DialogCode.Accepted and dialog.path and dialog.schema:
            self.windows.create(dialog.path, dialog.schema, dialog.name, self.window)

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open a project", str(self._folder()), PROJECT_FILTER
        )
        if path:
            self.windows.open(path, self.window)

    def close_project(self) -> None:
        if hasattr(self.window, "store"):
            self.windows.close_project(self.window)  # type: ignore[arg-type]

    def fill_recent(self) -> None:
        """The last projects, newest first; one whose file is gone is shown greyed out
        (a USB stick not plugged in) rather than silently dropped."""
        self.recent_menu.clear()
        current = getattr(self.window, "store", None)
        for number, path in enumerate(recent_projects.recent(), start=1):
            there = Path(path).is_file()
            prefix = f"&{number % 10} " if number <= 10 else ""
            action = self.recent_menu.addAction(f"{prefix}{Path(path).name}  —  {path}")
            action.setData(path)
            action.setEnabled(there)
            action.setToolTip(path if there else f"{path}: not found")
            if current is not None and os.path.abspath(current.path) == path:
                action.setCheckable(True)
                action.setChecked(True)
            action.triggered.connect(
                lambda _=False, path=path: self.windows.open(path, self.window)
            )
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent projects").setEnabled(False)


class WindowProject:
    """What a project window adds for its project: the File menu's project entries, where
    the project was left (reopened and saved), and status messages that give way to the
    next action."""

    def __init__(self, window: MainWindow):
        self.menu = ProjectMenu(
            window, window.menuBar().actions()[0].menu(), window.keymap, window.actions.import_files
        )
        self.places = PlaceKeeper(window.controller)
        self.messages = StaleMessages(
            window.status,
            window.session,
            window.controller.interaction,
            keep=lambda: window.write_wait.active,
        )

    def reopen(self) -> bool:
        return self.places.reopen()

    def leave(self) -> None:
        self.places.save()
