"""The window's actions and menus: every command has a menu entry and a standard shortcut."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar

from annotator.core.keymap import DEFAULT, TEXT, WINDOW, Binding, KeyMap
from annotator.formats import registry


def window_keymap(base: KeyMap = DEFAULT) -> KeyMap:
    """The key map with the shortcut an exporter of the registry declares itself, if the key
    map has none for it (the built-in ones are in the key map: core/key_table.py)."""
    return base.extended(
        Binding(
            f"file.export.{entry.name}", (entry.shortcut,), entry.tip or entry.menu, "File", WINDOW
        )
        for entry in registry.EXPORTERS.values()
        if entry.shortcut and f"file.export.{entry.name}" not in base
    )


def menu_keys(bar: QMenuBar) -> dict[str, str]:
    """The menu bar's Alt+letter keys and the menus they open ("Alt+R": "Review"), read from
    the menus' titles (&Review), so a menu added or renamed is known without a list here.
    Submenus' letters are left out: they work only while their menu is open."""
    keys = {}
    for action in bar.actions():
        title = action.text().replace("&&", "")  # && is a literal ampersand, no mnemonic
        at = title.find("&")
        if 0 <= at < len(title) - 1:
            keys[f"Alt+{title[at + 1].upper()}"] = title.replace("&", "")
    return keys


def key_text(name: str) -> str:
    """How help and menus write a key: Qt's native text; a Shift+letter key says Shift, and a
    plain letter stays lower case (Qt writes "A" for a, which reads as Shift+A)."""
    if len(name) == 1 and name.isalpha():
        return f"Shift+{name}" if name.isupper() else name
    return QKeySequence(name).toString(QKeySequence.SequenceFormat.NativeText)


def bind(action: QAction, keymap: KeyMap, name: str) -> QAction:
    """Give a QAction its keys from the key map. A key of the article view (scope TEXT: Delete,
    Space, a) is only shown in the menu: as a window shortcut it would take the key from the
    text, where the core decides what it means (and from the event panel's own Delete)."""
    binding = keymap.binding(name)
    action.setObjectName(name)
    action.setShortcuts([QKeySequence(key) for key in binding.keys])
    if binding.scope == TEXT:
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    if any(len(key) == 1 and key.isalpha() for key in binding.keys):
        # The menu writes the keys after a tab as given, instead of Qt's upper-case "A".
        keys = " / ".join(key_text(key) for key in binding.keys)
        action.setText(f"{action.text().split(chr(9))[0]}\t{keys}")
    return action


@dataclass
class Actions:
    import_files: QAction
    import_folder: QAction
    import_options: QAction
    exports: dict[str, QAction]  # one per exporter of the registry, in its order
    save_copy: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    delete_span: QAction
    snap: QAction
    all_arcs: QAction
    find: QAction
    next_article: QAction
    previous_article: QAction
    mark_done: QAction
    skip: QAction
    reopen: QAction
    keys_help: QAction
    about: QAction


def _action(window, keymap: KeyMap | None, name: str, text: str, tip: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if keymap is not None:
        bind(action, keymap, name)
    keys = action.shortcuts()
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({key_text(keys[0].toString())})" if keys else tip)
    return action


def build_actions(
    window: QMainWindow, undo_actions: tuple[QAction, QAction], keymap: KeyMap
) -> Actions:
    undo, redo = undo_actions
    bind(undo, keymap, "edit.undo")
    bind(redo, keymap, "edit.redo")
    snap = _action(
        window,
        keymap,
        "edit.snap",
        "&Snap selections to tokens",
        tip="Widen selections to whole spaCy tokens",
    )
    snap.setCheckable(True)
    snap.setChecked(True)
    all_arcs = _action(
        window,
        keymap,
        "view.all_arcs",
        "Show &all events' arcs",
        tip="Draw every event's arcs, or only the selected event's",
    )
    all_arcs.setCheckable(True)
    all_arcs.setChecked(True)
    return Actions(
        import_files=_action(
            window, keymap, "file.import_files", "&Import files…", tip="Import .txt or .jsonl files"
        ),
        import_folder=_action(
            window,
            keymap,
            "file.import_folder",
            "Import &folder…",
            tip="Import a folder of articles",
        ),
        import_options=_action(
            window,
            keymap,
            "file.import_options",
            "Import with &options…",
            tip="Choose the format, encoding, offsets and what to do with unknown labels",
        ),
        exports={
            entry.name: _action(
                window,
                keymap if f"file.export.{entry.name}" in keymap else None,
                f"file.export.{entry.name}",
                entry.menu,
                tip=entry.tip,
            )
            for entry in registry.EXPORTERS.values()
        },
        save_copy=_action(
            window,
            keymap,
            "file.save_copy",
            "Save a &Copy…",
            tip="Copy the project to another file, safely even while it is in use",
        ),
        quit=_action(window, keymap, "file.quit", "&Quit"),
        undo=undo,
        redo=redo,
        delete_span=_action(
            window, keymap, "span.delete", "&Delete span", tip="Delete the selected span"
        ),
        snap=snap,
        all_arcs=all_arcs,
        find=_action(window, keymap, "article.search", "&Search articles"),
        next_article=_action(window, keymap, "article.next", "&Next article", tip="Next article"),
        previous_article=_action(
            window, keymap, "article.previous", "&Previous article", tip="Previous article"
        ),
        mark_done=_action(
            window,
            keymap,
            "article.done",
            "Mark &done and next",
            tip="Mark this article done and open the next",
        ),
        skip=_action(
            window,
            keymap,
            "article.skip",
            "S&kip and next",
            tip="Mark this article skipped and open the next",
        ),
        reopen=_action(
            window,
            None,
            "article.reopen",
            "&Reopen (in progress)",
            tip="Mark this article in progress again",
        ),
        keys_help=_action(window, keymap, "help.keys", "&Keyboard shortcuts"),
        about=_action(window, None, "help.about", "&About annotator"),
    )


def build_menus(window: QMainWindow, a: Actions) -> QMenu:
    """The menus and the toolbar; returns the Edit menu, which others extend."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (
        a.import_files,
        a.import_folder,
        a.import_options,
        None,
        *a.exports.values(),
        None,
        a.save_copy,
        None,
        a.quit,
    ):
        file_menu.addSeparator() if action is None else file_menu.addAction(action)
    edit_menu = bar.addMenu("&Edit")
    for action in (a.undo, a.redo, None, a.delete_span, None, a.snap, a.find):
        edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
    view_menu = bar.addMenu("&View")
    view_menu.addAction(a.all_arcs)
    article_menu = bar.addMenu("&Article")
    for action in (a.previous_article, a.next_article, None, a.mark_done, a.skip, a.reopen):
        article_menu.addSeparator() if action is None else article_menu.addAction(action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(a.keys_help)
    help_menu.addAction(a.about)
    toolbar = window.addToolBar("Article")
    toolbar.setObjectName("article-toolbar")
    toolbar.setMovable(False)
    for action in (a.previous_article, a.next_article, a.mark_done, a.skip, a.undo, a.redo, a.snap):
        toolbar.addAction(action)
    a.previous_article.setIconText("◀ Previous")
    a.next_article.setIconText("Next ▶")
    a.mark_done.setIconText("✓ Done")
    a.skip.setIconText("Skip")
    a.snap.setIconText("Snap to tokens")
    # Fixed toolbar labels: the undo stack renames its actions ("Undo add ORG") on every edit.
    a.undo.setIconText("↶ Undo")
    a.redo.setIconText("↷ Redo")
    edit_menu.addSeparator()
    return edit_menu
