"""The project's own keys: the key map (core.keymap, the exporters' shortcuts included) with
what the project's schema changed ([keys]), given to the key dispatch, the menus and F1 help at
once, and saved back to the project.

Project-level on purpose: a team labelling one corpus shares its keys, and a project opened on
another machine keeps them. What a key does is looked up in the key map at each press, so a
new key works the moment it is given.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from annotator.core.keymap import DEFAULT, KeyMap
from annotator.core.schema import Schema
from annotator.qt.actions import bind, key_text, window_keymap

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import ProjectStore


def default_keymap() -> KeyMap:
    """Every command's default keys, the exporters' shortcuts included."""
    return window_keymap(DEFAULT)


def project_keymap(schema: Schema) -> KeyMap:
    """The defaults with the keys this project's schema gives its commands."""
    return default_keymap().with_overrides(schema.keys)


def saved_keys(keymap: KeyMap) -> dict[str, tuple[str, ...]]:
    """What differs from the defaults: what the schema keeps."""
    return {action: tuple(keys) for action, keys in keymap.overrides(default_keymap()).items()}


def save_keys(store: ProjectStore, keymap: KeyMap) -> None:
    """Into the project's schema, in one short write (ProjectStore.set_schema)."""
    schema = store.current_schema()
    store.set_schema(replace(schema, keys=saved_keys(keymap)))


def use_keymap(window: MainWindow, keymap: KeyMap) -> None:
    """Give every part of the window the key map: the core's key dispatch (the article
    view's keys), each menu entry's shortcut and tooltip, and F1 help (window.keymap)."""
    window.keymap = keymap
    window.controller.interaction.keymap = keymap
    for action in window.findChildren(QAction):
        name = action.objectName()
        try:
            keymap.binding(name)
        except KeyError:
            continue  # not a command of the key map (About, a label of the palette)
        bind(action, keymap, name)
        tip, keys = action.statusTip(), keymap.keys(name)
        if tip:
            action.setToolTip(f"{tip} ({key_text(keys[0])})" if keys else tip)
