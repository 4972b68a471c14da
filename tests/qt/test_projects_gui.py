"""Projects in the window: File › New project, Open, Open Recent, Save a copy, Close; the
title names the project; reopening returns to the last article, selection and scroll; and
`annotator` alone reopens the last project (the demo, on the founding article, the first
time). Driven through the menus and keys as a person would."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
)

from annotator.core.schema import load_schema
from annotator.formats.importer import import_paths
from annotator.paths import default_schema_path
from annotator.qt import recent_projects
from annotator.qt.controllers.project_windows import project_windows
from annotator.qt.dialogs.new_project import NewProjectDialog
from annotator.qt.user_settings import user_settings
from annotator.store import open_project
from tests.conftest import on_disk
from tests.qt.conftest import SEED, open_window


@pytest.fixture(autouse=True)
def own_recent_list():
    """The recent projects start empty and are left empty (the settings folder is shared by
    the whole test run); windows the test opened through the menus are closed."""
    settings = user_settings()
    settings.remove(recent_projects.KEY)
    yield
    project_windows().close_all()
    settings.remove(recent_projects.KEY)


def file_entry(window, text):
    """The File menu's entry whose text starts with `text` (as a person reads the menu)."""
    menu = window.menuBar().actions()[0].menu()
    return next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))


def newest_window():
    return project_windows().windows[-1]


def label(window, word, name):
    text = window.session.article.text
    start = text.index(word)
    window.view.set_text_selection(start, start + len(word))
    window.controller.apply_label(name)


def test_file_menu_lists_the_project_entries_with_their_keys(window):
    names = [a.text().replace("&", "") for a in window.menuBar().actions()[0].menu().actions()]
    assert names[:4] == ["New project…", "Open…", "Open Recent", "Close project"]
    assert file_entry(window, "Open…").shortcut().toString() == "Ctrl+O"
    assert file_entry(window, "Close project").shortcut().toString() == "Ctrl+W"
    assert file_entry(window, "New project").shortcut().toString() == "Ctrl+N"


def test_new_project_from_a_shipped_schema(qtbot, window, tmp_path):
    target = tmp_path / "coverage.db"
    file_entry(window, "New project").trigger()
    [dialog] = [d for d in window.findChildren(NewProjectDialog) if d.isVisible()]
    assert dialog.schema_box.currentText().startswith("News (OntoNotes + ACE)")
    assert "entity labels (PERSON, ORG" in dialog.about_schema.text()
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    # An existing project is refused in the dialog, naming the file; nothing is replaced.
    dialog.file_edit.setText(str(window.store.path))
    QTest.mouseClick(create, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "already exists" in dialog.problem.text()
    assert str(window.store.path) in dialog.problem.text()
    dialog.file_edit.setText(str(target))
    dialog.name_edit.setText("Baghdad coverage")
    QTest.mouseClick(create, Qt.MouseButton.LeftButton)
    new = newest_window()
    assert new is not window and new.isVisible() and not window.isVisible()
    assert new.store.path == target
    assert new.windowTitle().startswith("Baghdad coverage (coverage.db)")
    shipped = load_schema(default_schema_path())
    assert new.store.schema.names == shipped.names
    assert on_disk(new.store, "SELECT value FROM meta WHERE key = 'project_name'") == [
        ("Baghdad coverage",)]
    assert recent_projects.recent()[0] == str(target)
    # An empty project says how to fill it; File › Import works on the new file.
    assert "no articles yet" in new.view.text_layout.text


def test_new_project_from_a_schema_file_once_it_reads(qtbot, window, tmp_path):
    broken = tmp_path / "mine.toml"
    broken.write_text("name = 'mine'\n[[entities]\nlabel = 'X'\n")
    file_entry(window, "New project").trigger()
    [dialog] = [d for d in window.findChildren(NewProjectDialog) if d.isVisible()]
    dialog.schema_box.setCurrentIndex(dialog.schema_box.count() - 1)  # From a schema file…
    assert dialog.schema_row.isVisible()
    dialog.file_edit.setText(str(tmp_path / "mine.db"))
    dialog.schema_edit.setText(str(broken))
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "mine.toml" in dialog.problem.text()
    assert not (tmp_path / "mine.db").exists()  # nothing half-made
    broken.write_text("name = 'mine'\n[[entities]]\nlabel = 'MILITIA'\nkey = 'm'\n")
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    new = newest_window()
    assert new.store.path == tmp_path / "mine.db"
    assert [label.name for label in new.store.schema.entities] == ["MILITIA"]
    assert [chip.text() for chip in new.palette_widget.findChildren(QPushButton)
            if "MILITIA" in chip.text()]


def test_open_recent_switches_to_another_project(qtbot, window, tmp_path):
    other = open_project(tmp_path / "other.db")
    import_paths(other, [SEED])
    other.close()
    gone = tmp_path / "gone.db"
    for path in (gone, other.path):
        recent_projects.remember(path)
    gone_entry = tmp_path / "gone.db"
    menu = window.project.menu.recent_menu
    menu.aboutToShow.emit()  # what opening the submenu does
    entries = {a.data(): a for a in menu.actions()}
    assert not entries[str(gone_entry)].isEnabled()  # a missing file is greyed, not offered
    entries[str(other.path)].trigger()
    new = newest_window()
    assert new.store.path == other.path and not window.isVisible()
    assert new.session.article.title.startswith("US Drone Strike")
    assert new.windowTitle().endswith("other.db[*] — annotator")
    assert recent_projects.recent()[0] == str(other.path)


def test_a_running_job_blocks_switching_until_the_person_cancels_it(
    qtbot, window, tmp_path, monkeypatch
):
    class Running:  # a suggestion run: what the window asks of a ProcessJob
        done = False

        def running(self):
            return not self.done

        def cancel(self):
            self.done = True

        def wait(self, timeout):
            return self.done

    job = Running()
    window.suggestions.job = job
    other = open_project(tmp_path / "other.db")
    other.close()
    asked = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert project_windows().open(other.path, window) is None
    assert window.isVisible() and not job.done
    assert "still running" in asked[-1] and "Cancel it and open other.db?" in asked[-1]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    new = project_windows().open(other.path, window)
    assert job.done and new is not None and new.store.path == other.path


def test_save_a_copy_then_open_the_copy_and_find_the_edits(qtbot, window, tmp_path, monkeypatch):
    label(window, "Kataib Hezbollah", "ORG")
    copy = tmp_path / "copy.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    file_entry(window, "Save a Copy").trigger()
    with qtbot.waitSignal(window.job.done, timeout=30000):
        pass
    assert "Saved a copy of the project to" in window.status.currentMessage()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), ""))
    file_entry(window, "Open…").trigger()
    opened = newest_window()
    assert opened.store.path == copy and opened.windowTitle().find("copy.db") >= 0
    text = opened.session.article.text
    assert [(s.label, text[s.start:s.end]) for s in opened.session.spans] == [
        ("ORG", "Kataib Hezbollah")]


def test_close_leaves_the_welcome_window_and_reopens_from_its_list(qtbot, window):
    recent_projects.remember(window.store.path)
    window.session.go(+1)  # the second article
    second = window.session.article.id
    QTest.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    welcome = project_windows().welcome
    assert welcome is not None and welcome.isVisible() and not window.isVisible()
    assert welcome.windowTitle() == "No project open — annotator"
    item = welcome.recent.item(0)
    assert window.store.path.name in item.text()
    welcome.recent.itemActivated.emit(item)  # double-click or Enter
    again = newest_window()
    assert again.store.path == window.store.path and not welcome.isVisible()
    assert again.session.article.id == second  # where it was left


def test_reopening_returns_to_the_article_selection_and_scroll(qtbot, tmp_path, monkeypatch):
    store = open_project(tmp_path / "project.db")
    short = tmp_path / "a-short.txt"
    short.write_text("A short one\n\nProtesters gathered in Basra on Friday.\n")
    import_paths(store, [short, SEED])  # the founding article is the second
    window = open_window(qtbot, store)
    window.resize(900, 500)
    window.session.go(+1)
    founding = window.session.article.id
    label(window, "Kataib Hezbollah", "ORG")
    span = window.session.spans[0]
    window.view.select_span(span.id)
    bar = window.view.verticalScrollBar()
    bar.setValue(int(bar.maximum() * 0.6))
    place = window.view.first_visible_offset()
    assert place > 0
    window.close()
    store.close()

    # Relaunched as `annotator PROJECT.db` is: the entry function, not a real event loop.
    from annotator.cli.entry import main

    seen = {}

    def exec_(app):
        win = newest_window()
        win.resize(900, 500)
        seen.update(article=win.session.article.id, span=win.view.selected_span_id,
                    offset=win.view.first_visible_offset())
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    assert main([str(store.path)]) == 0
    assert seen == {"article": founding, "span": span.id, "offset": place}


def test_annotator_alone_reopens_the_last_project_else_the_demo(qtbot, tmp_path, monkeypatch):
    from annotator.cli.entry import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    opened = []

    def exec_(app):
        win = newest_window()
        opened.append((win.store.path, win.session.article.title))
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    # The first time: the demo, on the founding article (not the first file by name).
    assert main([]) == 0
    demo, title = opened[-1]
    assert demo == tmp_path / "data" / "annotator" / "demo.db"
    assert title.startswith("US Drone Strike on Iran-Backed Militia")
    # A project opened since is what `annotator` alone opens next.
    mine = open_project(tmp_path / "mine.db")
    import_paths(mine, [SEED])
    mine.close()
    assert main([str(mine.path)]) == 0
    assert main([]) == 0
    assert opened[-1][0] == mine.path
    # Gone (moved, deleted): the next one still there.
    mine.path.unlink()
    assert main([]) == 0
    assert opened[-1][0] == demo


def test_a_file_that_is_no_project_is_refused_with_its_name(qtbot, window, tmp_path, monkeypatch):
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list, not a database\n")
    said = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(notes), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    file_entry(window, "Open…").trigger()
    assert said and "notes.db" in said[0]
    assert window.isVisible() and project_windows().windows == []  # still on its project
    assert notes.read_text() == "shopping list, not a database\n"  # left as it was


def test_the_welcome_window_opens_the_demo_on_the_founding_article(qtbot, window, monkeypatch,
                                                                     tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    QTest.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    welcome = project_windows().welcome
    assert welcome.recent.item(0).flags() == Qt.ItemFlag.NoItemFlags  # "No recent projects yet"
    QTest.mouseClick(welcome.demo_button, Qt.MouseButton.LeftButton)
    demo = newest_window()
    assert demo.store.path == tmp_path / "data" / "annotator" / "demo.db"
    assert demo.session.article.title.startswith("US Drone Strike")
    assert demo.panel.model.index(0, 0).data().startswith("US Drone Strike")  # listed first


def test_reopening_returns_to_the_selected_event(qtbot, project):
    window = open_window(qtbot, project)
    text = window.session.article.text
    start = text.index("strike")
    window.view.set_text_selection(start, start + len("strike"))
    window.controller.events.add_event("Conflict.Attack")
    window.controller.events.add_event("Conflict.Attack")  # two events on one trigger
    first, second = window.session.events
    window.controller.events.select_event(second.id)
    window.close()
    again = open_project(project.path)
    try:
        reopened = open_window(qtbot, again)
        state = reopened.controller.interaction
        assert state.current_event().id == second.id != first.id
        assert reopened.view.selected_span_id == second.trigger_id
        reopened.close()
    finally:
        again.close()
