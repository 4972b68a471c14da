"""File › Import in the window: runs in the background, reports, refreshes the list."""

import json

from PySide6.QtWidgets import QMessageBox

from annotator.qt.controllers import file_menu
from tests.qt.conftest import rows


def test_import_jsonl_with_spans_from_the_window(qtbot, window, tmp_path):
    path = tmp_path / "wire.jsonl"
    records = [
        {"id": f"w{i}", "text": f"Story {i}: Reuters reports from Mosul.",
         "spans": [{"start": 10 + len(str(i)), "end": 17 + len(str(i)), "label": "ORG"}]}
        for i in range(1200)
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    job = file_menu.run_import(window, [str(path)])
    with qtbot.waitSignal(job.done, timeout=30000):
        pass
    assert rows(window.store, "SELECT count(*) FROM articles") == [(1203,)]
    assert rows(window.store, "SELECT count(*) FROM spans WHERE label = 'ORG'") == [(1200,)]
    assert window.status.progress_label.text().startswith("0 of 1203 done")
    assert window.last_report.startswith("Imported 1200 article(s) with 1200 span(s)")
    # The list pages lazily: the first page is there, the rest comes as it scrolls.
    model = window.panel.model
    assert model.rowCount() == 200 and model.canFetchMore()
    window.panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200)


def test_a_broken_file_is_reported_and_nothing_of_it_written(qtbot, window, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 in Beirut\n".encode("latin-1"))
    job = file_menu.run_import(window, [str(path)])
    with qtbot.waitSignal(job.done, timeout=20000):
        pass
    assert rows(window.store, "SELECT count(*) FROM articles") == [(3,)]
    assert "latin1.txt" in window.last_report and "not UTF-8" in window.last_report
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "problems" in boxes[-1].windowTitle()


def test_import_with_options_reads_utf16_offsets_as_asked(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QPushButton

    from annotator.qt.dialogs.import_options import ImportOptionsDialog

    text = "Fans 🎉🎉 cheered Messi in Paris."
    start = len(text[:text.index("Messi")].encode("utf-16-le")) // 2  # as doccano counts
    path = tmp_path / "from-doccano.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[start, start + 5, "PERSON"]]}) + "\n")
    window.actions.import_options.trigger()
    [dialog] = [d for d in window.findChildren(ImportOptionsDialog) if d.isVisible()]
    run = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not run.isEnabled()  # nothing chosen yet
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))
    [choose] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Choose files…"]
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialog.chosen.text() == str(path) and run.isEnabled()
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    dialog.offsets.setCurrentIndex(dialog.offsets.findData("utf16"))
    QTest.keyClicks(dialog.conll_column, "-1")
    assert dialog.options() == {"fmt": "doccano", "encoding": None, "unknown_labels": "add",
                                "offsets": "utf16", "text_column": "text", "conll_column": -1}
    dialog.conll_column.setText("abc")  # refused with the reason, as the command line does
    qtbot.mouseClick(run, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.problem.text() == "CoNLL tag column: not a column number: 'abc'"
    dialog.conll_column.clear()
    assert dialog.options()["conll_column"] is None  # the reader decides
    qtbot.mouseClick(run, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.job.done, timeout=20000):
        pass
    assert rows(window.store, "SELECT substr(a.text, s.start + 1, s.end - s.start), s.label "
                              "FROM spans s JOIN articles a ON a.id = s.article_id") == [("Messi", "PERSON")]
    assert window.last_report.startswith("Imported 1 article(s) with 1 span(s)")
