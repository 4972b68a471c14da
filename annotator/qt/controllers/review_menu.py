"""The Review menu: suggest, walk and decide on suggestions, statistics, training."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from shiboken6 import isValid

from annotator.core.bulk_decisions import BulkScope, decide_bulk
from annotator.core.edits import Batch
from annotator.qt.actions import bind
from annotator.qt.controllers.agreement import open_agreement
from annotator.qt.controllers.process_job import ProcessJob
from annotator.qt.controllers.read_only import refused
from annotator.qt.controllers.undo import EditCommand
from annotator.qt.dialogs.bulk_decide import BulkDecideDialog
from annotator.qt.dialogs.suggest import SuggestDialog
from annotator.qt.dialogs.train_check import TrainCheckDialog
from annotator.qt.workbench import Workbench
from annotator.suggest.train_check import training_counts


class SuggestionActions:
    def __init__(self, window: Workbench):
        self.window = window
        self.job: ProcessJob | None = None
        act, review = window.controller.act, window.controller.interaction
        bar = window.menuBar()
        menu = bar.addMenu("&Review")
        bar.insertMenu(bar.actions()[-2], menu)  # before Help
        self.suggest = self._add(menu, "&Suggest labels…", self.open_suggest, "review.suggest")
        menu.addSeparator()
        # Keys of the text (Space, a, x): the menu names them, the article view takes them.
        self._add(menu, "&Next suggestion", lambda: act(review.press, "Space"), "review.next")
        self._add(
            menu,
            "&Previous suggestion",
            lambda: act(review.press, "Shift+Space"),
            "review.previous",
        )
        self._add(menu, "&Accept suggestion", lambda: act(review.accept), "review.accept")
        self._add(menu, "&Reject suggestion", lambda: act(review.reject), "review.reject")
        menu.addSeparator()
        # Many decisions at once are asked first, with their scope and count (the same
        # dialog as for one label, "all labels" chosen): nothing is decided blindly.
        self._add(
            menu,
            "Accept all in this article",
            lambda: self._decide_label(True, every_label=True),
            "review.accept_all",
        )
        self._add(
            menu,
            "Reject all in this article",
            lambda: self._decide_label(False, every_label=True),
            "review.reject_all",
        )
        self.accept_label = self._add(
            menu, "Accept all of one label…", lambda: self._decide_label(True)
        )
        self.reject_label = self._add(
            menu, "Reject all of one label…", lambda: self._decide_label(False)
        )
        menu.addSeparator()
        self._add(menu, "Suggestion s&tatistics", self.show_stats)
        self.agreement = self._add(
            menu, "A&greement between annotators…", lambda: open_agreement(self.window)
        )
        self.train = self._add(menu, "&Train a model…", self.open_train)
        window.controller.undo_stack.indexChanged.connect(self._step_taken)
        window.review_queue.show_keys(window.keymap)  # the window's keys, as its menus show

    def _add(self, menu, text, slot, key_action: str = "") -> QAction:
        action = QAction(text, self.window)
        if key_action:
            bind(action, self.window.keymap, key_action)
            action.setStatusTip(self.window.keymap.binding(key_action).help)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _decide_label(self, accept: bool, every_label: bool = False) -> BulkDecideDialog | None:
        """Which label (or all), this article or the whole corpus, and how many: asked first."""
        session = self.window.session
        here = [s.label for s in session.suggestions]
        labels = sorted({*here, *self.window.store.open_suggestion_labels()})
        if not labels:
            self.window.status.showMessage("No open suggestions in the corpus", 6000)
            return None
        dialog = BulkDecideDialog(session, accept, labels, self.window)
        if every_label:
            dialog.label_box.setCurrentIndex(dialog.label_box.count() - 1)  # "All labels"
        elif here:  # the label most suggested here first: what one is usually looking at
            dialog.label_box.setCurrentText(max(set(here), key=here.count))
        dialog.accepted.connect(lambda: self._decide_chosen(dialog.chosen()))
        dialog.open()
        return dialog

    def _decide_chosen(self, chosen: BulkScope) -> None:
        controller = self.window.controller
        # Across the corpus the queue and the list follow from the undo stack (_step_taken).
        controller.act(decide_bulk, self.window.session, chosen.accept, chosen.label, chosen.scope)

    def _other_articles_changed(self) -> None:
        """A decision (or its undo) reached articles other than the open one: the queue and
        the list (their statuses) are read again."""
        self.window.review_queue.refresh_choices()
        self.window.panel.model.set_filter(self.window.panel.model.filter)
        self.window.status.refresh_counts()

    def _step_taken(self, _index: int) -> None:
        """After an edit, an undo or a redo: one that reached other articles refreshes what
        shows them."""
        stack = self.window.controller.undo_stack
        if not isValid(stack):  # the window is going: its stack clears itself as it goes
            return
        for at in (stack.index(), stack.index() - 1):
            command = stack.command(at) if 0 <= at < stack.count() else None
            edit = command.known_edit if isinstance(command, EditCommand) else None
            if isinstance(edit, Batch) and len(edit.articles) > 1:
                self._other_articles_changed()
                return

    # -- running -----------------------------------------------------------------------------

    def open_suggest(self) -> None:
        if refused(self.window):
            return
        dialog = SuggestDialog(
            self.window.store, self.window, len(self.window.panel.selected_ids())
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.run(dialog.chosen_source(), dialog.chosen_scope())

    def article_ids(self, scope: str) -> list[int] | None:
        session = self.window.session
        if scope == "article":
            return [session.article.id] if session.article else []
        if scope == "selection":
            return self.window.panel.selected_ids()
        if scope == "list":
            store, flt, ids, after = self.window.store, session.filter, [], 0
            while page := store.article_rows(flt, after_id=after, limit=1000):
                ids += [row.id for row in page]
                after = page[-1].id
            return ids
        return None

    def run(self, source: str, scope: str = "corpus") -> ProcessJob | None:
        window = self.window
        if refused(window):  # the worker process would write; the window may not
            return None
        job = ProcessJob(
            window,
            f"Suggesting with {source}…",
            "suggest",
            str(window.store.path),
            source,
            self.article_ids(scope),
        )
        job.progressed.connect(self._progress)
        job.finished.connect(lambda summary, cancelled: self._finished(summary))
        job.failed.connect(
            lambda message: QMessageBox.warning(window, "Suggestions failed", message)
        )
        self.job = job
        return job

    def _progress(self, message) -> None:
        done, total, ids = message
        self.job.dialog.setMaximum(max(total, 1))
        self.job.dialog.setValue(done)
        session = self.window.session
        if session.article is not None and session.article.id in ids:
            session.reload()  # this article's suggestions just arrived: show them

    def _finished(self, summary: str) -> None:
        self.window.session.reload()
        self.window.review_queue.refresh_choices()
        self.window.panel.model.set_filter(self.window.panel.model.filter)
        self.window.status.showMessage(summary.splitlines()[0], 10000)
        self.window.last_report = summary

    # -- statistics and training -------------------------------------------------------------

    def show_stats(self) -> None:
        rows = self.window.store.suggestion_stats()
        if not rows:
            QMessageBox.information(self.window, "Suggestion statistics", "No suggestions yet.")
            return
        lines = [
            "<table cellspacing=6><tr><th align=left>source</th><th align=left>label</th>"
            "<th>open</th><th>accepted</th><th>relabelled</th><th>resized</th>"
            "<th>rejected</th><th>precision</th></tr>"
        ]
        for r in rows:
            precision = "—" if r["precision"] is None else f"{r['precision'] * 100:.0f}%"
            lines.append(
                f"<tr><td>{_esc(r['source'])}</td><td>{_esc(r['label'])}</td>"
                f"<td align=right>{r['open']}</td><td align=right>{r['accepted']}</td>"
                f"<td align=right>{r['relabelled']}</td><td align=right>{r['resized']}</td>"
                f"<td align=right>{r['rejected']}</td><td align=right>{precision}</td></tr>"
            )
        lines.append("</table><p>Precision: accepted unchanged ÷ all decided.</p>")
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Suggestion statistics",
            "".join(lines),
            parent=self.window,
        )
        box.exec()

    def open_train(self) -> TrainCheckDialog | None:
        """The examples per label first (refused below the minimum, unless trained anyway),
        then the folder, then the run."""
        if refused(self.window):
            return None
        dialog = TrainCheckDialog(training_counts(self.window.store), self.window)
        dialog.accepted.connect(lambda: self._train_chosen(dialog.options()))
        dialog.open()
        return dialog

    def _train_chosen(self, options: dict) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Folder for the trained model", tempfile.gettempdir()
        )
        if folder:
            self.train_into(folder, **options)

    def train_into(self, folder: str, **options) -> ProcessJob | None:
        window = self.window
        if refused(window):
            return None
        job = ProcessJob(
            window, "Training a model…", "train", str(window.store.path), str(Path(folder)), options
        )
        job.progressed.connect(
            lambda message: job.dialog.setLabelText(
                "Training: epoch {epoch}, step {step}, loss {loss:.1f}, dev F {f:.1f}".format(
                    **message[0]
                )
            )
        )
        job.finished.connect(lambda summary, cancelled: self._trained(summary))
        job.failed.connect(lambda message: QMessageBox.warning(window, "Training failed", message))
        self.job = job
        return job

    def _trained(self, summary: str) -> None:
        self.window.last_report = summary
        self.window.status.showMessage(summary.splitlines()[0], 10000)
        box = QMessageBox(
            QMessageBox.Icon.Information, "Training finished", summary, parent=self.window
        )
        box.setModal(False)
        box.show()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
