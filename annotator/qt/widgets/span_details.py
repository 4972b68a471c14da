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
        self._shape: tuple | None = None  # what the form shown was built for
        self._forms: dict[tuple, MetaForm] = {}  # each kind's form, under self._schema
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
            # The form is kept, hidden, for the next annotation of its kind: selecting text
            # and labelling it would otherwise build a form on every new span.
            if self.form is not None:
                self.form.commit()  # a note being typed goes to the annotation it was for
            self.target = None
            self.setVisible(False)
            return
        event = interaction.current_event() if span.kind == TRIGGER else None
        target = event_target(self.session, event) if event else span_target(self.session, span)
        schema = self.store.schema
        # The form's fields depend on the kind of annotation, not on which one: selecting
        # the next PERSON keeps the form and shows that span's values, and each kind's form
        # is kept, hidden, for its next annotation (building one costs a few milliseconds,
        # on every selection that walks a long article and every relabel). A field being
        # typed in keeps its words, though: then the next annotation gets a form anew.
        if schema is not self._schema:
            self._drop_forms()
            self._schema = schema
        shape = (target.table, target.name, target.kind)
        previous = self.target
        same = previous is not None and (previous.table, previous.row_id) == (
            target.table,
            target.row_id,
        )
        typing = self.form is not None and self.form.isAncestorOf(QApplication.focusWidget())
        if self.form is not None and not same:
            self.form.commit()  # a note being typed goes to the annotation it was for
            if typing:
                self._drop_form()
        if self.form is not None and self._shape != shape:
            self.form.setVisible(False)
            self.form = None
        if self.form is None:
            kept = self._forms.get(shape)
            self.form = kept if kept is not None else self._new_form(shape, schema)
            self.form.setVisible(True)
            self._shape = shape
        self.target = target
        self.head.setText(self._head(span))
        assert self.form is not None
        self.form.show_meta(self.store.annotation_meta_of(target.table, target.row_id))
        self.setVisible(True)

    def _head(self, span: Span) -> str:
        text = self.session.article.text[span.start : span.end] if self.session.article else ""
        shown = text if len(text) <= 40 else text[:39] + "…"
        return f"<b>{escape(span.label)}</b> “{escape(shown)}” · {escape(span.origin)}"

    def _new_form(self, shape: tuple, schema) -> MetaForm:
        table, name, kind = shape
        attributes = schema.attributes_for(name, kind)
        title = f"Event {name}" if table == EVENTS else ""
        form = MetaForm(attributes, with_kb=table != EVENTS, title=title)
        form.changed.connect(self._changed)
        form.linkOpened.connect(self.open_link)
        self.column.addWidget(form)
        self._forms[shape] = form
        return form

    def _drop_form(self) -> None:
        """The form shown goes (a note being typed in it is saved first)."""
        if self.form is not None:
            self.form.commit()
            self._forms.pop(self._shape, None)
            self.form.deleteLater()
            self.form.setParent(None)
            self.form = None
        self._shape = None

    def _drop_forms(self) -> None:
        """Every kind's form goes: the schema changed, and with it the fields."""
        self._drop_form()
        for form in self._forms.values():
            form.deleteLater()
            form.setParent(None)
        self._forms = {}

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
