"""The Events panel on an article with hundreds of events (issue 13: every action within one
frame): a screenful of rows is made when the article opens and the rest in short slices after
it; edits made meanwhile land as they would in a panel made all at once. Each row keeps its
measured height (role rows wrap in a narrow panel): a row is never cut, and is measured again
when the panel's width changes."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics

from annotator.qt.widgets.event_panel import KIND_ROLE, EventPanel
from tests.qt.conftest import open_window

ATTACKS = 300


def add_long_article(store) -> int:
    """An article of 300 sentences, each with an attack ("strike") whose Place is its city."""
    sentence = "The strike in Baghdad killed a commander of Kataib Hezbollah. "
    with store.write():
        article_id = store.insert_article_row(
            sentence * ATTACKS, title="long", ext_id="long", digest="long", meta={}, source="test"
        )
        for i in range(ATTACKS):
            at = i * len(sentence)
            place = store.conn.execute(
                "INSERT INTO spans (article_id, start, end, label) VALUES (?, ?, ?, 'GPE')",
                (article_id, at + 14, at + 21),
            ).lastrowid
            trigger = store.conn.execute(
                "INSERT INTO spans (article_id, start, end, label, kind) "
                "VALUES (?, ?, ?, 'Conflict.Attack', 'trigger')",
                (article_id, at + 4, at + 10),
            ).lastrowid
            event = store.conn.execute(
                "INSERT INTO events (article_id, type, trigger_id) "
                "VALUES (?, 'Conflict.Attack', ?)",
                (article_id, trigger),
            ).lastrowid
            store.conn.execute(
                "INSERT INTO event_arguments (event_id, role, span_id) VALUES (?, 'Place', ?)",
                (event, place),
            )
    return article_id


def tree_rows(panel) -> list:
    """Every row's words, arguments under their roles included."""
    tree, found = panel.tree, []
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        roles = [
            (role.text(0), [role.child(n).text(0) for n in range(role.childCount())])
            for role in (item.child(n) for n in range(item.childCount()))
        ]
        found.append((item.data(0, KIND_ROLE), item.text(0), roles))
    return found


def made_at_once(window) -> list:
    """The rows of a panel that makes every row now (showing the last event needs them all)."""
    panel = EventPanel(window.controller.events)
    panel.rebuild()
    panel.show_selected(window.session.events[-1].id)
    return tree_rows(panel)


def filled(panel) -> bool:
    return panel.tree.topLevelItemCount() == len(panel.session.events)


def test_a_long_articles_rows_come_in_slices_and_equal_rows_made_at_once(qtbot, project):
    article_id = add_long_article(project)
    window = open_window(qtbot, project)
    panel = window.event_panel
    window.session.open_article(article_id)
    # A screenful now, not 300 events' 2,100 rows before the article shows.
    assert 0 < panel.tree.topLevelItemCount() < ATTACKS
    assert panel.heading.text() == f"Events ({ATTACKS})"
    qtbot.waitUntil(lambda: filled(panel), timeout=10_000)
    assert tree_rows(panel) == made_at_once(window)


def test_edits_made_while_the_rows_fill_land_as_in_a_panel_made_at_once(qtbot, project):
    article_id = add_long_article(project)
    window = open_window(qtbot, project)
    panel, session, controller = window.event_panel, window.session, window.controller
    session.open_article(article_id)
    assert not filled(panel)
    first, last = session.events[0], session.events[-1]
    controller.events.delete_event(first.id)  # a row already made
    controller.events.delete_argument(last.id, last.arguments[0].id)  # a row not made yet
    assert len(session.events) == ATTACKS - 1
    qtbot.waitUntil(lambda: filled(panel), timeout=10_000)
    rows = tree_rows(panel)
    assert rows == made_at_once(window)
    assert ("event", first.id) not in [row[0] for row in rows]
    assert rows[-1][0] == ("event", last.id)
    assert "“Baghdad” (GPE)" not in str(rows[-1]) and "“Baghdad” (GPE)" in str(rows[-2])
    controller.undo()  # the argument is back, in the row and on disk
    qtbot.waitUntil(lambda: filled(panel), timeout=10_000)
    assert tree_rows(panel) == made_at_once(window)
    assert "“Baghdad” (GPE)" in str(tree_rows(panel)[-1])


def wrapped_height(tree, item) -> int:
    """The height the row's words take wrapped at the width the row has on screen."""
    rect = tree.visualItemRect(item)
    icon = tree.iconSize().width() + 4 if not item.icon(0).isNull() else 0
    words = tree.fontMetrics() if item.data(0, Qt.ItemDataRole.FontRole) is None else QFontMetrics(
        item.font(0)
    )
    return words.boundingRect(
        QRect(0, 0, rect.width() - icon - 8, 10_000), int(Qt.TextFlag.TextWordWrap), item.text(0)
    ).height()


def test_role_rows_wrap_whole_in_a_narrow_panel_and_shrink_back_when_wider(qtbot, project):
    article_id = add_long_article(project)
    window = open_window(qtbot, project)
    panel = window.event_panel
    window.side_tabs.setCurrentWidget(panel)
    window.session.open_article(article_id)
    qtbot.waitUntil(lambda: filled(panel), timeout=10_000)
    tree = panel.tree
    event = tree.topLevelItem(0)
    target = event.child(1)  # "2  Target · PERSON, ORG, GPE, FAC, VEHICLE, WEAPON, NORP · 0-n"
    line = tree.fontMetrics().height()

    def narrow(width):
        panel.setFixedWidth(width)
        qtbot.wait(20)  # the resize, then the rows measured again
        tree.scrollToItem(target)
        qtbot.wait(1)

    narrow(230)
    assert wrapped_height(tree, target) > line  # it does wrap at this width
    for row in [event, *(event.child(n) for n in range(event.childCount()))]:
        assert tree.visualItemRect(row).height() >= wrapped_height(tree, row), row.text(0)
    narrow(900)
    assert tree.visualItemRect(target).height() < 2 * line  # one line again
    window.resize(1400, 860)
    panel.grab().save(str(project.path.parent / "event-panel-long.png"))


def test_selecting_an_event_whose_row_is_not_made_yet_shows_it_at_once(qtbot, project):
    article_id = add_long_article(project)
    window = open_window(qtbot, project)
    panel, session = window.event_panel, window.session
    session.open_article(article_id)
    middle = session.events[ATTACKS // 2]
    assert middle.id not in [row[0][1] for row in tree_rows(panel)]
    window.controller.events.select_event(middle.id)
    current = panel.tree.currentItem()
    assert current is not None and current.data(0, KIND_ROLE) == ("event", middle.id)
    assert panel.tree.indexOfTopLevelItem(current) == ATTACKS // 2  # in its place
    assert not filled(panel)  # the rows below it come later
    qtbot.waitUntil(lambda: filled(panel), timeout=10_000)
    assert tree_rows(panel) == made_at_once(window)
    assert panel.tree.currentItem().data(0, KIND_ROLE) == ("event", middle.id)
