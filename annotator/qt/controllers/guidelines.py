"""Guidelines at hand: the Guidelines tab beside the events, and Help › Guidelines, which
opens the document the schema links (a URL or a file) with the desktop's own program. The
app never fetches it: opening it is the user's action."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QTabWidget

from annotator.qt.actions import bind
from annotator.qt.controllers.statistics import menu_named
from annotator.qt.widgets.guidelines_panel import GuidelinesPanel
from annotator.qt.workbench import Workbench

NO_LINK = (
    'The schema links no guidelines document: add guidelines = "URL or path" to the '
    "schema file (Edit › Label schema › Export, then merge it back)"
)


def guidelines_url(link: str) -> QUrl | str:
    """The link as a URL to open, or why it can't be opened (a message for the person)."""
    if not link:
        return NO_LINK
    if "://" in link or link.startswith("mailto:"):
        url = QUrl(link)
        return url if url.isValid() else f"The schema's guidelines link is not a URL: {link}"
    path = Path(link)
    if not path.exists():
        return f"{path}: the schema's guidelines document is not there"
    return QUrl.fromLocalFile(str(path))


class GuidelinesActions:
    def __init__(self, window: Workbench, tabs: QTabWidget, view):
        self.window = window
        self.panel = GuidelinesPanel(lambda: window.store.schema, view)
        tabs.addTab(self.panel, "Guidelines")
        self.action = QAction("&Guidelines", window)  # type: ignore[call-overload]
        bind(self.action, window.keymap, "help.guidelines")
        self.action.setStatusTip(window.keymap.binding("help.guidelines").help)
        self.action.triggered.connect(self.open_document)
        menu = menu_named(window, "Help")
        if menu is not None:
            menu.insertAction(menu.actions()[0] if menu.actions() else None, self.action)

    def open_document(self) -> bool:
        url = guidelines_url(self.window.store.schema.guidelines)
        if isinstance(url, str):
            self.window.status.showMessage(url, 10000)
            return False
        if not QDesktopServices.openUrl(url):
            self.window.status.showMessage(f"No program opened {url.toDisplayString()}", 10000)
            return False
        self.window.status.showMessage(f"Opened {url.toDisplayString()}", 6000)
        return True
