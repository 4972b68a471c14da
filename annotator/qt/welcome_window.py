"""The window shown when no project is open (after File › Close): the recent projects to
reopen, and New project, Open and the demo. Its File menu has the same project entries as a
project window's, so the keys (Ctrl+N, Ctrl+O) work the same."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.keymap import DEFAULT
from annotator.qt import recent_projects
from annotator.qt.actions import bind
from annotator.qt.controllers.project_windows import ProjectWindows
from annotator.qt.controllers.projects import ProjectMenu


class WelcomeWindow(QMainWindow):
    def __init__(self, windows: ProjectWindows, parent=None):
        super().__init__(parent)
        self.windows = windows
        self.setWindowTitle("No project open — annotator")
        file_menu = self.menuBar().addMenu("&File")
        self.projects = ProjectMenu(self, file_menu, DEFAULT, closable=False, windows=windows)
        quit_action = file_menu.addAction("&Quit")
        bind(quit_action, DEFAULT, "file.quit")
        quit_action.triggered.connect(self.close)

        heading = QLabel("<h2>No project is open</h2>")
        hint = QLabel("Reopen a recent project (double-click or Enter), or start another.")
        hint.setWordWrap(True)
        self.recent = QListWidget()
        self.recent.setObjectName("recent-projects")
        self.recent.setSpacing(3)
        self.recent.itemActivated.connect(self._open_item)
        self.fill()
        self.new_button = QPushButton("New project…")
        self.new_button.clicked.connect(self.projects.new_project)
        self.open_button = QPushButton("Open…")
        self.open_button.clicked.connect(self.projects.open_project)
        self.demo_button = QPushButton("Open the demo")
        self.demo_button.setToolTip("The sample articles, starting with the founding one")
        self.demo_button.clicked.connect(self.open_demo)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.demo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(hint)
        column.addWidget(self.recent, 1)
        column.addLayout(buttons)
        page = QWidget()
        outer = QHBoxLayout(page)
        # A readable column in the middle, not a list stretched over a wide window.
        outer.addStretch(1)
        inner = QWidget()
        inner.setLayout(column)
        inner.setMaximumWidth(760)
        outer.addWidget(inner, 4)
        outer.addStretch(1)
        self.setCentralWidget(page)
        self.statusBar().showMessage("Ctrl+N: new project · Ctrl+O: open a project")

    def fill(self) -> None:
        self.recent.clear()
        for path in recent_projects.recent():
            there = Path(path).is_file()
            item = QListWidgetItem(
                f"{Path(path).name}\n{path}" + ("" if there else "  (not found)")
            )
            item.setData(Qt.ItemDataRole.UserRole, path)
            if not there:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent.addItem(item)
        if self.recent.count():
            self.recent.setCurrentRow(0)
        else:
            empty = QListWidgetItem("No recent projects yet")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(empty)

    def _open_item(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.windows.open(path, self)

    def open_demo(self) -> None:
        from annotator.demo import demo_project_path

        self.windows.open(demo_project_path(), self)
