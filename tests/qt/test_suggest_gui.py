"""Suggestions in the window: a worker process fills them in while the window stays
responsive; they are reviewed by key and land in SQLite with their provenance."""

import json
from pathlib import Path

import pytest
import spacy
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from annotator.formats.importer import import_paths
from annotator.qt.models.article_list import ID_ROLE
from tests.qt.conftest import rows


@pytest.fixture
def ruler(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "ORG", "pattern": "Kataib Hezbollah"},
        {"label": "GPE", "pattern": "Baghdad"},
        {"label": "ORG", "pattern": "Pentagon"}])
    nlp.to_disk(tmp_path / "ruler")
    return tmp_path / "ruler"


def run_and_count_ticks(qtbot, window, source, scope="corpus"):
    ticks = []
    timer = QTimer(window, interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    job = window.suggestions.run(source, scope)
    with qtbot.waitSignal(job.finished, timeout=60000) as blocker:
        pass
    timer.stop()
    # The progress dialog closed and handed the keyboard back to the window; the window
    # system makes it active a moment later (as a person sees it), and only then do keys,
    # Ctrl+Z above all, reach its shortcuts.
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return job, blocker.args, len(ticks)


def test_suggest_in_a_worker_then_review_by_key(qtbot, window, ruler):
    window.store.add_source("ruler", "model", str(ruler), {})
    job, (summary, cancelled), ticks = run_and_count_ticks(qtbot, window, "ruler")
    assert not cancelled and "new suggestion(s) from ruler" in summary
    # The list reloaded with the new counts and still highlights the open article.
    assert window.panel.table.currentIndex().data(ID_ROLE) == window.session.article.id
    assert [i.data(ID_ROLE) for i in window.panel.table.selectionModel().selectedRows()] == [
        window.session.article.id]
    # The event loop ran all along: the 10 ms timer kept firing while spaCy worked.
    assert ticks > 20
    view = window.view
    suggestions = window.session.suggestions
    assert {s.label for s in suggestions} == {"ORG", "GPE"}
    QTest.keyClick(view, Qt.Key.Key_Space)
    first = view.selected_span()
    assert first.state == "suggested"
    QTest.keyClick(view, Qt.Key.Key_A)  # accept, and move on
    second = view.selected_span()
    assert second.id != first.id
    QTest.keyClick(view, Qt.Key.Key_X)  # reject
    third = view.selected_span()
    QTest.keyClick(view, Qt.Key.Key_L)  # accept as LOC instead
    decided = dict((r[0], r[1:]) for r in rows(
        window.store, "SELECT id, state, decision, label, origin FROM spans"))
    assert decided[first.id] == ("accepted", "accepted", first.label, "suggest:ruler")
    assert decided[second.id][:2] == ("rejected", "rejected")
    assert decided[third.id] == ("accepted", "relabelled", "LOC", "suggest:ruler")
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(window.store, "SELECT state, label FROM spans WHERE id = ?", third.id) == [
        ("suggested", third.label)]


def test_cancel_stops_the_job_and_leaves_whole_articles(qtbot, window, ruler, tmp_path):
    text = "Kataib Hezbollah fighters left Baghdad; the Pentagon said so. " * 20
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": f"{i}: {text}"}) + "\n" for i in range(2000)))
    import_paths(window.store, [path])
    window.store.add_source("ruler", "model", str(ruler), {})
    job = window.suggestions.run("ruler", "corpus")
    with qtbot.waitSignal(job.progressed, timeout=60000):
        pass
    qtbot.mouseClick(job.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    with qtbot.waitSignal(job.finished, timeout=60000) as blocker:
        pass
    summary, cancelled = blocker.args
    assert cancelled and summary.startswith("Cancelled after")
    per_article = rows(window.store, "SELECT article_id, count(*) FROM spans "
                                     "WHERE state = 'suggested' GROUP BY article_id")
    done = {article for article, _ in per_article}
    assert 0 < len(done) < 2003
    # Every article the job reached got all 60 of its suggestions, or none at all.
    assert {count for article, count in per_article if article > 3} == {60}


def test_the_review_queue_filters_and_walks_across_articles(qtbot, window, ruler, qtmodeltester):
    from annotator.suggest.runner import run_suggestions

    window.store.add_source("ruler", "model", str(ruler), {})
    run_suggestions(window.store, "ruler")
    queue = window.review_queue
    queue.refresh_choices()
    qtmodeltester.check(queue.model, force_py=True)
    total = queue.model.rowCount()
    queue.label_box.setCurrentIndex(queue.label_box.findData("ORG"))
    org_rows = [queue.model.row_data(r) for r in range(queue.model.rowCount())]
    assert 0 < len(org_rows) < total and {r[3] for r in org_rows} == {"ORG"}
    # Choosing a row opens its article with that suggestion selected.
    last = queue.model.index(len(org_rows) - 1, 0)
    qtbot.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=queue.table.visualRect(last).center())
    span_id, article_id = org_rows[-1][0], org_rows[-1][1]
    assert window.session.article.id == article_id and window.view.selected_span_id == span_id
    # Rejecting it takes it out of the queue; Space walks only ORG suggestions.
    QTest.keyClick(window.view, Qt.Key.Key_X)
    assert queue.model.rowCount() == len(org_rows) - 1
    window.session.open_first()
    seen = []
    for _ in range(len(org_rows) - 1):
        QTest.keyClick(window.view, Qt.Key.Key_Space)
        seen.append(window.view.selected_span().label)
    assert set(seen) == {"ORG"}


@pytest.mark.slow
def test_train_from_the_window_reports_scores_and_adds_a_source(qtbot, window, tmp_path):
    records = []
    for i, (person, place) in enumerate([("Ali Hassan", "Mosul"), ("Maria Lopez", "Basra")] * 15):
        text = f"{person} arrived in {place} on day {i}."
        records.append({"text": text, "spans": [
            {"start": 0, "end": len(person), "label": "PERSON"},
            {"start": text.index(place), "end": text.index(place) + len(place), "label": "GPE"}]})
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    import_paths(window.store, [path])
    progress = []
    job = window.suggestions.train_into(str(tmp_path / "model"), max_steps=40, eval_frequency=20)
    job.progressed.connect(progress.append)
    with qtbot.waitSignal(job.finished, timeout=120000) as blocker:
        pass
    summary, cancelled = blocker.args
    assert not cancelled and progress
    assert "PERSON" in summary and "GPE" in summary
    assert any(s.name.startswith("trained-") for s in window.store.sources())


def test_suggest_on_the_articles_selected_in_the_list(qtbot, window, ruler):
    from annotator.qt.dialogs.suggest import SuggestDialog

    window.store.add_source("ruler", "model", str(ruler), {})
    table = window.panel.table
    opened = window.session.article.id

    def click(row, modifier=Qt.KeyboardModifier.NoModifier):
        rect = table.visualRect(window.panel.model.index(row, 0))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())

    click(1)  # the second article: opens it
    second = window.session.article.id
    assert second != opened
    click(2, Qt.KeyboardModifier.ControlModifier)  # adds the third without opening it
    assert window.session.article.id == second
    third = window.panel.selected_ids()[-1]
    assert window.panel.selected_ids() == [second, third]
    dialog = SuggestDialog(window.store, window, len(window.panel.selected_ids()))
    [selection] = [b for b in dialog.scope.buttons() if b.property("scope") == "selection"]
    assert selection.isEnabled() and selection.text().endswith("(2)")
    job = window.suggestions.run("ruler", "selection")
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    # The first article mentions Baghdad and the Pentagon, but it was not selected.
    assert rows(window.store, "SELECT DISTINCT article_id FROM spans WHERE state = 'suggested'") == [(third,)]


def test_the_dialog_shows_and_edits_each_sources_own_mapping(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from annotator.qt.dialogs.suggest import IGNORE, SuggestDialog

    model = spacy.blank("en")
    model.add_pipe("entity_ruler").add_patterns([
        {"label": "ORGANIZATION", "pattern": "Pentagon"}, {"label": "GPE", "pattern": "Basra"}])
    model.to_disk(tmp_path / "org-model")
    terms = tmp_path / "terms.tsv"
    terms.write_text("ORG\tKataib Hezbollah\nCITY\tBaghdad\n")
    window.store.add_source("terms", "patterns", str(terms), {})
    dialog = SuggestDialog(window.store, window)
    qtbot.addWidget(dialog)

    def table():
        return {dialog.mapping.cellWidget(r, 0).text(): dialog.mapping.cellWidget(r, 1).currentText()
                for r in range(dialog.mapping.rowCount())}

    # A pattern file's labels: ORG passes through, CITY is not a project label.
    assert table() == {"CITY": IGNORE, "ORG": "ORG"}
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "org-model"))
    [add_model] = [b for b in dialog.findChildren(QPushButton) if b.text().startswith("Add spaCy")]
    qtbot.mouseClick(add_model, Qt.MouseButton.LeftButton)
    assert dialog.chosen_source() == "org-model"
    assert table() == {"GPE": "GPE", "ORGANIZATION": IGNORE}
    dialog.mapping.cellWidget(1, 1).setCurrentText("ORG")  # ORGANIZATION -> ORG
    dialog.sources.setCurrentIndex(dialog.sources.findData("terms"))
    dialog.mapping.cellWidget(0, 1).setCurrentText("GPE")  # CITY -> GPE
    dialog.sources.setCurrentIndex(dialog.sources.findData("org-model"))
    assert table() == {"GPE": "GPE", "ORGANIZATION": "ORG"}  # the edit was kept while switching
    [run] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Suggest"]
    qtbot.mouseClick(run, Qt.MouseButton.LeftButton)
    assert window.store.source("org-model").mapping == {"GPE": "GPE", "ORGANIZATION": "ORG"}
    assert window.store.source("terms").mapping == {"CITY": "GPE", "ORG": "ORG"}
    # Opened again later, the dialog shows what was saved.
    again = SuggestDialog(window.store, window)
    qtbot.addWidget(again)
    again.sources.setCurrentIndex(again.sources.findData("terms"))
    assert {again.mapping.cellWidget(r, 0).text(): again.mapping.cellWidget(r, 1).currentText()
            for r in range(again.mapping.rowCount())} == {"CITY": "GPE", "ORG": "ORG"}


def test_adding_pipelines_never_replaces_a_source(qtbot, window, tmp_path, monkeypatch):
    """Two training runs both end in model-best; a pattern file may share a pipeline's name.
    Each addition is a source of its own, and looking at a source doesn't rewrite it."""
    from PySide6.QtWidgets import QFileDialog

    from annotator.qt.dialogs.suggest import SuggestDialog

    for run, label in (("run1", "ORGANIZATION"), ("run2", "CITY")):
        model = spacy.blank("en")
        model.add_pipe("entity_ruler").add_patterns([{"label": label, "pattern": "Baghdad"}])
        (tmp_path / run).mkdir()
        model.to_disk(tmp_path / run / "model-best")
    terms = tmp_path / "run1-model-best.tsv"
    terms.write_text("GPE\tBaghdad\n")
    window.store.add_source("looked-at", "patterns", str(terms), {})
    dialog = SuggestDialog(window.store, window)
    qtbot.addWidget(dialog)
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    for run in ("run1", "run2"):
        monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                            lambda *a, run=run, **k: str(tmp_path / run / "model-best"))
        qtbot.mouseClick(buttons["Add spaCy pipeline…"], Qt.MouseButton.LeftButton)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(terms), ""))
    qtbot.mouseClick(buttons["Add patterns…"], Qt.MouseButton.LeftButton)
    sources = {s.name: (s.kind, Path(s.location).parent.name, s.mapping) for s in window.store.sources()}
    assert sources["run1-model-best"] == ("model", "run1", {"ORGANIZATION": None})
    assert sources["run2-model-best"] == ("model", "run2", {"CITY": None})
    assert sources["run1-model-best-2"][0] == "patterns"
    dialog.sources.setCurrentIndex(dialog.sources.findData("looked-at"))
    dialog.sources.setCurrentIndex(dialog.sources.findData("run2-model-best"))
    qtbot.mouseClick(buttons["Suggest"], Qt.MouseButton.LeftButton)
    assert window.store.source("looked-at").mapping == {}  # only looked at: left as stored
