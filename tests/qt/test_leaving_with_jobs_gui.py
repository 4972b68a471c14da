"""Leaving a project (File › Open, Open Recent, New, Close, Quit) while background jobs run:
every running job is seen (imports and the like on a thread, Label all over the corpus in a
worker process), the person is asked, and on Yes each is cancelled and waited for before the
window goes: a thread left running when its window is freed aborts the whole app."""

import json
import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from annotator.core.occurrences import MatchOptions
from annotator.qt import recent_projects
from annotator.qt.controllers.jobs import Job
from annotator.qt.controllers.project_windows import can_leave, project_windows
from annotator.qt.dialogs.label_all import LabelAllRequest
from annotator.qt.user_settings import user_settings
from annotator.store import open_project


def answering(monkeypatch, reply):
    """QMessageBox.question answers `reply`; the questions asked are returned."""
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or reply)
    return asked


def slow_job(window, seconds=2.0):
    """A real Job on a thread that sees a cancel only between its batches (a long file)."""

    def work(progress):
        for _ in range(int(seconds / 0.05)):
            time.sleep(0.05)
        return None

    job = Job(window, "Importing articles…", work, window.store.path)
    window.keep_job(job)
    return job.start()


def test_a_running_label_all_over_the_corpus_is_seen_before_the_project_is_left(
    qtbot, window, monkeypatch
):
    asked = answering(monkeypatch, QMessageBox.StandardButton.No)
    request = LabelAllRequest(text="Baghdad", label="GPE", options=MatchOptions(), scope="corpus")
    job = window.find.label_all.run(request)
    assert job is not None and job.running()
    left = can_leave(window, "open other.db")
    job.cancel()
    qtbot.waitUntil(lambda: not job.running(), timeout=30000)
    assert asked and "Labelling all of “Baghdad” as GPE is still running" in asked[0]
    assert not left
    assert job not in window.jobs  # an ended job is let go


def test_switching_project_with_a_job_running_cancels_it_and_waits(
    qtbot, window, tmp_path, monkeypatch
):
    other = open_project(tmp_path / "other.db")
    other.close()
    asked = answering(monkeypatch, QMessageBox.StandardButton.Yes)
    job = slow_job(window)
    try:
        new = project_windows().open(other.path, window)  # File › Open, the person says Yes
        assert not job.worker.isRunning(), "left the project with the job's thread still running"
        assert new is not None and new.store.path == other.path
        assert (
            "Importing articles is still running on this project. Cancel it and open "
            "other.db?" in asked[0]
        )
    finally:
        job.worker.wait()
        project_windows().close_all()
        user_settings().remove(recent_projects.KEY)


def test_quit_with_a_job_running_asks_first(qtbot, window, monkeypatch):
    asked = answering(monkeypatch, QMessageBox.StandardButton.No)
    job = slow_job(window, seconds=1.0)
    window.close()  # File › Quit
    assert window.isVisible() and job.running()
    assert "Cancel it and quit?" in asked[0]
    asked = answering(monkeypatch, QMessageBox.StandardButton.Yes)
    window.close()
    assert not window.isVisible() and not job.running()


def test_a_note_being_typed_is_kept_when_another_project_is_opened(qtbot, window, tmp_path):
    other = open_project(tmp_path / "other.db")
    other.close()
    view, text = window.view, window.session.article.text
    start = text.index("Pentagon")
    view.set_text_selection(start, start + len("Pentagon"))
    QTest.keyClick(view, Qt.Key.Key_O)
    QTest.keyClick(
        window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    form = window.span_details.form
    assert form.note.hasFocus()
    QTest.keyClicks(form.note, "check the Pentagon statement")
    path = window.store.path
    try:
        new = project_windows().open(other.path, window)  # Ctrl+O, chosen
        assert new is not None
    finally:
        project_windows().close_all()
        user_settings().remove(recent_projects.KEY)
    again = open_project(path)
    metas = [json.loads(m) for (m,) in again.conn.execute("SELECT meta FROM spans")]
    again.close()
    assert any(m.get("notes") == ["check the Pentagon statement"] for m in metas), metas
