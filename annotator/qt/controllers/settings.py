"""Edit › Settings… and View › Zoom: the person's preferences applied to the window as they
change (fonts and zoom to the article view, laid out once; the theme to the whole app; the
snapping default), and the project's keys to the key dispatch, the menus and F1 at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from annotator.core.keymap import KeyMap
from annotator.qt import preferences, theme
from annotator.qt.actions import bind
from annotator.qt.dialogs.settings import SettingsDialog
from annotator.qt.preferences import Preferences, zoomed
from annotator.qt.project_keys import default_keymap, project_keymap, save_keys, use_keymap

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow


def menu_named(window: MainWindow, title: str) -> QMenu:
    """A menu of the menu bar by its title without the & ("View")."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return window.menuBar().addMenu(f"&{title}")


class SettingsActions(QObject):
    def __init__(self, window: MainWindow, edit_menu: QMenu):
        super().__init__(window)
        self.window = window
        self.prefs = preferences.load()
        self.dialog: SettingsDialog | None = None
        # The project's keys first: every action made from here on is bound with them.
        window.keymap = project_keymap(window.store.schema)
        window.controller.interaction.keymap = window.keymap
        self.settings = self._action("edit.settings", "Se&ttings…", self.open)
        edit_menu.addAction(self.settings)
        view = menu_named(window, "View")
        view.addSeparator()
        self.zoom_in = self._action("view.zoom_in", "Zoom &in", lambda: self.zoom(+1))
        self.zoom_out = self._action("view.zoom_out", "Zoom &out", lambda: self.zoom(-1))
        self.zoom_reset = self._action("view.zoom_reset", "&Actual size", lambda: self.zoom(0))
        for action in (self.zoom_in, self.zoom_out, self.zoom_reset):
            view.addAction(action)
        use_keymap(window, window.keymap)  # the actions made before this controller too
        self.apply(self.prefs, first=True)
        # "Follow the system": the desktop switching to dark (or back) while the app runs.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._desktop_changed)

    def _desktop_changed(self) -> None:
        if self.prefs.theme == preferences.SYSTEM:
            theme.apply_theme(preferences.SYSTEM)
            self.window.view.viewport().update()

    def _action(self, name: str, text: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(self.window.keymap.binding(name).help)
        bind(action, self.window.keymap, name)
        action.triggered.connect(slot)
        return action

    # -- preferences ---------------------------------------------------------------------------

    def base_font(self) -> QFont:
        return QApplication.font()

    def apply(self, prefs: Preferences, first: bool = False) -> None:
        """Show `prefs` in the window: only what differs from what is shown is redone (a font
        change lays the article out once; a theme change repaints from the new palette)."""
        before = None if first else self.prefs
        view = self.window.view
        if before is None or prefs.fonts(self.base_font()) != before.fonts(self.base_font()):
            view.set_fonts(*prefs.fonts(self.base_font()))
        if before is None or prefs.theme != before.theme:
            theme.apply_theme(prefs.theme)
            view.viewport().update()
        if before is None or prefs.snap != before.snap:
            self.window.actions.snap.setChecked(prefs.snap)
            self.window.session.snap_to_tokens = prefs.snap
        self.prefs = prefs

    def keep(self, prefs: Preferences) -> None:
        self.apply(prefs)
        preferences.save(prefs)

    def zoom(self, steps: int) -> None:
        """Ctrl+= / Ctrl+- a step in or out, Ctrl+0 back to 100 %: kept for the next start."""
        self.keep(replace(self.prefs, zoom=zoomed(self.prefs.zoom, steps)))
        self.window.status.showMessage(f"Zoom {self.prefs.zoom} %", 3000)

    # -- the dialog ------------------------------------------------------------------------------

    def open(self) -> SettingsDialog:
        """Edit › Settings… (modal to the window, not blocking: tests and scripts drive it)."""
        window = self.window
        dialog = SettingsDialog(
            self.prefs,
            self.base_font(),
            window.keymap,
            default_keymap(),
            window.store.schema,
            window,
        )
        kept = self.prefs
        dialog.previewed.connect(self.apply)
        dialog.accepted.connect(lambda: self._accepted(dialog))
        dialog.rejected.connect(lambda: self.apply(kept))
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog
        return dialog

    def _accepted(self, dialog: SettingsDialog) -> None:
        self.keep(dialog.preferences())
        if dialog.keys.keymap.bindings != self.window.keymap.bindings:
            self.use_keys(dialog.keys.keymap)

    def use_keys(self, keymap: KeyMap) -> None:
        """Keep the keys in the project's schema and give them to the window."""
        window = self.window
        if window.store.read_only is not None:
            QMessageBox.warning(
                window,
                "Keys not saved",
                f"The project is read-only ({window.store.read_only}): the keys are used in "
                "this window until it closes, but not kept in the project.",
            )
        else:
            save_keys(window.store, keymap)
            window.reload_schema()
        use_keymap(window, keymap)
        window.status.showMessage("Keys kept in the project: menus and F1 show them", 6000)

    def follow_schema(self) -> None:
        """The schema changed elsewhere (another window, the command line): its keys too."""
        keymap = project_keymap(self.window.store.schema)
        if keymap.bindings != self.window.keymap.bindings:
            use_keymap(self.window, keymap)
