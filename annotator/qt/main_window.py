"""The main window: puts the article list, the article view and the label palette together.

It owns no annotation state: the session (core) holds it, the controller edits it, and the
widgets show it. The window wires signals and keeps the title and status bar truthful.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__
from annotator.core.interaction import ReviewFilter
from annotator.core.model import DONE, IN_PROGRESS, SKIPPED, SUGGESTED
from annotator.core.session import Session
from annotator.qt import screen_fit
from annotator.qt.actions import build_actions, build_menus, window_keymap
from annotator.qt.controllers import backups as backup_actions
from annotator.qt.controllers import file_menu
from annotator.qt.controllers.adjudication import AdjudicationController
from annotator.qt.controllers.annotation import AnnotationController
from annotator.qt.controllers.annotators import AnnotatorActions
from annotator.qt.controllers.attribute_keys import AttributeKeys
from annotator.qt.controllers.find import FindController
from annotator.qt.controllers.guidelines import GuidelinesActions
from annotator.qt.controllers.idle_collection import IdleCollection
from annotator.qt.controllers.live_reload import LiveReload
from annotator.qt.controllers.project_windows import ProjectWindows, jobs_stopped, window_title
from annotator.qt.controllers.projects import WindowProject
from annotator.qt.controllers.review_menu import SuggestionActions
from annotator.qt.controllers.schema_menu import SchemaActions
from annotator.qt.controllers.settings import SettingsActions
from annotator.qt.controllers.statistics import StatisticsActions
from annotator.qt.controllers.write_wait import WriteWait
from annotator.qt.controllers.writer_window import WriterWindow
from annotator.qt.dialogs.keys_help import KeysHelp
from annotator.qt.user_settings import user_settings
from annotator.qt.welcome_window import WelcomeWindow
from annotator.qt.widgets.article_heading import with_heading
from annotator.qt.widgets.article_panel import ArticlePanel
from annotator.qt.widgets.article_view import ArticleView
from annotator.qt.widgets.event_panel import EventPanel
from annotator.qt.widgets.label_palette import LabelPalette
from annotator.qt.widgets.read_only_banner import ReadOnlyBanner
from annotator.qt.widgets.review_queue_panel import ReviewQueuePanel
from annotator.qt.widgets.span_details import SpanDetails
from annotator.qt.widgets.status_bar import ProgressStatus
from annotator.qt.window_geometry import WindowGeometry
from annotator.store.project import ProjectStore

WAIT_LIMIT = 120.0  # seconds an edit waits for another writer before it is given up


class MainWindow(WindowGeometry, QMainWindow):
    def __init__(self, store: ProjectStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.session = Session(store)
        self.last_report = ""  # the last background job's report (qt.workbench declares it)
        self.job: object | None = None  # the latest background job (tests wait on it)
        self.jobs: set = set()  # every job running: kept alive, and asked about before leaving
        self.daily_backup: backup_actions.DailyBackup | None = None
        self.view = ArticleView()
        self.controller = AnnotationController(self.session, self.view, self)
        self.panel = ArticlePanel(store)
        self.palette_widget = LabelPalette()
        self.palette_widget.set_schema(store.schema)
        self.event_panel = EventPanel(self.controller.events)
        self.status = ProgressStatus(store, self)
        self.setStatusBar(self.status)
        # A write that finds the lock taken waits here, painting, instead of freezing or failing.
        self.write_wait = WriteWait(self.status, self)
        store.waiting = self.write_wait
        store.wait_limit = WAIT_LIMIT
        self.writer = WriterWindow(store, lambda: self.write_wait.active, self)
        self.banner = ReadOnlyBanner()
        self.writer.changed.connect(self._read_only_changed)
        self.writer.start()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.panel)
        splitter.addWidget(with_heading(self.view, self.session))
        self.review_queue = ReviewQueuePanel(store)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.event_panel, "Events")
        self.side_tabs.addTab(self.review_queue, "Review queue")
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.palette_widget)
        # Above the tabs, as tall as its few lines: it follows the selection itself.
        self.span_details = SpanDetails(self.controller)
        below = QWidget()
        below_column = QVBoxLayout(below)
        below_column.setContentsMargins(0, 0, 0, 0)
        below_column.addWidget(self.span_details)
        below_column.addWidget(self.side_tabs, 1)
        side.addWidget(below)
        side.setSizes([520, 330])
        splitter.addWidget(side)
        # The text takes what the window gains or loses; the list and the panels keep their
        # widths (screen_fit.pane_widths sets them for the screen), never below their minimum.
        for index, stretch in enumerate((0, 1, 0)):
            splitter.setStretchFactor(index, stretch)
        splitter.setChildrenCollapsible(False)
        self.panel.setMinimumWidth(screen_fit.LIST_MIN)
        self.view.setMinimumWidth(screen_fit.TEXT_MIN)
        self.panes = splitter
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.keymap = window_keymap(self.controller.interaction.keymap)
        self.actions = build_actions(self, self.controller.undo_actions(self), self.keymap)
        self.edit_menu = build_menus(self, self.actions)
        self.suggestions = SuggestionActions(self)
        self.schema_actions = SchemaActions(self, self.edit_menu)
        self.statistics = StatisticsActions(self)
        self.guidelines = GuidelinesActions(self, self.side_tabs, self.view)
        self.attribute_keys = AttributeKeys(self, self.edit_menu, self.span_details)
        # Who is annotating (status bar, Edit › Your name…) and File › Merge copies….
        self.annotators = AnnotatorActions(
            self, self.menuBar().actions()[0].menu(), self.edit_menu, self.actions.save_copy
        )
        self.find = FindController(self)  # the find bar, list search hits, label all
        self.project = WindowProject(self)  # File › New, Open, Recent, Close; where it was left
        # Edit › Settings…, View › Zoom, the person's preferences and the project's keys.
        self.settings = SettingsActions(self, self.edit_menu)
        self.adjudication = AdjudicationController(self, self.side_tabs, self.annotators)
        self.controller.restore_history()  # the undo log: Ctrl+Z works across restarts
        self._connect()
        self._fit_to_screen()
        # A restored geometry is checked again once shown (showEvent), when its frame is known,
        # unless it was resized in between (a test, a script: their size stands).
        self._restored_size = self.size() if self._restore_geometry() else None
        if not self.project.reopen():
            self._show_empty()
        self._schema_raw = store.get_meta("schema")
        self.live = LiveReload(
            store, self.follow_changes, lambda: self.write_wait.active, self._say, self
        )
        self.idle_collection = IdleCollection(self, self.controller, self.view)  # gc when idle
        self._read_only_changed()

    def start_daily_backup(self) -> None:
        """The automatic backup made once a day of use, in a thread of its own: a large
        project's copy takes seconds, which the opening window must not wait for."""
        if self.store.read_only is not None:
            return
        self.daily_backup = backup_actions.DailyBackup(self.store.path, self)
        self.daily_backup.finished_with.connect(lambda text: text and self._say(text))
        self.daily_backup.start()

    def _connect(self) -> None:
        a, c, signals = self.actions, self.controller, self.controller.signals
        a.quit.triggered.connect(self.close)
        a.delete_span.triggered.connect(c.delete_selected)
        a.snap.toggled.connect(c.toggle_snap)
        a.all_arcs.setChecked(self.view.all_arcs)
        a.all_arcs.toggled.connect(self.view.set_all_arcs)
        a.find.triggered.connect(self._focus_search)
        a.next_article.triggered.connect(
            lambda: c.go(+1) or self._say("No more articles in the list")
        )
        a.previous_article.triggered.connect(
            lambda: c.go(-1) or self._say("This is the first article")
        )
        a.mark_done.triggered.connect(lambda: c.finish_and_next(DONE))
        a.skip.triggered.connect(lambda: c.finish_and_next(SKIPPED))
        a.reopen.triggered.connect(lambda: c.set_status(IN_PROGRESS))
        a.keys_help.triggered.connect(self.show_keys)
        a.about.triggered.connect(self._about)
        a.import_files.triggered.connect(lambda: file_menu.import_files(self))
        a.import_folder.triggered.connect(lambda: file_menu.import_folder(self))
        a.import_options.triggered.connect(lambda: file_menu.import_with_options(self))
        a.save_copy.triggered.connect(lambda: backup_actions.save_copy(self))
        for kind, action in a.exports.items():
            action.triggered.connect(lambda _=False, kind=kind: file_menu.export_as(self, kind))
        self.palette_widget.labelClicked.connect(self._label_clicked)
        events, panel = c.events, self.event_panel
        panel.eventChosen.connect(events.select_event)
        panel.roleChosen.connect(self._role_chosen)
        panel.hovered.connect(self.view.set_highlighted)
        panel.deleteEvent.connect(events.delete_event)
        panel.deleteArgument.connect(events.delete_argument)
        panel.changeType.connect(events.change_type)
        events.eventSelected.connect(panel.show_selected)
        events.pendingChanged.connect(panel.show_pending)
        self.review_queue.suggestionChosen.connect(self._suggestion_chosen)
        self.review_queue.filterChanged.connect(self._queue_filter)
        self.panel.articleActivated.connect(self.session.open_article)
        self.panel.filterChanged.connect(self._filter_changed)
        signals.articleOpened.connect(self._article_opened)
        signals.spansChanged.connect(self._spans_changed)
        signals.statusChanged.connect(self._status_changed)
        c.message.connect(self._say)
        c.saved.connect(self._saved)
        c.failed.connect(self._failed)

    # -- following other programs' changes, and who may write ----------------------------------

    def follow_changes(self) -> None:
        """Another connection committed: show what it changed, reading only what is shown."""
        if self.store.get_meta("schema") != self._schema_raw:
            self.reload_schema()  # resets the list: select the open article again
            if self.session.article is not None:
                self.panel.show_article(self.session.article.id)
            # A rename elsewhere (the command line) clears the project's undo log, whose steps
            # name the old label: the stack follows the log, never undoes past it.
            self.controller.restore_history()
        before = self.session.article
        status = before.status if before else None
        self.session.follow_changes()  # the open article: spans, events, status
        table = self.panel.table
        first = max(table.rowAt(0), 0)
        last = table.rowAt(table.viewport().height() - 1)
        self.panel.model.follow_changes(first, last if last >= 0 else first + 100)
        self.review_queue.model.follow_changes()
        article = self.session.article
        if article is None or article is not before or article.status == status:
            # (a changed status of the open article has recounted them already: 8 ms on
            # 100,000 articles is worth not spending twice)
            self.status.refresh_counts()
        self.status.show_position(article.id if article else None)
        if article is None:
            self._show_empty()
        self._update_title()

    def _read_only_changed(self) -> None:
        self.banner.show_reason(self.store.read_only, self.writer.waiting_for_window)
        if self.store.read_only is None:  # the writer window: no checkpoints on its thread
            self.store.checkpoint_in_background()
        self.status.show_read_only(self.store.read_only)
        if self.store.read_only is not None:
            self.status.showMessage(f"Read-only: {self.store.read_only}; edits can't be saved")
        if self.store.read_only is None and hasattr(self, "live"):
            # Taken over: the connection may be new, and the other window's last edits in.
            self.live.reset()
            self.follow_changes()
            # The undo history as the other window left it: Ctrl+Z undoes the project's last
            # edit, not what this window's stack held when it opened.
            self.controller.restore_history()
            self.status.showMessage("This window can edit the project now", 8000)
        self._update_title()

    # -- reacting to the session -------------------------------------------------------------

    def _article_opened(self, article_id: int) -> None:
        self.event_panel.rebuild()
        self.panel.show_article(article_id)
        self.palette_widget.set_counts(self.session.spans)
        self.status.show_position(article_id)
        self._update_title()
        self.view.setFocus()

    def _spans_changed(self, article_id: int) -> None:
        change = self.session.last_change  # an edit's: what it touched only
        self.event_panel.rebuild(change.affected_events if change else None)
        if change is None or any(span.state == SUGGESTED for span in change.spans_before):
            self.review_queue.model.drop_decided(article_id)
        if change is None:
            self.palette_widget.set_counts(self.session.spans)
        else:
            self.palette_widget.count_change(change.spans_before, change.spans_after)
        self.panel.model.refresh_article(article_id)
        self._update_title()  # the first span moves a new article to "in progress"

    def _status_changed(self, article_id: int) -> None:
        self.panel.model.refresh_article(article_id)
        self.status.refresh_counts()
        self.status.show_position(article_id)
        self._update_title()

    def _filter_changed(self, flt) -> None:
        self.session.filter = flt

    def _label_clicked(self, name: str) -> None:
        if self.store.schema.event_type(name) is not None:
            self.controller.events.add_event(name)
        else:
            self.controller.apply_label(name)
        self.view.setFocus()

    def _suggestion_chosen(self, span_id: int, article_id: int) -> None:
        if self.session.article is None or self.session.article.id != article_id:
            self.session.open_article(article_id)
        self.view.select_span(span_id)
        self.view.setFocus()

    def _queue_filter(self, flt: dict) -> None:
        self.controller.interaction.review = ReviewFilter(**flt)

    def _role_chosen(self, event_id: int, role: str) -> None:
        self.controller.events.start_named_role(event_id, role)
        self.view.setFocus()

    def _saved(self, when: float | None = None) -> None:
        self.setWindowModified(False)
        self.status.show_saved(when)

    def _failed(self, message: str) -> None:
        self.setWindowModified(True)
        self.status.show_failed()
        QMessageBox.critical(self, "Not saved", message)

    def _say(self, text: str) -> None:
        self.status.showMessage(text, 6000)

    def _update_title(self) -> None:
        self.setWindowTitle(window_title(self.store, self.session.article))

    def _show_empty(self) -> None:
        self.view.set_article(
            "This project has no articles yet.\n\nUse File › Import files… (Ctrl+I) to add .txt "
            "or .jsonl files, or run: annotator import PROJECT.db FILE_OR_FOLDER",
            [],
        )
        self.status.show_position(None)
        self._update_title()

    def _focus_search(self) -> None:
        self.panel.search_box.setFocus()
        self.panel.search_box.selectAll()

    def show_keys(self) -> KeysHelp:
        """F1: the keys, made from the key map and this project's schema (not modal)."""
        dialog = KeysHelp(self.keymap, self.store.schema, self)
        dialog.show()
        return dialog

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About annotator",
            f"annotator {__version__}\nLabel news articles and export them for spaCy.\n"
            f"Project: {self.store.path}",
        )

    # -- what the menus' controllers use (qt.workbench.Workbench) ----------------------------

    def keep_job(self, job: object) -> None:
        self.job = job
        self.jobs.add(job)
        job.ended.connect(lambda: self.jobs.discard(job))  # type: ignore[attr-defined]

    def writing_job_running(self) -> bool:
        job = self.suggestions.job
        # A job writes under the current names: a rename under it would strand its results.
        return job is not None and not job.done

    # -- after imports -----------------------------------------------------------------------

    def reload_after_import(self) -> None:
        self.reload_schema()
        if self.session.article is None:
            QTimer.singleShot(0, lambda: self.session.open_first())

    def reload_schema(self) -> None:
        """After an import or a schema change: the labels, types and counts shown anew."""
        self.store.reload_schema()
        self._schema_raw = self.store.get_meta("schema")
        self.palette_widget.set_schema(self.store.schema)
        self.view.set_schema(self.store.schema)
        self.settings.follow_schema()  # the project's keys, if they changed
        self.attribute_keys.set_schema(self.store.schema)
        self.event_panel.rebuild()
        self.panel.model.set_filter(self.panel.model.filter)
        self.status.refresh_counts()
        if self.session.article is not None:
            self.palette_widget.set_counts(self.session.spans)

    def closeEvent(self, event) -> None:
        # File › Quit (or the window's close button) with a job running: asked, cancelled and
        # waited for, as when switching projects (its thread must not outlive the window).
        if not jobs_stopped(self, "quit"):
            event.ignore()
            return
        self.live.timer.stop()
        self.controller.remember_place()  # before the writer window lets go of the file
        self.project.leave()
        self.writer.release()
        user_settings().setValue("geometry", self.saveGeometry())
        if self.daily_backup is not None:
            self.daily_backup.wait()  # a copy in progress ends before the window goes
        # Every saved edit into the .db file itself, so a copy of it alone is complete.
        self.store.stop_background_checkpoints()
        self.store.checkpoint()
        super().closeEvent(event)


ProjectWindows.window_class, ProjectWindows.welcome_class = MainWindow, WelcomeWindow
