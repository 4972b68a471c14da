"""The window's actions and menus: every command has a menu entry and a standard shortcut."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.formats import registry

KEYS_HELP = """\
<b>Label</b>: select text, then press the label's key (shown in the palette) or click the label.<br>
<b>Select</b>: drag over text, double-click a word, or use ← → (Shift extends) for a token cursor.<br>
<b>Spans</b>: click a span or press Tab / Shift+Tab to select one; a label key relabels it;
Delete removes it; Esc clears the selection.<br>
<b>Articles</b>: Alt+↓ / Alt+↑ next and previous; Ctrl+Enter marks done and moves on;
Ctrl+Shift+Enter skips; Ctrl+F searches the list.<br>
<b>Undo</b>: Ctrl+Z, redo Ctrl+Shift+Z, also after moving to another article, and after
closing and reopening the project (the last 1,000 edits are kept in it).<br>
<b>Snapping</b>: Ctrl+T turns snapping selections to whole tokens on and off.<br>
<b>Event arcs</b>: Ctrl+Shift+A shows every event's arcs or the selected event's only
(View menu); hover an arc to see its role, event and filler.<br>
Every edit is saved to the project file the moment you make it."""


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


def _action(
    window, text: str, *shortcuts: str | QKeySequence.StandardKey, tip: str = ""
) -> QAction:
    action = QAction(text, window)
    keys = [QKeySequence(s) for s in shortcuts]
    if keys:
        action.setShortcuts(keys)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(
            f"{tip} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})" if keys else tip
        )
    return action


def build_actions(window: QMainWindow, undo_actions: tuple[QAction, QAction]) -> Actions:
    undo, redo = undo_actions
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    snap = _action(
        window, "&Snap selections to tokens", "Ctrl+T", tip="Widen selections to whole spaCy tokens"
    )
    snap.setCheckable(True)
    snap.setChecked(True)
    all_arcs = _action(
        window,
        "Show &all events' arcs",
        "Ctrl+Shift+A",
        tip="Draw every event's arcs, or only the selected event's",
    )
    all_arcs.setCheckable(True)
    all_arcs.setChecked(True)
    return Actions(
        import_files=_action(window, "&Import files…", "Ctrl+I", tip="Import .txt or .jsonl files"),
        import_folder=_action(
            window, "Import &folder…", "Ctrl+Shift+I", tip="Import a folder of articles"
        ),
        import_options=_action(
            window,
            "Import with &options…",
            "Ctrl+Alt+I",
            tip="Choose the format, encoding, offsets and what to do with unknown labels",
        ),
        exports={
            entry.name: _action(
                window, entry.menu, *([entry.shortcut] if entry.shortcut else []), tip=entry.tip
            )
            for entry in registry.EXPORTERS.values()
        },
        save_copy=_action(
            window,
            "Save a &Copy…",
            QKeySequence.StandardKey.SaveAs,
            tip="Copy the project to another file, safely even while it is in use",
        ),
        quit=_action(window, "&Quit", QKeySequence.StandardKey.Quit),
        undo=undo,
        redo=redo,
        delete_span=_action(window, "&Delete span", "Del", tip="Delete the selected span"),
        snap=snap,
        all_arcs=all_arcs,
        find=_action(window, "&Search articles", QKeySequence.StandardKey.Find),
        next_article=_action(
            window, "&Next article", "Alt+Down", "Ctrl+PgDown", tip="Next article"
        ),
        previous_article=_action(
            window, "&Previous article", "Alt+Up", "Ctrl+PgUp", tip="Previous article"
        ),
        mark_done=_action(
            window,
            "Mark &done and next",
            "Ctrl+Return",
            "Ctrl+Enter",
            tip="Mark this article done and open the next",
        ),
        skip=_action(
            window,
            "S&kip and next",
            "Ctrl+Shift+Return",
            "Ctrl+Shift+Enter",
            tip="Mark this article skipped and open the next",
        ),
        reopen=_action(window, "&Reopen (in progress)", tip="Mark this article in progress again"),
        keys_help=_action(window, "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents),
        about=_action(window, "&About annotator"),
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
