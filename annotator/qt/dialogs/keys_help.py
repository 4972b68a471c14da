"""F1: every key, group by group, made from the key map (annotator.core.keymap) and the
project's schema, so it lists exactly the keys that work, written as the menus write them."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from annotator.core.keymap import HelpRow, KeyMap
from annotator.core.schema import Schema
from annotator.qt.actions import key_text

INTRO = (
    "Keys of the text work when the article has the keyboard (click it); the others anywhere "
    "in the window. Every edit is saved to the project file the moment you make it; undo "
    "works across articles and restarts (the last 1,000 edits)."
)


def row_keys(row: HelpRow) -> str:
    """The keys of one row as shown: "Alt+↓ / Ctrl+PgDown", digits as a range ("1–6")."""
    if len(row.keys) > 2 and all(key.isdigit() for key in row.keys):
        return f"{row.keys[0]}–{row.keys[-1]}"
    return " / ".join(key_text(key) for key in row.keys)


def keys_html(keymap: KeyMap, schema: Schema | None) -> str:
    parts = [f"<p>{escape(INTRO)}</p>"]
    group = None
    for row in keymap.help_rows(schema):
        if row.group != group:
            if group is not None:
                parts.append("</table>")
            group = row.group
            parts.append(f"<h3>{escape(group)}</h3><table cellspacing=0 cellpadding=3>")
        parts.append(
            f"<tr><td width=170><b>{escape(row_keys(row))}</b></td><td>{escape(row.help)}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)


class KeysHelp(QDialog):
    def __init__(self, keymap: KeyMap, schema: Schema | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = keymap.help_rows(schema)
        self.browser = QTextBrowser()
        self.browser.setHtml(keys_html(keymap, schema))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 720)
