"""Guidelines at hand: the Guidelines tab shows the selected span's label (description,
examples, an event type's roles), the palette's tooltips carry the same, and Help ›
Guidelines opens the document the schema links (the desktop opens it; the app never fetches)."""

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest

from annotator.core.agreement import LayerArgument, LayerEvent, LayerSpan, LayerUnits
from annotator.core.schema import load_schema
from annotator.formats.importer import import_paths
from annotator.store import open_project
from tests.qt.conftest import SEED, open_window

NEWS_LINK = "https://www.ldc.upenn.edu/sites/www.ldc.upenn.edu/files/english-events-guidelines-v5.4.3.pdf"


def click_on(window, phrase: str) -> None:
    start = window.session.article.text.index(phrase)
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, window.view.point_for_offset(start + 2))


def labelled(store):
    """The seed article with Kataib Hezbollah as ORG and an Attack on "strike" (Target it)."""
    assert import_paths(store, [SEED]).articles == 1
    text = store.article(1).text
    kataib = text.index("Kataib Hezbollah")
    strike = text.index("drone strike") + len("drone ")
    org = LayerSpan(kataib, kataib + len("Kataib Hezbollah"), "ORG")
    attack = LayerEvent("Conflict.Attack", strike, strike + len("strike"),
                        (LayerArgument("Target", org.start, org.end),))
    store.write_layers([(1, "ann", LayerUnits((org,), (attack,)))])
    return store


@pytest.fixture
def opened(monkeypatch):
    calls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: calls.append(url) or True)
    return calls


def test_the_selected_spans_guideline_shows_in_the_tab(qtbot, store):
    window = open_window(qtbot, labelled(store))
    panel = window.guidelines.panel
    tabs = window.side_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())][-1] == "Guidelines"
    tabs.setCurrentWidget(panel)
    # Nothing selected: every label, with its description.
    assert panel.shown is None
    everything = panel.toPlainText()
    assert "Select a span" in everything and "WEAPON" in everything
    assert "Weapons and munitions (ACE WEA)" in everything

    click_on(window, "Kataib Hezbollah")
    assert window.view.selected_span().label == "ORG" and panel.shown == "ORG"
    shown = panel.toPlainText()
    assert "Companies, agencies, institutions, armed groups" in shown
    assert "Examples: “Kataib Hezbollah”; “the Pentagon”; “Islamic State”" in shown
    assert "key o" in shown

    click_on(window, "strike in Baghdad")  # the trigger: its event type's guideline
    assert panel.shown == "Conflict.Attack"
    shown = panel.toPlainText()
    assert "A violent physical act" in shown and "key Shift+A" in shown
    assert "Attacker: PERSON, ORG, GPE, NORP" in shown
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    assert panel.shown is None
    window.side_tabs.setCurrentWidget(panel)


def test_a_hidden_guidelines_tab_shows_the_selection_made_meanwhile_when_opened(qtbot, store):
    window = open_window(qtbot, labelled(store))
    panel, tabs = window.guidelines.panel, window.side_tabs
    tabs.setCurrentWidget(window.event_panel)
    click_on(window, "Kataib Hezbollah")
    assert not panel.isVisible() and window.view.selected_span().label == "ORG"
    tabs.setCurrentWidget(panel)
    assert panel.shown == "ORG"
    assert "Companies, agencies, institutions, armed groups" in panel.toPlainText()
    tabs.setCurrentWidget(window.event_panel)
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    tabs.setCurrentWidget(panel)
    assert panel.shown is None and "Select a span" in panel.toPlainText()


def test_palette_tooltips_carry_the_guideline(qtbot, store):
    window = open_window(qtbot, store)
    chips = window.palette_widget.chips
    org = chips["ORG"].toolTip()
    assert org.startswith("ORG: Companies, agencies, institutions, armed groups")
    assert "Examples: Kataib Hezbollah; the Pentagon; Islamic State" in org
    assert org.endswith("Key: o")
    attack = chips["Conflict.Attack"].toolTip()
    assert "Examples: drone strike; attacks; shelling" in attack
    assert "Roles: Attacker (PERSON, ORG, GPE, NORP)" in attack
    assert attack.endswith("Key: Shift+A")


def test_help_guidelines_opens_the_schemas_link(qtbot, store, opened):
    window = open_window(qtbot, store)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entry = next(a for a in help_menu.actions() if a.text() == "&Guidelines")
    assert entry.shortcut().toString() == "Shift+F1"
    entry.trigger()
    assert opened == [QUrl(NEWS_LINK)]
    assert window.statusBar().currentMessage() == f"Opened {NEWS_LINK}"


def test_a_schema_file_links_a_document_beside_it(qtbot, tmp_path, opened):
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / "guide.md").write_text("# How we label\n")
    (folder / "mine.toml").write_text(
        'name = "Mine"\nguidelines = "guide.md"\n\n[[entities]]\nlabel = "PERSON"\n'
        'description = "People"\nexamples = ["Ann"]\n'
    )
    store = open_project(tmp_path / "mine.db", load_schema(folder / "mine.toml"))
    window = open_window(qtbot, store)
    window.guidelines.action.trigger()
    assert opened == [QUrl.fromLocalFile(str(folder / "guide.md"))]
    assert window.palette_widget.chips["PERSON"].toolTip() == "PERSON: People\nExamples: Ann"


def test_without_a_link_it_says_how_to_add_one(qtbot, tmp_path, opened):
    (tmp_path / "bare.toml").write_text('name = "Bare"\n[[entities]]\nlabel = "X"\n')
    store = open_project(tmp_path / "bare.db", load_schema(tmp_path / "bare.toml"))
    window = open_window(qtbot, store)
    window.guidelines.action.trigger()
    assert opened == []
    assert "links no guidelines document" in window.statusBar().currentMessage()
    assert "No description in the schema" in window.guidelines.panel.toPlainText()


def test_the_tab_behind_another_shows_the_selection_when_it_is_opened(qtbot, store):
    # Written only when shown (labelling with the Events tab in front doesn't lay out the
    # guide on every selection): opened, it shows the span selected meanwhile.
    window = open_window(qtbot, labelled(store))
    panel, tabs = window.guidelines.panel, window.side_tabs
    tabs.setCurrentWidget(window.event_panel)
    assert not panel.isVisible()
    click_on(window, "Kataib Hezbollah")
    assert window.view.selected_span().label == "ORG"
    tabs.setCurrentWidget(panel)
    assert panel.shown == "ORG" and "Companies, agencies" in panel.toPlainText()
    tabs.setCurrentWidget(window.event_panel)
    QTest.keyClick(window.view, Qt.Key.Key_Escape)  # nothing selected, out of sight
    tabs.setCurrentWidget(panel)
    assert panel.shown is None and "Select a span" in panel.toPlainText()
