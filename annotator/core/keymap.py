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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.schema import Schema

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


def _b(action, keys, help, group, scope=TEXT, menu=False) -> Binding:
    keys = (keys,) if isinstance(keys, str) else tuple(keys)
    return Binding(action, tuple(normal(k) for k in keys), help, group, scope, menu)


DEFAULT_BINDINGS: tuple[Binding, ...] = (
    # -- the token cursor (the article view) ----------------------------------------------
    _b("cursor.left", "Left", "Previous token (from a span: the token before it)", "Move"),
    _b("cursor.right", "Right", "Next token (from a span: the token after it)", "Move"),
    _b("cursor.up", "Up", "The token on the line above", "Move"),
    _b("cursor.down", "Down", "The token on the line below", "Move"),
    _b("cursor.line_start", "Home", "First token of the line", "Move"),
    _b("cursor.line_end", "End", "Last token of the line", "Move"),
    _b(
        "cursor.next_candidate",
        "Ctrl+Right",
        "Next unlabelled name or figure (capitalised words in a row, a number): selected",
        "Move",
    ),
    _b("cursor.previous_candidate", "Ctrl+Left", "Previous unlabelled name or figure", "Move"),
    _b("extend.left", "Shift+Left", "Extend the selection a token left", "Select"),
    _b("extend.right", "Shift+Right", "Extend the selection a token right", "Select"),
    _b("extend.up", "Shift+Up", "Extend the selection a line up", "Select"),
    _b("extend.down", "Shift+Down", "Extend the selection a line down", "Select"),
    _b("extend.line_start", "Shift+Home", "Extend the selection to the line's start", "Select"),
    _b("extend.line_end", "Shift+End", "Extend the selection to the line's end", "Select"),
    _b(
        "extend.next_candidate",
        "Ctrl+Shift+Right",
        "Extend the selection over the next name or figure",
        "Select",
    ),
    _b(
        "extend.previous_candidate",
        "Ctrl+Shift+Left",
        "Extend the selection back to the previous name or figure",
        "Select",
    ),
    _b("selection.clear", "Escape", "Clear the selection; cancel a waiting role", "Select"),
    # -- spans --------------------------------------------------------------------------------
    _b(
        "span.next",
        "Tab",
        "Next span (with a role waiting: the next span that may fill it)",
        "Spans",
    ),
    _b("span.previous", "Shift+Tab", "Previous span (or previous filler)", "Spans"),
    _b(
        "span.start_earlier",
        "Alt+Left",
        "The selected span (or selection) starts a token earlier",
        "Spans",
    ),
    _b("span.start_later", "Alt+Right", "… starts a token later", "Spans"),
    _b("span.end_earlier", "Alt+Shift+Left", "… ends a token earlier", "Spans"),
    _b("span.end_later", "Alt+Shift+Right", "… ends a token later", "Spans"),
    _b(
        "span.delete",
        ("Delete", "Backspace"),
        "Delete the selected span (with the arguments it fills); reject a suggestion",
        "Spans",
        menu=True,
    ),
    # -- events -------------------------------------------------------------------------------
    _b(
        "span.confirm",
        "Enter",
        "Fill the waiting role with the selected span (after Tab to it)",
        "Events",
    ),
    # -- review -------------------------------------------------------------------------------
    _b(
        "review.next",
        "Space",
        "Next suggestion (on to the next article with some)",
        "Review",
        menu=True,
    ),
    _b("review.previous", "Shift+Space", "Previous suggestion", "Review", menu=True),
    _b("review.accept", "a", "Accept the selected suggestion", "Review", menu=True),
    _b("review.reject", "x", "Reject the selected suggestion", "Review", menu=True),
    _b(
        "review.accept_all",
        "Ctrl+Shift+A",
        "Accept all suggestions in this article",
        "Review",
        WINDOW,
    ),
    _b(
        "review.reject_all",
        "Ctrl+Shift+X",
        "Reject all suggestions in this article",
        "Review",
        WINDOW,
    ),
    _b(
        "review.suggest",
        "Ctrl+Shift+G",
        "Suggest labels with a model or patterns",
        "Review",
        WINDOW,
    ),
    # -- adjudication (the conflict list of Review › Adjudicate) ---------------------------
    _b(
        "review.adjudicate",
        "Ctrl+Alt+J",
        "Adjudicate: every annotator's layer and gold on the article, and the conflict list",
        "Adjudicate",
        WINDOW,
    ),
    _b(
        "adjudicate.take",
        tuple("123456789"),
        "Take annotator N's version of the conflict (as numbered in the list) into gold",
        "Adjudicate",
        ADJUDICATE,
    ),
    _b(
        "adjudicate.both", "b", "Take every annotator's version into gold", "Adjudicate", ADJUDICATE
    ),
    _b(
        "adjudicate.neither",
        ("n", "0"),
        "Take none of them: nothing of the conflict goes into gold",
        "Adjudicate",
        ADJUDICATE,
    ),
    _b(
        "adjudicate.edit",
        "e",
        "Resolve by editing gold yourself: the text gets the keyboard, your edits go to gold",
        "Adjudicate",
        ADJUDICATE,
    ),
    _b("adjudicate.next", ("Down", "j"), "Next conflict", "Adjudicate", ADJUDICATE),
    _b("adjudicate.previous", ("Up", "k"), "Previous conflict", "Adjudicate", ADJUDICATE),
    # -- articles and the window ---------------------------------------------------------------
    _b("article.next", ("Alt+Down", "Ctrl+PgDown"), "Next article", "Articles", WINDOW),
    _b("article.previous", ("Alt+Up", "Ctrl+PgUp"), "Previous article", "Articles", WINDOW),
    _b(
        "article.done",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Mark the article done and open the next",
        "Articles",
        WINDOW,
    ),
    _b(
        "article.skip",
        ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
        "Mark the article skipped and open the next",
        "Articles",
        WINDOW,
    ),
    _b(
        "article.search",
        "Ctrl+Shift+F",
        "Search the articles' text (Enter opens the first found, Down goes to the list)",
        "Articles",
        WINDOW,
    ),
    _b(
        "find.open",
        "Ctrl+F",
        "Find in this article: the find bar (Esc closes it, the hit stays selected)",
        "Articles",
        WINDOW,
    ),
    _b("find.next", "F3", "Next hit of the find bar (Enter in the bar too)", "Articles", WINDOW),
    _b(
        "find.previous",
        "Shift+F3",
        "Previous hit of the find bar (Shift+Enter in the bar too)",
        "Articles",
        WINDOW,
    ),
    _b(
        "review.label_all",
        "Ctrl+Shift+L",
        "Label all occurrences of the selection or the search, as suggestions to review",
        "Review",
        WINDOW,
    ),
    _b(
        "edit.undo",
        "Ctrl+Z",
        "Undo, also after moving to another article or reopening the project",
        "Edit",
        WINDOW,
    ),
    _b("edit.redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo", "Edit", WINDOW),
    _b(
        "edit.note",
        "Ctrl+Alt+N",
        "Write a note on the selected span or event (the side panel's note field)",
        "Attributes",
        WINDOW,
    ),
    _b("edit.snap", "Ctrl+T", "Snap selections to whole tokens, on or off", "Edit", WINDOW),
    _b(
        "view.all_arcs",
        "Ctrl+Alt+A",
        "Every event's arcs, or the selected event's only (hover an arc: its role and filler)",
        "Events",
        WINDOW,
    ),
    _b("file.new_project", "Ctrl+N", "Create a new project", "File", WINDOW),
    _b("file.open", "Ctrl+O", "Open a project", "File", WINDOW),
    _b("file.close", "Ctrl+W", "Close the project (the window stays)", "File", WINDOW),
    _b(
        "edit.settings",
        "Ctrl+,",
        "Settings: font, zoom, theme, tags, snapping, keys",
        "Edit",
        WINDOW,
    ),
    _b("view.zoom_in", ("Ctrl+=", "Ctrl++"), "Zoom in: larger text and tags", "Edit", WINDOW),
    _b("view.zoom_out", "Ctrl+-", "Zoom out", "Edit", WINDOW),
    _b("view.zoom_reset", "Ctrl+0", "Zoom back to 100 %", "Edit", WINDOW),
    _b("file.import_files", "Ctrl+I", "Import files", "File", WINDOW),
    _b("file.import_folder", "Ctrl+Shift+I", "Import a folder", "File", WINDOW),
    _b("file.import_options", "Ctrl+Alt+I", "Import with options", "File", WINDOW),
    _b("file.save_copy", "Ctrl+Shift+S", "Save a copy of the project", "File", WINDOW),
    _b("file.quit", "Ctrl+Q", "Quit", "File", WINDOW),
    _b("help.keys", "F1", "This list of keys", "File", WINDOW),
    _b(
        "view.statistics",
        "Ctrl+Alt+S",
        "Statistics: labels, events, progress per day, annotators, suggestions (charts, CSV)",
        "Review",
        WINDOW,
    ),
    _b("help.guidelines", "Shift+F1", "Open the schema's guidelines document", "File", WINDOW),
)


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
