"""Review › Agreement…: the panel opens, measures in the background and shows the same
figures as `annotator agree`, per pair and per label."""

import pytest

from annotator.core.agreement import LayerSpan, LayerUnits
from annotator.qt.dialogs.agreement import AgreementDialog
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.qt.conftest import open_window


def cell_rows(table):
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def open_panel(qtbot, window):
    window.suggestions.agreement.trigger()

    qtbot.waitUntil(lambda: window.findChild(AgreementDialog) is not None)
    panel = window.findChild(AgreementDialog)
    qtbot.waitUntil(lambda: not panel.summary.text().startswith("Measuring"), timeout=20000)
    return panel


def test_panel_shows_pair_and_labels(qtbot, tmp_path):
    store = open_project(tmp_path / "two.db")
    two_layers(store)
    window = open_window(qtbot, store)
    panel = open_panel(qtbot, window)
    assert panel.isVisible()
    assert panel.summary.text().startswith("2 annotators (ann, bob)")
    assert panel.choice.currentText() == "ann and bob (1 shared article(s))"
    rows = cell_rows(panel.spans)
    # the same figures as the CLI test: 6 and 5 spans, F1 exact 6/11, overlap 8/11
    headers = [panel.spans.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["label", "ann", "bob"]
    assert rows[0][:5] == ["all labels", "6", "5", "0.545", "0.727"]
    assert ["GPE", "3", "1", "0.500", "0.500"] == rows[1][:5]
    assert [r[0] for r in rows] == ["all labels", "GPE", "LOC", "ORG", "WEAPON"]
    events = cell_rows(panel.events)
    assert events[0] == ["all events", "1", "1", "1.000", "0.400"]
    assert ["  role Place", "1", "1", "", "1.000"] in events


def test_panel_with_three_annotators_has_overall(qtbot, tmp_path):
    store = open_project(tmp_path / "three.db")
    text = two_layers(store)
    start = text.index("Baghdad", text.index("Baghdad") + 1)
    store.write_layers([(1, "cy", LayerUnits((LayerSpan(start, start + 7, "GPE"),)))])
    window = open_window(qtbot, store)
    panel = open_panel(qtbot, window)
    items = [panel.choice.itemText(i) for i in range(panel.choice.count())]
    assert items[-1] == "Overall (all pairs)" and len(items) == 4
    panel.choice.setCurrentIndex(3)
    rows = cell_rows(panel.spans)
    # pooled: ann-bob 6+5 (3 exact), ann-cy 6+1 (1), bob-cy 5+1 (1): 2·5 / 24
    assert rows[0][:4] == ["all labels", "17", "7", f"{10 / 24:.3f}"]


def test_panel_says_why_with_one_annotator(qtbot, tmp_path):
    store = open_project(tmp_path / "one.db")
    two_layers(store)  # ann's 7 spans (ids 1-7: 6 entities, 1 trigger), then bob's
    window = open_window(qtbot, store)
    # only ann's spans stay: bob's are removed through the store's removal path
    assert store.annotators() == ["ann", "bob"]
    for span in [s for s in store.spans(1) if s.id and s.id > 7]:
        store.apply_removal(store.plan_removal(span_ids=[span.id]))
    panel = open_panel(qtbot, window)
    assert "only one annotator (ann) has annotations; agreement needs two" in panel.summary.text()
    assert not panel.choice.isEnabled() and panel.spans.rowCount() == 0
