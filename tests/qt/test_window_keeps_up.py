"""Small things a person notices when the window lags behind what just happened: the article's
position after an import, the list's highlighted row after an import (after a suggestion run:
test_suggest_gui), a status
message about an earlier action, a JSONL title the text does not start with."""

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from annotator.qt.models.article_list import ID_ROLE
from annotator.qt.widgets.article_heading import separate_title


def import_through_the_menu(qtbot, window, monkeypatch, *paths):
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], "")
    )
    window.actions.import_files.trigger()
    with qtbot.waitSignal(window.job.done, timeout=30000):
        pass


def highlighted_ids(window):
    table = window.panel.table
    return [index.data(ID_ROLE) for index in table.selectionModel().selectedRows()]


def test_the_position_and_the_highlighted_row_follow_an_import(
    qtbot, window, tmp_path, monkeypatch
):
    window.session.go(+1)
    assert window.status.position_label.text() == "Article 2 of 3"
    more = tmp_path / "more.jsonl"
    more.write_text("".join(json.dumps({"text": f"Report {i} from Mosul."}) + "\n" for i in range(2)))
    import_through_the_menu(qtbot, window, monkeypatch, more)
    assert window.status.position_label.text() == "Article 2 of 5"
    assert highlighted_ids(window) == [window.session.article.id]  # the list reloaded
    assert window.status.progress_label.text().startswith("0 of 5 done")


def test_a_status_message_gives_way_to_the_next_action(qtbot, window):
    window.session.go(+1)
    window.session.go(+1)  # the last article
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.status.currentMessage() == "No more articles in the list"
    qtbot.wait(20)  # a moment later, the person acts again
    QTest.keyClick(window.view, Qt.Key.Key_Right)  # moves the token cursor
    assert window.status.currentMessage() == ""
    # A message of the action itself stays: the end of the list said again.
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.status.currentMessage() == "No more articles in the list"
    qtbot.wait(20)
    QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # another article
    assert window.status.currentMessage() == ""


def test_a_jsonl_title_the_text_does_not_start_with_is_shown(qtbot, window, tmp_path, monkeypatch):
    title = "U.S. strike kills militia leader in Baghdad"
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({
        "text": "BAGHDAD (AP) — A U.S. drone strike killed a militia commander.",
        "title": title}) + "\n")
    import_through_the_menu(qtbot, window, monkeypatch, path)
    heading = window.findChild(type(window.panel.search_box).__mro__[1], "article-heading")
    assert heading is not None and heading.isHidden()  # the founding .txt starts with its title
    model = window.panel.model
    [row] = [r for r in range(model.rowCount()) if model.index(r, 0).data() == title]
    window.panel.table.clicked.emit(model.index(row, 0))  # a click on its row
    assert window.session.article.title == title
    assert heading.isVisible() and heading.text() == title
    assert heading.geometry().bottom() <= window.view.geometry().top()  # above the article
    assert window.windowTitle().startswith(title)
    window.session.go(-1)
    assert heading.isHidden()


def test_a_title_is_separate_only_when_the_text_does_not_begin_with_it():
    assert separate_title("Basra protest", "Basra protest\n\nProtesters gathered.") == ""
    assert separate_title("Basra  protest", "  Basra protest\n\nThey gathered.") == ""
    assert separate_title("Basra protest", "Protesters gathered in Basra.") == "Basra protest"
    assert separate_title("", "Protesters gathered in Basra.") == ""
