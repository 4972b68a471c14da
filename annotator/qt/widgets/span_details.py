"""The selected annotation's attributes, knowledge-base id and note, edited beside the text.

For an entity span: the attributes the schema gives its label, its knowledge-base id (a
Wikidata Q-id shown as a link the person may open) and its note. For an event trigger: the
current event's attributes and note (the chosen one of several on the trigger). Every change
is a SetMeta edit pushed on the window's undo stack, so it is saved in one transaction,
logged, and undone by Ctrl+Z like a new span.

The panel listens to the selection and to the session's changes itself (an undo updates the
fields); it reads only the selected rows' meta (an indexed lookup each).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QSizePolicy, QVBoxLayout

from annotator.core.errors import AnnotatorError
from annotator.core.meta_edits import EVENTS, summary
from annotator.core.meta_intents import (
    Target,
    event_target,
    plan_attribute,
    plan_kb_id,
    plan_notes,
    span_target,
)
from annotator.core.model import SUGGESTED, TRIGGER, Span
from annotator.core.outcome import Outcome
from annotator.qt.widgets.meta_form import ATTRIBUTE, KB, MetaForm


class SpanDetails(QFrame):
    """Hidden while nothing is selected; else the annotation, then its fields."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.session = controller.session
        self.store, self.view = self.session.store, controller.view
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.head = QLabel()
        self.head.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(8, 6, 8, 6)
        self.column.addWidget(self.head)
        self.form: MetaForm | None = None
        self.target: Target | None = None
        self._shape: tuple | None = None  # what the form was built for, under which schema
        self._schema = None
        self._refreshing = False
        self.setVisible(False)
        self.view.selectionChanged.connect(self.refresh)
        controller.signals.spansChanged.connect(lambda _article: self.refresh())
        controller.signals.articleOpened.connect(lambda _article: self.refresh())
        # The tags' tooltips say what each annotation carries (read at hover, one row).
        self.view.tip_extra = self.tip_for

    # -- showing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        # Saving a note being typed (dropping the form) is an edit, whose notice would call
        # refresh again half-way through this one: the outer call shows the end state.
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self._refresh()
        finally:
            self._refreshing = False

    def _refresh(self) -> None:
        interaction = self.controller.interaction
        span = interaction.selected_span()
        if span is None or span.id is None or span.state == SUGGESTED:
            self._drop_form()
            self.target = None
            self.setVisible(False)
            return
        event = interaction.current_event() if span.kind == TRIGGER else None
        target = event_target(self.session, event) if event else span_target(self.session, span)
        schema = self.store.schema
        # The form's fields depend on the kind of annotation, not on which one: selecting
        # the next PERSON keeps the form and shows that span's values (building it costs a
        # few milliseconds, on every selection that walks a long article). A field being
        # typed in keeps its words, though: then the next annotation gets a form anew.
        shape = (target.table, target.name, target.kind)
        same_kind = self.form is not None and shape == self._shape and schema is self._schema
        previous = self.target
        same = previous is not None and (previous.table, previous.row_id) == (
            target.table,
            target.row_id,
        )
        typing = self.form is not None and self.form.isAncestorOf(QApplication.focusWidget())
        if same_kind and not same and not typing:
            assert self.form is not None
            self.form.commit()  # a note being typed goes to the annotation it was for
        elif not (same_kind and same):
            self._drop_form()
            attributes = schema.attributes_for(target.name, target.kind)
            title = f"Event {target.name}" if target.table == EVENTS else ""
            self.form = MetaForm(attributes, with_kb=target.table != EVENTS, title=title)
            self.form.changed.connect(self._changed)
            self.form.linkOpened.connect(self.open_link)
            self.column.addWidget(self.form)
            self._shape, self._schema = shape, schema
        self.target = target
        self.head.setText(self._head(span))
        assert self.form is not None
        self.form.show_meta(self.store.annotation_meta_of(target.table, target.row_id))
        self.setVisible(True)

    def _head(self, span: Span) -> str:
        text = self.session.article.text[span.start : span.end] if self.session.article else ""
        shown = text if len(text) <= 40 else text[:39] + "…"
        return f"<b>{escape(span.label)}</b> “{escape(shown)}” · {escape(span.origin)}"

    def _drop_form(self) -> None:
        if self.form is not None:
            self.form.commit()  # a note being typed is saved before the form goes
            self.form.deleteLater()
            self.form.setParent(None)
            self.form = None
        self._shape = None

    # -- editing -------------------------------------------------------------------------------

    def _changed(self, what: str, name: str, value: object) -> None:
        target = self.target
        # A field left as the window closes is saved, unless the project is closed already
        # (a script or a test that closed its store first).
        if target is None or self.store.is_closed:
            return
        try:
            if what == ATTRIBUTE:
                edit = plan_attribute(self.session, target, name, value)
            elif what == KB:
                edit = plan_kb_id(self.session, target, str(value))
            else:
                edit = plan_notes(self.session, target, str(value))
        except AnnotatorError as refusal:  # an id with a space: the reason, in the status bar
            self.controller.message.emit(str(refusal))
            return
        if edit is not None:
            description = edit.description
            self.controller.act(lambda: Outcome(edit, message=f"{description} (Ctrl+Z undoes)"))
            self.refresh()

    def focus_note(self) -> bool:
        """Ctrl+Alt+N: the note field of the selected annotation; False if none is."""
        self.refresh()
        if self.form is None:
            return False
        self.form.note.setFocus()
        return True

    @staticmethod
    def open_link(url: str) -> None:
        """A person clicked the knowledge-base link: their browser opens it."""
        QDesktopServices.openUrl(QUrl(url))

    # -- tooltips ------------------------------------------------------------------------------

    def tip_for(self, span: Span) -> str:
        """Lines for a tag's tooltip: the span's attributes, kb id and note, and its events'."""
        if span.id is None or span.state == SUGGESTED:
            return ""
        try:
            own, events = self.store.span_annotation_meta(span.id)
        except AnnotatorError:
            return ""
        lines = [f"{what}: {value}" for what, value in summary(own)]
        for kind, meta in events:
            lines += [f"{kind} {what}: {value}" for what, value in summary(meta)]
        return "".join(f"\n{line}" for line in lines)
