"""A corpus imported from sub-folders (its categories) in the window: the list filters by
folder with `folder:` in the search box, and navigation follows it; table files with old-Mac
line ends import, and a table that fails is named in the report."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.qt.controllers import file_menu
from tests.qt.conftest import rows


def titles(panel) -> list[str]:
    return [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]


def import_in_window(qtbot, window, paths):
    from PySide6.QtWidgets import QMessageBox

    job = file_menu.run_import(window, [str(p) for p in paths])
    with qtbot.waitSignal(job.done, timeout=30000):
        pass
    for box in window.findChildren(QMessageBox):  # the report, read and dismissed
        box.close()
    window.activateWindow()


def test_the_list_filters_by_sub_folder_and_navigation_follows(qtbot, window, tmp_path):
    corpus = tmp_path / "bbc"
    for folder, words in (("sport/football", "goal"), ("sport/tennis", "serve"),
                          ("business", "shares"), ("sporting-life", "goal")):
        (corpus / folder).mkdir(parents=True)
        for i in range(2):
            (corpus / folder / f"{i}.txt").write_text(f"{folder} {i}\n\nA {words} story.\n")
    (corpus / "README.txt").write_text("The BBC corpus, by category.\n")
    import_in_window(qtbot, window, [corpus])
    assert "README.txt: a README, licence or the like, not an article" in window.last_report
    assert rows(window.store, "SELECT count(*) FROM articles") == [(3 + 8,)]
    panel = window.panel
    assert "folder:" in panel.search_box.placeholderText()

    qtbot.keyClicks(panel.search_box, "folder:sport")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4)
    # The folder and the folders inside it; not "sporting-life", which only starts alike.
    assert titles(panel) == ["sport/football 0", "sport/football 1", "sport/tennis 0",
                             "sport/tennis 1"]
    qtbot.keyClicks(panel.search_box, "/football goal")
    qtbot.waitUntil(lambda: window.session.filter.query == "goal")
    assert window.session.filter.folder == "sport/football"
    assert titles(panel) == ["sport/football 0", "sport/football 1"]

    # Open the first and walk: next stays in the folder, and stops at its end.
    table = panel.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(panel.model.index(0, 0)).center())
    assert window.session.article.title == "sport/football 0"
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.session.article.title == "sport/football 1"
    assert not window.controller.go(+1)

    panel.search_box.clear()
    qtbot.keyClicks(panel.search_box, "goal")  # a word alone still searches every folder
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4)
    panel.resize(420, 300)
    panel.grab().save(str(tmp_path / "folder-filter.png"))


def test_a_table_with_old_mac_line_ends_imports_in_the_window(qtbot, window, tmp_path):
    path = tmp_path / "exported-from-excel.csv"
    path.write_bytes(b"title,text\rMac one,First story from Basra.\rMac two,Second story.\r")
    import_in_window(qtbot, window, [path])
    assert window.last_report.startswith("Imported 2 article(s)"), window.last_report
    assert rows(window.store, "SELECT text FROM articles WHERE title LIKE 'Mac%' ORDER BY id") \
        == [("First story from Basra.",), ("Second story.",)]


def test_a_table_that_fails_is_named_in_the_windows_report(qtbot, window, tmp_path):
    path = tmp_path / "no-text-column.csv"
    path.write_bytes(b"title,body\rA,B\r")
    import_in_window(qtbot, window, [path])
    assert f"{path}:1: no column 'text' for the text" in window.last_report
    assert rows(window.store, "SELECT count(*) FROM articles") == [(3,)]
