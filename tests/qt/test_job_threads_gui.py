"""A background job's thread and the GUI thread: what crosses between them can't crash the app.

With the spaCy export reading 100 articles per query, the window's export-cancel test died
of a segmentation fault: two progress reports came back to back, pytest-qt's waiter had
disconnected itself at the first and been freed, and PySide still delivered the second,
already queued, report to it (its queued call keeps a borrowed pointer to the waiter). Every
signal of a Job is now emitted on the GUI thread (annotator.qt.controllers.jobs).
"""

import importlib.util
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.formats.importer import import_paths
from annotator.formats.spacy import writer
from annotator.qt.controllers import jobs
from annotator.qt.controllers.jobs import Job

ROOT = Path(__file__).resolve().parents[2]


def news_corpus(path: Path, articles: int, seed: int) -> Path:
    """doccano's benchmark shape (benchmarks/corpus_gen.py), `articles` of them."""
    spec = importlib.util.spec_from_file_location(
        "corpus_gen", ROOT / "benchmarks" / "corpus_gen.py"
    )
    corpus_gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus_gen)
    return corpus_gen.doccano_like_corpus(path, articles, seed=seed)


def reporting_job(window, reports, release: threading.Event, sent: threading.Event) -> Job:
    """A job that sends `reports` back to back (as a chunk read into memory does), says so,
    and ends when released."""

    def work(progress):
        for done in reports:
            progress(done, reports[-1])
        sent.set()
        release.wait(30)
        return "finished"

    job = Job(window, "Exporting…", work, window.store.path)
    window.keep_job(job)
    return job


class Waiter:
    """A plain Python object that stops listening at the first report, as pytest-qt's
    waitSignal does."""

    def __init__(self, signal):
        self.signal, self.seen = signal, []
        signal.connect(self.report)

    def report(self, done, total):
        self.seen.append(done)
        self.signal.disconnect(self.report)


def test_a_listener_that_disconnects_at_the_first_report_hears_no_other(qtbot, window):
    release, sent = threading.Event(), threading.Event()
    job = reporting_job(window, [50, 100, 150], release, sent)
    on_worker, on_job = Waiter(job.worker.progressed), Waiter(job.progressed)
    job.start()
    try:
        assert sent.wait(30)  # all three reports are sent before the GUI thread turns
        qtbot.waitUntil(lambda: job.dialog.value() == 150, timeout=10_000)
        assert (on_worker.seen, on_job.seen) == ([50], [50])
    finally:
        release.set()
    with qtbot.waitSignal(job.done, timeout=30_000) as ended:
        pass
    assert ended.args == ["finished"]


def test_a_freed_waiter_is_not_called_by_a_report_queued_for_it(tmp_path):
    """pytest-qt's own waiter on the worker's progress: the second report is sent while the
    waiter handles the first (before it disconnects), and the waiter is freed before that
    report is delivered. The process must live on (before: a segmentation fault). In a
    process of its own, so that a crash fails this test and not the whole run."""
    script = textwrap.dedent(
        """
        import gc, threading
        from PySide6.QtWidgets import QApplication, QWidget
        from pytestqt.qt_compat import qt_api
        from pytestqt.wait_signal import SignalBlocker
        from annotator.qt.controllers.jobs import Job

        qt_api.set_qt_api("pyside6")
        app = QApplication([])
        window = QWidget()
        in_slot, second_sent, release = (threading.Event() for _ in range(3))

        def work(progress):
            progress(50, 1500)
            in_slot.wait(30)  # the GUI thread is in the waiter's slot, still connected
            progress(100, 1500)
            second_sent.set()
            release.wait(30)

        def while_in_the_slot(done, total):
            in_slot.set()
            second_sent.wait(30)
            return True  # the waiter then disconnects and quits its loop

        job = Job(window, "Exporting…", work)
        counted = []
        job.progressed.connect(lambda done, total: counted.append(done))
        blocker = SignalBlocker(timeout=30_000, check_params_cb=while_in_the_slot)
        blocker.connect(job.worker.progressed)
        job.start()
        blocker.wait()
        assert blocker.signal_triggered and blocker.args == [50, 1500], blocker.args
        del blocker
        gc.collect()
        reuse = [object() for _ in range(20_000)]  # the freed waiter's memory taken again
        app.processEvents()  # the report queued before the disconnect, if any
        release.set()
        assert job.wait(30)
        app.processEvents()
        print("lived on", counted)
        """
    )
    run = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "lived on [50, 100]"


def test_done_and_failed_come_once_the_thread_has_ended(qtbot, window):
    seen = []

    def finished(outcome):
        seen.append((outcome, job.running(), job.worker.isFinished(), job in window.jobs))

    job = Job(window, "Counting…", lambda progress: 42, window.store.path)
    window.keep_job(job)
    job.done.connect(finished)
    with qtbot.waitSignal(job.done, timeout=30_000):
        job.start()
    assert seen == [(42, False, True, False)]

    def fails(progress):
        raise AnnotatorError("the file went away")

    job = Job(window, "Counting…", fails, window.store.path)
    window.keep_job(job)
    job.failed.connect(finished)
    with qtbot.waitSignal(job.failed, timeout=30_000):
        job.start()
    assert seen[1:] == [("the file went away", False, True, False)]


def test_the_spacy_export_cancelled_at_each_report_writes_nothing(
    qtbot, window, tmp_path, monkeypatch
):
    """Cancel at each progress report of the spaCy export, in the window: inside a chunk of
    the read and at its end. The worker thread sees the cancel exactly there."""
    from annotator.qt.controllers import file_menu

    import_paths(window.store, [news_corpus(tmp_path / "news.jsonl", 230, seed=5)])
    total = len(window.store.export_ids(False, False))
    reports = [*range(50, total, 50), total]  # export_common.check_progress's
    assert writer.READ_CHUNK == 100 and reports == [50, 100, 150, 200, total]
    report_progress = jobs._Worker._progress

    for cancel_at in reports:
        calls = []

        def cancelling(self, done, all_, cancel_at=cancel_at, calls=calls):
            calls.append(done)
            if done == cancel_at:
                self.cancel_event.set()
            return report_progress(self, done, all_)

        monkeypatch.setattr(jobs._Worker, "_progress", cancelling)
        folder = tmp_path / f"out-{cancel_at}"
        folder.mkdir()
        job = file_menu.run_export(window, "spacy", str(folder), dev_share=0.2)
        said = []  # what the status bar says as the job ends (after the window's own slot)
        job.done.connect(lambda _report, said=said: said.append(window.status.currentMessage()))
        with qtbot.waitSignal(job.done, timeout=60_000) as ended:
            pass
        assert ended.args == [None]  # cancelled
        assert calls[-1] == cancel_at, calls
        assert not job.running()
        assert said == ["Export cancelled; nothing was written"]
        assert list(folder.iterdir()) == []
    # The window's own connection is untouched by the job's.
    assert len(window.store.export_ids(False, False)) == total


def test_quitting_during_the_spacy_export_cancels_it_and_waits(
    qtbot, window, tmp_path, monkeypatch
):
    """File › Quit while the export runs, the person says Yes: the export stops, its thread
    has ended when the window goes, nothing is written, and what the job still had queued
    for the window arrives at a closed window without harm."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.qt.controllers import file_menu

    import_paths(window.store, [news_corpus(tmp_path / "news.jsonl", 600, seed=9)])
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    folder = tmp_path / "out"
    folder.mkdir()
    job = file_menu.run_export(window, "spacy", str(folder))
    outcomes = []
    job.done.connect(outcomes.append)
    with qtbot.waitSignal(job.progressed, timeout=60_000):
        pass
    window.close()
    assert "Exporting is still running on this project. Cancel it and quit?" in asked[0]
    assert not window.isVisible() and not job.running()
    qtbot.waitUntil(lambda: outcomes == [None], timeout=10_000)  # cancelled, said late
    assert list(folder.iterdir()) == []
