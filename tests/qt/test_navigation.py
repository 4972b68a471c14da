"""Moving through the corpus, statuses, progress and the title bar."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.qt.conftest import rows


def test_mark_done_moves_on_and_progress_shows_it(qtbot, window):
    assert window.status.progress_label.text().startswith("0 of 3 done")
    assert window.status.position_label.text() == "Article 1 of 3"
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert rows(window.store, "SELECT status FROM articles WHERE id = 1") == [("done",)]
    assert window.session.article.id == 2
    assert window.status.progress_label.text().startswith("1 of 3 done")
    assert window.status.position_label.text() == "Article 2 of 3"
    QTest.keyClick(window, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert rows(window.store, "SELECT status FROM articles WHERE id = 2") == [("skipped",)]
    assert window.session.article.id == 3
    assert "(new)" in window.windowTitle() and not window.isWindowModified()
    # Undoing the skip reopens article 2 with its old status.
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.article.id == 2
    assert rows(window.store, "SELECT status FROM articles WHERE id = 2") == [("new",)]


def test_previous_and_next_keys_and_list_selection_follow(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.session.article.title == "Third article"
    current = window.panel.table.currentIndex()
    assert current.row() == 2
    QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.session.article.title == "Second article"
    assert "Second article" in window.windowTitle()


def test_clicking_a_row_in_the_list_opens_the_article(qtbot, window):
    table = window.panel.table
    rect = table.visualRect(window.panel.model.index(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.article.title == "Third article"
    assert "The Pentagon said" in window.view.text_layout.text


def test_search_and_status_filter_narrow_the_list_and_navigation(qtbot, window):
    panel = window.panel
    qtbot.keyClicks(panel.search_box, "pentag")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    titles = {panel.model.index(r, 0).data() for r in range(2)}
    assert "Third article" in titles
    panel.search_box.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 1 done
    panel.status_box.setCurrentIndex(panel.status_box.findData("new"))
    assert panel.model.rowCount() == 2
    # Navigation follows the filtered list: from article 2, "previous" has nothing new before it.
    assert window.session.article.id == 2
    assert not window.controller.go(-1)


def test_article_text_is_shown_as_plain_text(qtbot, window, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("<b>Bold</b> <img src='http://example.com/x.png'> &amp; more\n")
    from annotator.formats.importer import import_paths

    import_paths(window.store, [hostile])
    window.reload_after_import()
    window.session.open_article(4)
    assert window.view.text_layout.paragraphs[0].text == (
        "<b>Bold</b> <img src='http://example.com/x.png'> &amp; more")


def test_the_window_opens_within_the_screen_it_is_on(qtbot, project):
    """The offscreen screen is 800x800: the usual 1400x860 would stick out of it."""
    from PySide6.QtCore import QSettings

    from annotator.qt.main_window import MainWindow

    QSettings("annotator", "annotator").remove("geometry")  # a first start
    window = MainWindow(project)
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert room.width() < 1400 or room.height() < 860  # else this test shows nothing
    assert window.width() <= room.width() and window.height() <= room.height()
