"""Review › Adjudicate (Ctrl+Alt+J): the article's layers side by side in the text (each tag
with its annotator's initials, gold's with ★), what they agree on put into gold on opening
the article, and the conflict list (widgets/conflict_panel.py) resolved by key. Each decision
is an edit on the window's undo stack (core/adjudication/edit.py): Ctrl+Z undoes it.

While the mode is on, the window writes as GOLD: a span labelled by hand goes into the gold
layer (the "edit" resolution is exactly that), and the status bar says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTabWidget

from annotator.core.adjudication.classify import (
    BOTH,
    EDIT,
    MAJORITY,
    NEITHER,
    TAKE,
    UNANIMOUS,
    Adjudication,
)
from annotator.core.adjudication.edit import plan_resolution
from annotator.core.adjudication.words import decision
from annotator.core.errors import AnnotatorError
from annotator.core.layers import GOLD
from annotator.qt.actions import bind
from annotator.qt.widgets.conflict_panel import ConflictPanel

if TYPE_CHECKING:
    from annotator.qt.controllers.annotators import AnnotatorActions
    from annotator.qt.main_window import MainWindow

_CHOICES = {"adjudicate.both": BOTH, "adjudicate.neither": NEITHER, "adjudicate.edit": EDIT}


class AdjudicationController(QObject):
    def __init__(self, window: MainWindow, tabs: QTabWidget, annotators: AnnotatorActions):
        super().__init__(window)
        self.window, self.tabs, self.annotators = window, tabs, annotators
        self.store, self.session = window.store, window.session
        self.panel = ConflictPanel(window.keymap)
        self.found: Adjudication | None = None
        self.decided: dict[str, str] = {}
        self._then: str | None = None  # the conflict to show after the next refresh
        self.action = QAction("A&djudicate", window)
        self.action.setCheckable(True)
        bind(self.action, window.keymap, "review.adjudicate")
        self.action.setStatusTip(window.keymap.binding("review.adjudicate").help)
        self.action.toggled.connect(self.set_active)
        review = next(
            a.menu() for a in window.menuBar().actions() if a.text() == "&Review" and a.menu()
        )
        review.insertAction(window.suggestions.train, self.action)
        # The project's setting (kept in the file, as `annotator adjudicate --majority` does).
        self.majority = QAction("Agreed by &majority (else every annotator)", window)
        self.majority.setCheckable(True)
        self.majority.setChecked(self.store.adjudication_policy() == MAJORITY)
        self.majority.setStatusTip(
            "Agreed units go to gold when more than half the article's annotators have them, "
            "instead of all of them"
        )
        self.majority.toggled.connect(self.set_majority)
        review.insertAction(window.suggestions.train, self.majority)
        signals = window.controller.signals
        signals.articleOpened.connect(self._article_opened)
        signals.spansChanged.connect(self._changed)
        self.panel.list.keyAction.connect(self.on_key)
        self.panel.list.currentItemChanged.connect(lambda *_: self._show_current())

    @property
    def active(self) -> bool:
        return self.action.isChecked()

    def set_active(self, on: bool) -> None:
        if on:
            self.annotators.hold(GOLD)
            self.annotators.name_label.setText("Adjudicating → gold")
            self.annotators.name_label.setToolTip(
                "Your edits go to the gold layer until you leave Review › Adjudicate"
            )
            self.tabs.addTab(self.panel, "Adjudication")
            self.tabs.setCurrentWidget(self.panel)
            self._fill()
            self.panel.list.setFocus()
        else:
            self.tabs.removeTab(self.tabs.indexOf(self.panel))
            self.annotators.release()
            self.window.view.set_highlighted(set())
        if self.action.isChecked() != on:
            self.action.setChecked(on)

    def set_majority(self, on: bool) -> None:
        try:
            self.store.set_adjudication_policy(MAJORITY if on else UNANIMOUS)
        except AnnotatorError as error:
            self._say(f"Not changed: {error}")
            return
        if self.active:
            self._fill()

    # -- following the article -------------------------------------------------------------

    def _article_opened(self, article_id: int) -> None:
        if self.active:
            self._fill()

    def _changed(self, article_id: int) -> None:
        if self.active:
            self._refresh()

    def _fill(self) -> None:
        """The open article's agreed units into gold (nothing when they are there already),
        then the list."""
        article = self.session.article
        if article is None:
            self._refresh()
            return
        if self.store.read_only is None:
            try:
                before = self.store.gold_rows_on(article.id)
                self.store.fill_article_gold(article.id)
                if self.store.gold_rows_on(article.id) != before:
                    self.session.reload()  # shows the gold rows (and refreshes the list)
                    return
            except AnnotatorError as error:
                self.window.status.showMessage(f"Gold not filled: {error}", 8000)
        self._refresh()

    def _refresh(self) -> None:
        article = self.session.article
        keep = self._then or self.panel.current_key()
        self._then = None
        if article is None:
            self.found, self.decided = None, {}
            self.panel.show_conflicts("", None, {}, None)
            return
        self.found, self.decided = self.store.article_adjudication(article.id)
        self.panel.show_conflicts(article.text, self.found, self.decided, keep)
        self.window.panel.model.refresh_article(article.id)
        self._show_current()

    def _show_current(self) -> None:
        """Light up every layer's spans of the current conflict and scroll to it."""
        conflict = self._current()
        view = self.window.view
        if conflict is None:
            view.set_highlighted(set())
            return
        view.set_highlighted(
            {
                span.id
                for span in self.session.spans
                if span.id is not None and span.overlaps(conflict.start, conflict.end)
            }
        )
        view.ensure_visible(conflict.start)

    def _current(self):
        key = self.panel.current_key()
        if self.found is None or key is None:
            return None
        return next((c for c in self.found.conflicts if c.key == key), None)

    # -- keys ----------------------------------------------------------------------------------

    def on_key(self, action: str, key: str) -> None:
        if action == "adjudicate.next":
            self.panel.step(+1)
        elif action == "adjudicate.previous":
            self.panel.step(-1)
        elif action == "adjudicate.take":
            self.resolve_number(int(key))
        elif action in _CHOICES:
            self.resolve(_CHOICES[action])

    def resolve_number(self, number: int) -> None:
        conflict = self._current()
        if conflict is None:
            return
        if not 1 <= number <= len(conflict.names):
            self._say(f"There is no annotator {number} in this conflict")
            return
        self.resolve(f"{TAKE}:{conflict.names[number - 1]}")

    def resolve(self, choice: str) -> bool:
        """Decide the current conflict (an edit on the undo stack); on to the next open one."""
        conflict = self._current()
        article = self.session.article
        if conflict is None or article is None or self.found is None:
            self._say("No conflict selected")
            return False
        if conflict.key in self.decided:
            self._say(f"Already decided ({decision(self.decided[conflict.key])}); Ctrl+Z undoes it")
            return False
        still = self.found.open(self.decided)
        after = [c for c in still if c.key != conflict.key]
        later = [c for c in after if (c.start, c.key) > (conflict.start, conflict.key)]
        self._then = (later or after or [conflict])[0].key
        edit = plan_resolution(article.id, conflict, choice, len(still))
        if not self.window.controller.push(edit):
            self._then = None
            return False
        if choice == EDIT:
            self._say("Edit gold in the text: your labels go to the gold layer")
            self.window.view.setFocus()
        else:
            self.panel.list.setFocus()
        return True

    def _say(self, text: str) -> None:
        self.window.status.showMessage(text, 6000)
