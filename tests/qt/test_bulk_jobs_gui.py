"""Import and every export in the window: a progress dialog that counts, and a Cancel button
that leaves nothing half done (issue 16)."""

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from annotator.formats import registry
from annotator.formats.importer import import_paths
from tests.qt.conftest import rows

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("corpus_gen", ROOT / "benchmarks" / "corpus_gen.py")
corpus_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_gen)

ARTICLES = 1_500


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return corpus_gen.doccano_like_corpus(
        tmp_path_factory.mktemp("corpus") / "news.jsonl", ARTICLES, seed=3
    )


def cancel_on_first_progress(qtbot, job) -> None:
    """Wait until the dialog counts, then press its Cancel button as a person would."""
    with qtbot.waitSignal(job.worker.progressed, timeout=120_000):
        pass
    qtbot.waitUntil(lambda: job.dialog.maximum() > 1, timeout=10_000)
    button = job.dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("kind", sorted(registry.EXPORTERS))
def test_every_export_counts_articles_and_cancel_writes_nothing(qtbot, window, tmp_path, corpus, kind):
    from annotator.qt.controllers import file_menu

    import_paths(window.store, [corpus])
    entry = registry.exporter(kind)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder if entry.folder else folder / f"out{entry.suffix}"
    job = file_menu.run_export(window, kind, str(target))
    cancel_on_first_progress(qtbot, job)
    # The dialog counts the articles the export takes.
    assert job.dialog.maximum() >= ARTICLES
    with qtbot.waitSignal(job.done, timeout=120_000):
        pass
    # Said in the status bar, not as a bug's "Cancelled: ..." with a traceback.
    assert window.status.currentMessage() == "Export cancelled; nothing was written"
    assert list(folder.iterdir()) == []  # no file, no hidden partial file or staging folder


def test_import_counts_records_and_cancel_leaves_nothing_of_the_file(qtbot, window, corpus):
    from annotator.qt.controllers import file_menu

    before = rows(window.store, "SELECT count(*) FROM articles")
    job = file_menu.run_import(window, [str(corpus)])
    cancel_on_first_progress(qtbot, job)
    assert job.dialog.maximum() == ARTICLES  # a record a line: the bar goes to the lines
    with qtbot.waitSignal(job.done, timeout=120_000):
        pass
    assert window.status.currentMessage().startswith(
        "Import cancelled; nothing from the file in progress was written"
    )
    assert rows(window.store, "SELECT count(*) FROM articles") == before
    assert rows(window.store, "SELECT count(*) FROM spans WHERE origin LIKE 'import:news%'") == [
        (0,)
    ]
