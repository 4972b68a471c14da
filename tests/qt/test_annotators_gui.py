"""Several annotators in the window: the name (Edit › Your name…, status bar) stamped on
what the person labels, each layer's spans shown with initials, and File › Merge copies."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest

from annotator.core.model import TRIGGER, Argument, Event, Span
from annotator.qt import identity
from annotator.store import open_project
from tests.qt.conftest import open_window, rows


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    """The name setting in the test's own file, not the person's running the suite."""
    path = str(tmp_path / "settings.ini")
    monkeypatch.setattr(
        identity, "_settings", lambda: QSettings(path, QSettings.Format.IniFormat)
    )
    return path


def menu_action(window, menu_title: str, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    return next(a for a in menu.actions() if a.text() == text)


def test_the_name_is_asked_in_a_dialog_shown_and_stored_with_each_edit(qtbot, window, monkeypatch):
    monkeypatch.setattr(identity, "os_user_name", lambda: "login")
    window.annotators.use(identity.current_name())
    label = window.annotators.name_label
    assert label.text() == "Annotator: login (yours?)"  # never asked yet: the login name
    menu_action(window, "&Edit", "Your &name…").trigger()
    dialog = window.annotators.dialog
    assert dialog.isVisible() and dialog.textValue() == "login"
    dialog.setTextValue("  Ana   María Ruiz ")
    dialog.accept()
    assert label.text() == "Annotator: Ana María Ruiz"
    assert identity.saved_name() == "Ana María Ruiz"
    window.grab().save(str(window.store.path.with_name("identity.png")))

    text = window.session.article.text
    start = text.index("Kataib Hezbollah")
    window.view.set_text_selection(start, start + 16)
    QTest.keyClick(window.view, "o")
    assert rows(window.store, "SELECT label, annotator FROM spans") == [("ORG", "Ana María Ruiz")]
    # An undo and a redo put the row back as hers, whoever's name is set by then.
    window.annotators.set_name("Someone Else")
    window.controller.undo_stack.undo()
    window.controller.undo_stack.redo()
    assert rows(window.store, "SELECT label, annotator FROM spans") == [("ORG", "Ana María Ruiz")]


def test_an_empty_name_is_refused_and_the_old_one_kept(qtbot, window):
    window.annotators.set_name("Bea")
    window.annotators.set_name("   ")
    assert window.store.annotator == "Bea"
    assert "Name not changed: a name can't be empty" in window.status.currentMessage()


def two_layers(store):
    """Alice and Bob labelled the founding article differently."""
    article = store.article(1)
    text = article.text
    start = text.index("Baghdad")
    for who, label in (("alice", "GPE"), ("Bob Stone", "LOC")):
        store.annotator = who
        store.insert_span(Span(None, 1, start, start + 7, label))
    store.annotator = "alice"
    strike = text.index("strike")
    trigger = store.insert_span(Span(None, 1, strike, strike + 6, "Conflict.Attack", kind=TRIGGER))
    place = store.spans(1)[0]
    store.insert_event(
        Event(None, 1, "Conflict.Attack", trigger.id, (Argument(None, None, "Place", place.id),))
    )
    return start


def test_every_layer_is_shown_with_its_annotators_initials(qtbot, project):
    start = two_layers(project)
    window = open_window(qtbot, project)
    pills = [
        pill
        for paragraph in window.view.text_layout.paragraphs
        for line in paragraph.lines
        for pill in line.pills
        if pill.span.start == start
    ]
    assert sorted((p.span.label, p.span.annotator) for p in pills) == [
        ("GPE", "alice"),
        ("LOC", "Bob Stone"),
    ]
    assert pills[0].rect.top() != pills[1].rect.top()  # a lane each, both readable
    metrics = window.view.text_layout.tag_metrics
    for pill in pills:
        assert pill.rect.width() >= metrics.horizontalAdvance(
            {"alice": "GPE · Al", "Bob Stone": "LOC · BS"}[pill.span.annotator]
        )
    window.grab().save(str(project.path.with_name("layers.png")))
    # Bob's Attack too: the event list says whose each one is.
    project.annotator = "Bob Stone"
    strike = project.article(1).text.index("strike")
    trigger = project.insert_span(Span(None, 1, strike, strike + 6, "Conflict.Attack", kind=TRIGGER))
    project.insert_event(Event(None, 1, "Conflict.Attack", trigger.id))
    window.session.open_article(1)
    window.session.follow_changes()
    tree = window.event_panel.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 2)
    assert sorted(tree.topLevelItem(i).text(0) for i in range(2)) == [
        "Conflict.Attack — “strike” · Bob Stone",
        "Conflict.Attack — “strike” · alice",
    ]


def test_one_annotator_alone_has_no_initials(qtbot, project):
    project.annotator = "alice"
    project.insert_span(Span(None, 1, 0, 3, "ORG"))
    window = open_window(qtbot, project)
    assert not window.view.text_layout.several_annotators


def test_file_merge_brings_a_copy_in_as_its_layer(qtbot, window, tmp_path):
    copy = tmp_path / "bob.db"
    from annotator.store.copies import save_copy

    save_copy(window.store, copy)
    other = open_project(copy)
    other.annotator = "bob"
    text = other.article(1).text
    start = text.index("Pentagon")
    other.insert_span(Span(None, 1, start, start + 8, "ORG"))
    other.close()
    assert menu_action(window, "&File", "&Merge annotators' copies…") is not None

    job = window.annotators.run_merge([str(copy)])
    with qtbot.waitSignal(job.done, timeout=30000):
        pass
    assert rows(window.store, "SELECT annotator, label, start FROM spans") == [
        ("bob", "ORG", start)
    ]
    assert f"{copy}: merged: 3 articles matched, 0 added, 0 refused" in window.last_report
    assert "layer bob: 1 spans, 0 events, 0 arguments" in window.last_report
    # The open article shows the merged span (the window follows the other connection).
    qtbot.waitUntil(lambda: any(s.annotator == "bob" for s in window.view.spans), timeout=5000)


def test_the_first_run_asks_the_name_once_prefilled_with_the_login(qtbot, tmp_path, monkeypatch):
    """run_gui shows the window, then asks the name once (the settings hold none): the
    question does not hold the window back (opened, not exec'd), the login name is offered,
    and the answer is stored and shown. The next start asks nothing."""
    from PySide6.QtWidgets import QApplication, QInputDialog

    from annotator.qt import app as gui
    from annotator.qt.main_window import MainWindow

    monkeypatch.setattr(identity, "os_user_name", lambda: "login")
    seen = []

    class Started:
        """Stands for the application: its event loop answers the question and returns."""

        def exec(self):
            dialogs = [w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QInputDialog) and w.isVisible()]  # fmt: skip
            windows = [w for w in QApplication.topLevelWidgets()
                       if hasattr(w, "annotators") and w.isVisible()]  # fmt: skip
            seen.append([d.textValue() for d in dialogs])
            for dialog in dialogs:
                dialog.setTextValue("Ana Ruiz")
                dialog.accept()
            seen.append([w.annotators.name_label.text() for w in windows])
            for window in windows:
                window.close()
            return 0

    monkeypatch.setattr(gui, "make_app", lambda: Started())
    monkeypatch.setattr(gui, "settle_heap", lambda: None)  # gc.freeze: not in a test run
    monkeypatch.setattr(gui, "warm_tokenizer", lambda language: None)  # threads that would
    monkeypatch.setattr(MainWindow, "start_daily_backup", lambda self: None)  # outlive it
    assert gui.run_gui(tmp_path / "first.db") == 0
    assert seen == [["login"], ["Annotator: Ana Ruiz"]]
    assert identity.saved_name() == "Ana Ruiz"
    seen.clear()
    assert gui.run_gui(tmp_path / "first.db") == 0
    assert seen == [[], ["Annotator: Ana Ruiz"]]


def test_a_dismissed_first_run_question_is_not_asked_again(qtbot, window, monkeypatch):
    monkeypatch.setattr(identity, "os_user_name", lambda: "login")
    window.annotators.use(identity.current_name())
    dialog = window.annotators.ask_name_once()
    assert dialog is not None and dialog.isVisible() and dialog.textValue() == "login"
    dialog.reject()
    assert window.annotators.name_label.text() == "Annotator: login (yours?)"
    assert identity.saved_name() is None
    assert window.annotators.ask_name_once() is None  # asked once: the menu is the way now
