"""The fields of one annotation's meta in the side panel: a combo (or a check box, for a flag)
per attribute the schema gives its label or type, a knowledge-base id with its link, and a
note. It only shows and reports: a field a person changes emits `changed(kind, name, value)`
and the side panel turns that into an edit on the undo stack.

Values an import brought that the schema does not declare are shown, read-only, so nothing an
annotation carries is hidden from the person who edits it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from annotator.core.attributes import AttributeType
from annotator.core.meta_edits import kb_id, kb_url, notes_text

UNSET = ""  # the combo's data for "no value" (the default applies)
ATTRIBUTE, NOTE, KB = "attribute", "note", "kb"


class NoteEdit(QPlainTextEdit):
    """A few lines of note, saved when focus leaves it (Tab leaves it: a note is one line a
    thought, and Ctrl+Enter belongs to Mark done)."""

    committed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setPlaceholderText("A note for whoever reads this next")
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self._shown = ""

    def show_text(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)
        self._shown = text

    def focusOutEvent(self, event) -> None:
        self.commit()
        super().focusOutEvent(event)

    def commit(self) -> None:
        text = self.toPlainText()
        if text != self._shown:
            self._shown = text
            self.committed.emit(text)


class MetaForm(QWidget):
    changed = Signal(str, str, object)  # (ATTRIBUTE, name, value) | (NOTE|KB, "", text)
    linkOpened = Signal(str)

    def __init__(
        self, attributes: list[AttributeType], with_kb: bool, title: str = "", parent=None
    ):
        super().__init__(parent)
        self.attributes = attributes
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 2, 0, 2)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if title:
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: 600;")
            self.form.addRow(heading)
        self.fields: dict[str, QComboBox | QCheckBox] = {}
        self._declared: dict[str, int] = {}  # each list's items: "unset" and the schema's values
        for attribute in attributes:
            self.fields[attribute.name] = self._field(attribute)
            self._declared[attribute.name] = 1 + len(attribute.values)
            label = QLabel(attribute.name + (f" ({attribute.key})" if attribute.key else ""))
            label.setToolTip(attribute.description)
            self.form.addRow(label, self.fields[attribute.name])
        self.others = QLabel()  # attributes the schema doesn't declare, read-only
        self.others.setWordWrap(True)
        self.others.setTextFormat(Qt.TextFormat.RichText)
        self.form.addRow(self.others)
        self.kb: QLineEdit | None = None
        self._kb_shown = ""
        self.link = QLabel()
        if with_kb:
            self.kb = QLineEdit()
            self.kb.setPlaceholderText("Knowledge-base id, e.g. Q1530")
            self.kb.setClearButtonEnabled(True)
            self.kb.editingFinished.connect(self._kb_finished)
            self.form.addRow("KB id", self.kb)
            # Opened only when the person clicks it (linkActivated): the app loads nothing.
            self.link.setTextFormat(Qt.TextFormat.RichText)
            self.link.linkActivated.connect(self.linkOpened.emit)
            self.form.addRow("", self.link)
        self.note = NoteEdit()
        self.note.committed.connect(lambda text: self.changed.emit(NOTE, "", text))
        self.form.addRow("Note", self.note)

    def _field(self, attribute: AttributeType) -> QComboBox | QCheckBox:
        if attribute.is_flag:
            box = QCheckBox()
            box.setToolTip(attribute.description)
            box.toggled.connect(
                lambda on, name=attribute.name: self.changed.emit(ATTRIBUTE, name, on or None)
            )
            return box
        combo = QComboBox()
        combo.setToolTip(attribute.description)
        unset = f"({attribute.default})" if attribute.default else "—"
        combo.addItem(unset, UNSET)
        for value in attribute.values:
            combo.addItem(value, value)
        combo.activated.connect(
            lambda index, name=attribute.name, combo=combo: self.changed.emit(
                ATTRIBUTE, name, combo.itemData(index) or None
            )
        )
        return combo

    def show_meta(self, meta: dict) -> None:
        """The stored values in the fields (signals quiet: showing is no edit)."""
        values = meta.get("attributes") or {}
        for name, field in self.fields.items():
            field.blockSignals(True)
            if isinstance(field, QCheckBox):
                field.setChecked(values.get(name) is True)
            else:
                # A value not in the schema shown for the last annotation goes (the form is
                # reused for the next one of the same kind).
                while field.count() > self._declared[name]:
                    field.removeItem(field.count() - 1)
                value = values.get(name)
                at = field.findData(value) if value is not None else 0
                if at < 0:  # a value the schema doesn't list (an import's): shown as it is
                    field.addItem(f"{value} (not in the schema)", value)
                    at = field.count() - 1
                field.setCurrentIndex(at)
            field.blockSignals(False)
        others = [
            f"{escape(str(n))}" + ("" if v is True else f" = {escape(str(v))}")
            for n, v in values.items()
            if n not in self.fields
        ]
        self.others.setText("Also: " + "; ".join(others) if others else "")
        self.others.setVisible(bool(others))
        if self.kb is not None:
            ref = kb_id(meta)
            if not self.kb.hasFocus():
                self.kb.setText(ref)
                self._kb_shown = ref
            self._show_link(ref, meta)
        if not self.note.hasFocus():
            self.note.show_text(notes_text(meta))

    def _show_link(self, ref: str, meta: dict) -> None:
        url = kb_url(ref)
        more = [
            escape(f"{n.get('type', '')} {n.get('ref', '')}")
            for n in (meta.get("normalizations") or [])[1:]
            if isinstance(n, dict)
        ]
        parts = [f"<a href='{escape(url, quote=True)}'>{escape(url)}</a>"] if url else []
        if more:
            parts.append("Also: " + "; ".join(more))
        self.link.setText("<br>".join(parts))
        self.link.setVisible(bool(parts))

    def _kb_finished(self) -> None:
        # Emitted on Enter and on every focus change: only a changed id is an edit.
        assert self.kb is not None
        text = self.kb.text()
        if text.strip() != self._kb_shown.strip():
            self._kb_shown = text
            self.changed.emit(KB, "", text)

    def commit(self) -> None:
        """Save a note still being typed (the selection is about to move on)."""
        self.note.commit()
