"""The key map's vocabulary: scopes, F1 groups, a binding (action, keys, help, group, scope) and
how a key is named (modifiers in Qt's order). Apart from core/keymap.py so that the default
table (core/key_table.py) and the map that reads it share one definition."""

from __future__ import annotations

from dataclasses import dataclass

TEXT, WINDOW = "text", "window"
# The adjudication panel's keys (Review › Adjudicate): they work while its conflict list has
# the keyboard, so a digit there takes an annotator's version, and in the text fills a role.
ADJUDICATE = "adjudicate"
MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
# Groups in the order F1 help lists them.
GROUPS = (
    "Move",
    "Select",
    "Label",
    "Spans",
    "Events",
    "Attributes",
    "Review",
    "Adjudicate",
    "Articles",
    "Edit",
    "File",
)


@dataclass(frozen=True)
class Binding:
    action: str  # a stable name ("cursor.down"): what the dispatch and a saved map refer to
    keys: tuple[str, ...]  # the first is the one help and menus show first
    help: str
    group: str
    scope: str = TEXT
    menu: bool = False  # a menu entry shows the key (WINDOW keys are always in a menu)

    @property
    def in_menu(self) -> bool:
        return self.menu or self.scope == WINDOW


@dataclass(frozen=True)
class HelpRow:
    group: str
    keys: tuple[str, ...]  # key names; the view renders them (Qt's native text)
    help: str
    action: str = ""  # "" for the schema's keys
    in_menu: bool = False


def normal(name: str) -> str:
    """A key name with its modifiers in Qt's order: "Shift+Alt+Left" -> "Alt+Shift+Left"."""
    parts = name.split("+")
    if len(parts) == 1 or name.endswith("++"):
        return name
    *mods, key = parts
    unknown = [m for m in mods if m not in MODIFIERS]
    if unknown:
        raise ValueError(f"{name!r}: unknown modifier {unknown[0]!r}")
    return "+".join([m for m in MODIFIERS if m in mods] + [key])


def bind_keys(action, keys, help, group, scope=TEXT, menu=False) -> Binding:
    keys = (keys,) if isinstance(keys, str) else tuple(keys)
    return Binding(action, tuple(normal(k) for k in keys), help, group, scope, menu)
