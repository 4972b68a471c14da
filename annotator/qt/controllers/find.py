"""Finding text: the find bar over the article (Ctrl+F), and the article list's search, whose
words are marked in the article it opens (Enter in the search box opens the first found).

The find bar's current hit is the core's selection, so a label key labels it at once (after
Esc, which gives the article the keyboard back). Hits are looked up in the core
(core.occurrences) on the article's text as stored; the view paints them (find_hits).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout

from annotator.core.occurrences import find_occurrences, hit_at_or_after, search_hits
from annotator.qt.actions import bind
from annotator.qt.controllers.label_all import LabelAll
from annotator.qt.widgets.find_bar import FindBar


class FindController(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.session = window.session
        self.panel = window.panel
        self.bar = FindBar()
        # What was selected when the bar opened (article id, span id, text selection): a
        # search that finds nothing gives it back, rather than leave the hit of a text typed
        # on the way ("Pent" of "Pentx") selected for the next label key to label.
        self._before: tuple[int, int | None, tuple[int, int] | None] | None = None
        self._put_bar_over_the_article()
        self.label_all = LabelAll(window, self)
        menu = self._article_menu()
        self.open_action = self._add(menu, "&Find in article…", self.open, "find.open")
        self.next_action = self._add(menu, "Find &next", lambda: self.step(+1), "find.next")
        self.previous_action = self._add(
            menu, "Find pre&vious", lambda: self.step(-1), "find.previous"
        )
        self.label_all_action = self._add(
            menu, "&Label all occurrences…", self.label_all.open, "review.label_all"
        )
        self.bar.searchChanged.connect(self._search_changed)
        self.bar.nextRequested.connect(lambda: self.step(+1))
        self.bar.previousRequested.connect(lambda: self.step(-1))
        self.bar.closeRequested.connect(self.close)
        self.bar.labelAllRequested.connect(self.label_all.open)
        window.controller.signals.articleOpened.connect(lambda _: self.refresh())
        self.panel.filterChanged.connect(lambda _: self.refresh())
        # The list's search box: Enter opens the first article found, Down goes to the list.
        self.panel.search_box.returnPressed.connect(self._open_first_found)
        self.panel.search_box.installEventFilter(self)

    def _put_bar_over_the_article(self) -> None:
        """The bar sits on top of the article view, between the article's heading and its
        text, in the column that holds them (widgets/article_heading.py)."""
        layout = self.view.parentWidget().layout()
        assert isinstance(layout, QVBoxLayout), "the article view sits in a column"
        layout.insertWidget(layout.indexOf(self.view), self.bar)

    def _article_menu(self) -> QMenu:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == "Article":
                menu = action.menu()
                menu.addSeparator()
                return menu
        return self.window.menuBar().addMenu("&Article")

    def _add(self, menu: QMenu, text: str, slot, key_action: str) -> QAction:
        action = QAction(text, self.window)
        bind(action, self.window.keymap, key_action)
        action.setStatusTip(self.window.keymap.binding(key_action).help)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- the find bar ---------------------------------------------------------------------------

    def open(self) -> None:
        """Ctrl+F: the bar, its text selected to type over; the selection's text when it is
        one line and short (a word double-clicked, then Ctrl+F)."""
        selected = self._selected_text()
        if not self.bar.isVisible():
            self._remember_selection()
        if selected:
            self.bar.box.setText(selected)
        self.bar.show()
        self.bar.box.setFocus()
        self.bar.box.selectAll()
        self.refresh()

    def _selected_text(self) -> str:
        article = self.session.article
        selection = self.view.selection()
        if article is None or selection is None:
            return ""
        text = article.text[selection[0] : selection[1]]
        return text if 0 < len(text) <= 100 and "\n" not in text else ""

    def close(self) -> None:
        """Esc in the bar: hidden, the article has the keyboard, the current hit stays
        selected (a label key labels it); the list search's words are marked again."""
        self.bar.hide()
        self.view.setFocus()
        self.refresh()

    def _search_changed(self) -> None:
        """Typing: the first hit from where the reader is becomes current and selected."""
        hits = self._bar_hits()
        if not hits:
            self._show(hits, None)
            self._restore_selection()
            return
        selection = self.view.selection()
        start = selection[0] if selection else self.view.first_visible_offset()
        self._choose(hits, hit_at_or_after(hits, start))

    def step(self, direction: int) -> None:
        """The next or previous hit (Enter / Shift+Enter, F3 / Shift+F3), round the end. F3
        with the bar closed shows it again without taking the keyboard from the article."""
        if not self.bar.isVisible():
            if not self.bar.text:
                self.open()
                return
            self._remember_selection()
            self.bar.show()
        hits = self._bar_hits()
        if not hits:
            self._show(hits, None)
            self._restore_selection()
            self.window.status.showMessage(f"“{self.bar.text}” is not in this article", 4000)
            return
        current = self.view.current_hit if self.view.hits == hits else None
        if current is None:
            # From where the person is: the selected span (a hit just labelled), the
            # selected text, else the top of the view.
            span, selection = self.view.selected_span(), self.view.selection()
            place = (span.start, span.end) if span is not None else selection
            at = place[0] if place else self.view.first_visible_offset()
            index = hit_at_or_after(hits, at + (1 if place and direction > 0 else 0))
            if direction < 0:
                index = (index - 1) % len(hits)
        else:
            index = (current + direction) % len(hits)
        self._choose(hits, index)

    def _remember_selection(self) -> None:
        article = self.session.article
        if article is not None:
            self._before = (article.id, self.view.selected_span_id, self.view.selection())

    def _restore_selection(self) -> None:
        """Nothing found: the selection from before the bar opened, if that article is still
        the one shown, else none."""
        article, before = self.session.article, self._before
        if article is None or before is None or before[0] != article.id:
            self.view.clear_selection()
        elif before[1] is not None:
            self.view.select_span(before[1])
        elif before[2] is not None:
            self.view.set_text_selection(*before[2])
        else:
            self.view.clear_selection()

    def _bar_hits(self) -> list[tuple[int, int]]:
        article = self.session.article
        if article is None or not self.bar.text:
            return []
        return find_occurrences(article.text, self.bar.text, self.bar.options)

    def _choose(self, hits: list[tuple[int, int]], index: int) -> None:
        self._show(hits, index)
        self.view.set_text_selection(*hits[index])  # the core's selection: a label key labels it

    def _show(self, hits: list[tuple[int, int]], current: int | None) -> None:
        self.view.set_hits(hits, current)
        self.bar.show_count(current, len(hits))

    def refresh(self) -> None:
        """The hits of the article shown: the bar's while it is open, else the list search's
        words; nothing is chosen or selected by this."""
        article = self.session.article
        if article is None:
            self._show([], None)
        elif self.bar.isVisible():
            self._show(self._bar_hits(), None)
        else:
            self.view.set_hits(search_hits(article.text, self.panel.current_filter().query))

    # -- the article list's search box -----------------------------------------------------

    def _open_first_found(self) -> None:
        """Enter in the search box: the first article found opens, its words marked, and the
        article has the keyboard."""
        model = self.panel.model
        if model.rowCount() == 0:
            self.window.status.showMessage("No article has these words", 4000)
            return
        article_id = model.index(0, 0).data(Qt.ItemDataRole.UserRole)
        if self.session.article is None or self.session.article.id != article_id:
            self.session.open_article(article_id)
        self.panel.show_article(article_id)
        hits = self.view.hits
        if hits and not self.bar.isVisible():
            self.view.ensure_visible(hits[0][0])
        self.view.setFocus()

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.panel.search_box
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.panel.model.rowCount() > 0
        ):
            table = self.panel.table
            table.setFocus()
            if not table.currentIndex().isValid():
                table.setCurrentIndex(self.panel.model.index(0, 0))
            return True
        return super().eventFilter(watched, event)
