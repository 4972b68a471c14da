"""Every key of the app in one table: its name, what it does, its group and where it works.

The core's key dispatch (interaction.Interaction.press), the F1 help and the menus' shortcut
texts are all read from here, so help never drifts from what a key does. The table is data:
`KeyMap.rebound` gives a map with another key for an action (what a key map editor needs), and
`overrides` / `KeyMap.with_overrides` are what a project would save and load.

Keys are named as Qt's QKeySequence spells them in portable text ("Shift+Tab", "Alt+Shift+Left",
"Ctrl+Right"), modifiers in its order (Ctrl, Alt, Shift, Meta), but for a printable key, which
is its character ("a"; Shift makes it upper case: "A"), and "Escape", "Delete", "Enter", which
QKeySequence reads as it writes Esc, Del and Enter.

Two scopes: TEXT keys are the article view's and go to the core (Interaction.press); WINDOW
keys are menu shortcuts that work anywhere in the window. A TEXT key may also be shown in a
menu (`menu=True`: Delete, the review keys): the menu names it but does not take it from the
text. The schema's own keys (a label's letter, an event type's Shift+letter, a role's digit)
come from the schema; `help_rows` and `conflicts` take them into account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

# The vocabulary and the default table live in modules of their own; their names are used
# through this one.
from annotator.core.key_names import (  # noqa: F401
    ADJUDICATE,
    GROUPS,
    MODIFIERS,
    TEXT,
    WINDOW,
    Binding,
    HelpRow,
    normal,
)
from annotator.core.key_table import DEFAULT_BINDINGS  # noqa: F401

if TYPE_CHECKING:
    from annotator.core.schema import Schema


class KeyMap:
    """Bindings by action, and the action a key means in a scope."""

    def __init__(self, bindings: Iterable[Binding] = DEFAULT_BINDINGS):
        self.bindings: tuple[Binding, ...] = tuple(bindings)
        self._by_action = {b.action: b for b in self.bindings}
        if len(self._by_action) != len(self.bindings):
            raise ValueError("an action is bound twice in one key map")
        self._by_key: dict[tuple[str, str], str] = {}
        for binding in self.bindings:
            for key in binding.keys:
                self._by_key.setdefault((binding.scope, key), binding.action)

    def __contains__(self, action: object) -> bool:
        return action in self._by_action

    def binding(self, action: str) -> Binding:
        return self._by_action[action]

    def keys(self, action: str) -> tuple[str, ...]:
        return self._by_action[action].keys

    def action_for(self, key: str, scope: str = TEXT) -> str | None:
        return self._by_key.get((scope, key))

    # -- changing it (a key map editor, a project's saved keys) ---------------------------

    def rebound(self, action: str, keys: Iterable[str]) -> KeyMap:
        """A copy with other keys for one action (check `conflicts` before using it)."""
        old = self.binding(action)
        new = replace(old, keys=tuple(normal(k) for k in keys))
        return KeyMap(new if b.action == action else b for b in self.bindings)

    def extended(self, bindings: Iterable[Binding]) -> KeyMap:
        """A copy with more bindings (the window adds its exporters' shortcuts)."""
        return KeyMap([*self.bindings, *bindings])

    def overrides(self, base: KeyMap | None = None) -> dict[str, list[str]]:
        """The actions whose keys differ from `base` (the defaults): what a project saves."""
        base = base or DEFAULT
        return {
            b.action: list(b.keys)
            for b in self.bindings
            if b.action in base._by_action and base.keys(b.action) != b.keys
        }

    def with_overrides(self, saved: Mapping[str, Iterable[str]]) -> KeyMap:
        keymap = self
        for action, keys in saved.items():
            if action in self._by_action:  # an action this version no longer has: ignored
                keymap = keymap.rebound(action, keys)
        return keymap

    # -- checking and explaining -----------------------------------------------------------

    def conflicts(
        self, schema: Schema | None = None, menus: Mapping[str, str] | None = None
    ) -> list[str]:
        """Keys that would mean two things: bound twice in one scope, a WINDOW key that takes
        a TEXT key from the article view (Qt gives shortcuts first), a TEXT key that a label,
        event type or role digit of the schema has too, or a key that opens a menu (`menus`:
        the menu bar's Alt+letters and their titles, "Alt+R": "Review"; Qt finds two owners
        for such a key and neither acts)."""
        menu_of = {key.lower(): title for key, title in (menus or {}).items()}
        problems = []
        seen: dict[tuple[str, str], str] = {}
        for binding in self.bindings:
            for key in binding.keys:
                other = seen.setdefault((binding.scope, key), binding.action)
                if other != binding.action:
                    problems.append(f"{key} is bound to both {other} and {binding.action}")
        for (scope, key), action in seen.items():
            for place, where in ((TEXT, "the text"), (ADJUDICATE, "the conflict list")):
                if scope == WINDOW and (place, key) in seen:
                    problems.append(
                        f"{key}: the menu shortcut {action} would take it from "
                        f"{seen[(place, key)]} in {where}"
                    )
            if key.lower() in menu_of:
                problems.append(f"{key} opens the {menu_of[key.lower()]} menu, not {action}")
        for key, name in _schema_keys(schema).items():
            if (TEXT, key) in seen:
                problems.append(f"{key} is {name}'s key and bound to {seen[(TEXT, key)]}")
        # An attribute's key is a window shortcut: it may mean nothing else, in any scope.
        for attribute in schema.attributes if schema is not None else ():
            for scope in (TEXT, WINDOW):
                if attribute.key and (scope, attribute.key) in seen:
                    problems.append(
                        f"{attribute.key} is attribute {attribute.name}'s key and bound to "
                        f"{seen[(scope, attribute.key)]}"
                    )
            if attribute.key and attribute.key.lower() in menu_of:
                problems.append(
                    f"{attribute.key} opens the {menu_of[attribute.key.lower()]} menu, not "
                    f"attribute {attribute.name}"
                )
        return problems

    def help_rows(self, schema: Schema | None = None) -> list[HelpRow]:
        """What F1 shows, group by group: every binding, and the schema's keys."""
        rows = [HelpRow(b.group, b.keys, b.help, b.action, b.in_menu) for b in self.bindings]
        if schema is not None:
            rows += [
                HelpRow("Label", (label.key,), f"Label the selection {label.name} (or relabel)")
                for label in schema.entities
                if label.key
            ]
            rows += [
                HelpRow("Events", (t.key,), f"Add a {t.name} event on the selected trigger")
                for t in schema.events
                if t.key
            ]
            rows += [
                HelpRow(
                    "Attributes",
                    (a.key,),
                    f"{a.name} of the selected event or span: "
                    + ("on / off" if a.is_flag else " → ".join(a.values)),
                    attribute_action(a.name),
                    in_menu=True,
                )
                for a in schema.attributes
                if a.key
            ]
            most = max((len(t.roles) for t in schema.events), default=0)
            if most:
                rows.append(
                    HelpRow(
                        "Events",
                        tuple(str(n) for n in range(1, min(most, 9) + 1)),
                        "With an event selected: its role of that number waits for a filler "
                        "(then Tab to a span and Enter, click one, or select text and press "
                        "a label key)",
                    )
                )
        order = {group: n for n, group in enumerate(GROUPS)}
        return sorted(rows, key=lambda r: order.get(r.group, len(GROUPS)))


def attribute_action(name: str) -> str:
    """The action name of an attribute's key (its menu entry's, F1's)."""
    return f"attribute.{name}"


def _schema_keys(schema: Schema | None) -> dict[str, str]:
    """The keys the schema gives out, as the view names them."""
    if schema is None:
        return {}
    keys = {label.key.lower(): label.name for label in schema.entities if label.key}
    keys.update({t.key: t.name for t in schema.events if t.key})
    if schema.events:
        keys.update({str(n): "a role digit" for n in range(1, 10)})
    return keys


DEFAULT = KeyMap()
