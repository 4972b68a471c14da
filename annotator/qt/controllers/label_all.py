"""Label all occurrences… (Article menu, the find bar, Ctrl+Shift+L): asks what and where, then
suggests (suggest.propagate): in this article at once, over the corpus in a worker process
with a progress dialog and Cancel. Nothing is labelled: the suggestions wait for review.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.occurrences import MatchOptions
from annotator.qt.actions import key_text
from annotator.qt.controllers.process_job import ProcessJob
from annotator.qt.controllers.read_only import refused
from annotator.qt.dialogs.label_all import ARTICLE, LabelAllDialog, LabelAllRequest
from annotator.suggest.propagate import check_request, propagate


class LabelAll(QObject):
    def __init__(self, window, find) -> None:
        super().__init__(window)
        self.window = window
        self.find = find  # the find controller: its bar's text and options
        self.job: ProcessJob | None = None
        self.dialog: LabelAllDialog | None = None
        # The last choices, offered again (per window).
        self._label: str | None = None
        self._scope = ARTICLE

    def _proposal(self) -> tuple[str, str | None, MatchOptions]:
        """The text to offer: the selected span's or text's, else the find bar's, else the
        list search's; the selected span's label, else the last one chosen."""
        window, bar = self.window, self.find.bar
        article = window.session.article
        span = window.view.selected_span()
        if article is not None and span is not None:
            return article.text[span.start : span.end], span.label, bar.options
        selection = window.view.selection()
        if article is not None and selection is not None:
            return article.text[selection[0] : selection[1]], self._label, bar.options
        if bar.text:
            return bar.text, self._label, bar.options
        return window.panel.current_filter().query, self._label, bar.options

    def open(self) -> LabelAllDialog | None:
        if refused(self.window):
            return None
        text, label, options = self._proposal()
        article = self.window.session.article
        self.dialog = LabelAllDialog(
            self.window.store.schema,
            article.text if article is not None else None,
            text.strip(),
            label,
            options,
            self._scope,
            self.window,
            keymap=self.window.keymap,
        )
        self.dialog.accepted.connect(lambda: self.run(self.dialog.request()))
        self.dialog.open()
        return self.dialog

    def run(self, request: LabelAllRequest) -> ProcessJob | None:
        window = self.window
        self._label, self._scope = request.label, request.scope
        try:
            check_request(window.store, request.text, request.label)
        except AnnotatorError as error:
            window.status.showMessage(str(error), 8000)
            return None
        article = window.session.article
        if request.scope == ARTICLE and article is not None:
            # One text: done at once, in the window's own connection (one short write).
            try:
                report = propagate(
                    window.store, request.text, request.label, request.options, [article.id]
                )
            except AnnotatorError as error:
                window.status.showMessage(str(error), 8000)
                return None
            self._finished(report.summary() + self._how_to_review(report.suggested))
            return None
        job = ProcessJob(
            window,
            f"Labelling all of “{request.text}” as {request.label}…",
            "propagate",
            str(window.store.path),
            {
                "text": request.text,
                "label": request.label,
                "match_case": request.options.match_case,
                "whole_word": request.options.whole_word,
            },
        )
        job.progressed.connect(self._progress)
        job.finished.connect(lambda summary, cancelled: self._finished(summary))
        job.failed.connect(
            lambda message: QMessageBox.warning(window, "Label all occurrences failed", message)
        )
        self.job = job
        window.keep_job(job)
        return job

    def _how_to_review(self, count: int) -> str:
        """ "(Space to each, a / x)": the keys the key map has now (rebound in Settings, they
        are no longer a and x)."""
        if not count:
            return ""
        first = [
            next(iter(self.window.keymap.keys(action)), "")
            for action in ("review.next", "review.accept", "review.reject")
        ]
        step, accept, reject = (key_text(key) if key else "its menu entry" for key in first)
        return f" ({step} to each, {accept} / {reject})"

    def _progress(self, message) -> None:
        done, total, ids = message
        if self.job is None:
            return
        self.job.dialog.setMaximum(max(total, 1))
        self.job.dialog.setValue(min(done, max(total, 1)))
        session = self.window.session
        if session.article is not None and session.article.id in ids:
            session.reload()  # this article's suggestions just arrived: show them

    def _finished(self, summary: str) -> None:
        window = self.window
        window.session.reload()
        window.review_queue.refresh_choices()
        window.status.showMessage(summary, 12000)
        window.last_report = summary
