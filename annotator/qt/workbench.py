"""What the menus' controllers may use of the main window, declared in one place.

The File, Review and Edit > Label schema controllers work on the project the window shows:
they need its store and session, somewhere to say things, and a way to keep a background job
alive. They get exactly this, not the window's insides (the window owns layout; the state is
in the core). The window is also the widget their dialogs and message boxes open over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenuBar

    from annotator.core.keymap import KeyMap
    from annotator.core.session import Session
    from annotator.qt.controllers.annotation import AnnotationController
    from annotator.qt.widgets.article_panel import ArticlePanel
    from annotator.qt.widgets.review_queue_panel import ReviewQueuePanel
    from annotator.qt.widgets.status_bar import ProgressStatus
    from annotator.store.project import ProjectStore


class Workbench(Protocol):
    store: ProjectStore
    session: Session
    controller: AnnotationController  # the undo stack and the interaction's intents
    status: ProgressStatus
    panel: ArticlePanel  # the article list: its selection and its model
    review_queue: ReviewQueuePanel
    last_report: str  # the last background job's report, as shown
    keymap: KeyMap  # every key, the menus' shortcuts included (annotator.core.keymap)

    def keep_job(self, job: object) -> None:
        """Keep a background job (running(), cancel(), wait(), ended) alive until it ends:
        the project is not left, nor the app quit, with it running unasked."""

    def writing_job_running(self) -> bool:
        """Whether a suggestion or training job is writing to the project."""

    def reload_after_import(self) -> None: ...

    def reload_schema(self) -> None: ...

    def menuBar(self) -> QMenuBar: ...
