"""View › Statistics: the panel's charts draw the project's figures (read from the chart items,
not pixels), in the labels' own colours; its tables save as CSV and its charts as PNG; and
`annotator stats --json` prints the same numbers."""

import csv
import json
import time

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QTableWidget

from annotator.cli import main as cli
from annotator.core.model import ACCEPTED, REJECTED
from annotator.formats.importer import import_paths
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.qt.conftest import open_window

DAY = 86_400


def drawn(chart, series=0):
    """What a bar chart draws: each bar's length by its row's name on the left axis, and
    its brush colour, read from the pyqtgraph items."""
    item = chart.widget.getPlotItem()
    bars = [i for i in item.items if isinstance(i, pg.BarGraphItem)][series]
    ticks = dict(item.getAxis("left")._tickLevels[0])
    names = [ticks[round(y - (0.8 / 2 - 0.8 / len(chart.series) * (series + 0.5)))]
             for y in bars.opts["y"]]
    lengths = [float(w) for w in bars.opts["width"]]
    colours = [b.color().name() for b in bars.opts["brushes"]]
    return dict(zip(names, lengths, strict=True)), dict(zip(names, colours, strict=True))


@pytest.fixture
def project(tmp_path):
    """The seed article with ann's and bob's layers (tests/agreement_helpers.py), done three
    days ago; a second article done today holding suggestions of the "patterns" source (one
    accepted, one relabelled, one rejected, one open); a third article new."""
    store = open_project(tmp_path / "stats.db")
    two_layers(store)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "b.txt").write_text("Second\n\nProtesters gathered in Basra near Baghdad on Friday.\n")
    (extra / "c.txt").write_text("Third\n\nThe Pentagon said the strike was lawful.\n")
    import_paths(store, [extra])
    store.set_status(1, "done")
    with store.write():  # marked done three days ago (what the day of the status says)
        store.conn.execute("UPDATE articles SET updated = ? WHERE id = 1", (time.time() - 3 * DAY,))
    source = store.add_source("patterns", "patterns", "test")
    text = store.article(2).text
    found = {w: (text.index(w), text.index(w) + len(w)) for w in ("Basra", "Baghdad", "Friday")}
    with store.write():
        store.replace_suggestions(
            source.origin,
            [2],
            [(2, *found["Basra"], "GPE", 1.0), (2, *found["Baghdad"], "LOC", 1.0),
             (2, *found["Friday"], "DATE", 1.0), (2, 0, 6, "GPE", 1.0)],
        )
    ids = {(s.start, s.label): s.id for s in store.open_suggestions()}
    store.decide(ids[(found["Basra"][0], "GPE")], ACCEPTED, "accepted")
    store.decide(ids[(found["Baghdad"][0], "LOC")], ACCEPTED, "relabelled", label="GPE")
    store.decide(ids[(0, "GPE")], REJECTED, "rejected")
    store.set_status(2, "done")
    yield store
    store.close()


def open_panel(qtbot, window):
    with qtbot.waitSignal(window.statistics.shown, timeout=20000) as shown:
        window.statistics.action.trigger()
    return shown.args[0]


def test_panel_draws_the_projects_figures(qtbot, project):
    window = open_window(qtbot, project)
    assert window.session.article.id == 1
    panel = open_panel(qtbot, window)
    assert panel.isVisible() and panel.windowTitle() == "Statistics"
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == [
        "Labels", "Events", "Progress", "Annotators", "Suggestions"]

    (_, corpus), (_, article) = panel.charts["Labels"]
    lengths, colours = drawn(corpus)
    # ann: 3 GPE, 2 ORG, 1 WEAPON; bob: 1 GPE, 1 LOC, 2 ORG, 1 WEAPON; plus the 2 suggestions
    # accepted on article 2 (Basra as is, Baghdad relabelled GPE).
    assert lengths == {"GPE": 6, "LOC": 1, "ORG": 4, "WEAPON": 2}
    schema = project.schema
    assert colours == {name: schema.label(name).color for name in lengths}
    assert corpus.widget.getPlotItem().titleLabel.text == "Spans per label: the corpus"
    assert corpus.widget.getPlotItem().getAxis("bottom").labelText == "accepted spans"
    # The open article is the seed article: its own counts.
    assert drawn(article)[0] == {"GPE": 4, "LOC": 1, "ORG": 4, "WEAPON": 2}

    (_, events), (_, roles) = panel.charts["Events"]
    assert drawn(events)[0] == {"Attack": 2}
    assert drawn(roles)[0] == {"Attack · Instrument": 1, "Attack · Place": 2, "Attack · Target": 2}

    (_, per_day), (_, total) = panel.charts["Progress"]
    three_days_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 3 * DAY))
    today = time.strftime("%Y-%m-%d")
    assert per_day.names == [three_days_ago, today]
    bars = next(i for i in per_day.widget.getPlotItem().items if isinstance(i, pg.BarGraphItem))
    assert [float(h) for h in bars.opts["height"]] == [1, 1]
    line = total.widget.getPlotItem().listDataItems()[0]
    assert list(line.getData()[1]) == [1, 2]

    ((_, people),) = panel.charts["Annotators"]
    assert [s.name for s in people.series] == ["spans", "events", "articles done"]
    # The suggestions were decided by nobody named (the store's annotator is unset).
    assert drawn(people, 0)[0] == {"(unnamed)": 2, "ann": 6, "bob": 5}
    assert drawn(people, 1)[0] == {"(unnamed)": 0, "ann": 1, "bob": 1}
    assert drawn(people, 2)[0] == {"(unnamed)": 1, "ann": 1, "bob": 1}

    ((_, suggestions),) = panel.charts["Suggestions"]
    acceptance, _ = drawn(suggestions, 0)
    precision, colours = drawn(suggestions, 1)
    # GPE: 2 suggested and decided: 1 accepted, 1 rejected. LOC: 1, relabelled. DATE: open.
    assert acceptance == {"patterns · DATE": 0, "patterns · GPE": 0.5, "patterns · LOC": 1.0}
    assert precision == {"patterns · DATE": 0, "patterns · GPE": 0.5, "patterns · LOC": 0.0}
    assert colours["patterns · LOC"] == schema.label("LOC").color
    texts = [i.toPlainText() for i in suggestions.widget.getPlotItem().items
             if isinstance(i, pg.TextItem)]
    assert texts.count("none decided") == 2 and "50%" in texts


def test_cli_json_equals_the_panel(qtbot, project, capsys):
    window = open_window(qtbot, project)
    panel = open_panel(qtbot, window)
    assert cli(["stats", str(project.path), "--json", "--article", "1"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == panel.stats
    assert printed["done_per_day"][-1]["total_done"] == 2
    assert printed["annotators"]["ann"] == {"spans": 6, "events": 1, "articles": 1, "done": 1}


def test_gold_is_its_own_series_and_no_annotator(qtbot, project, capsys):
    """Adjudicated (Review › Adjudicate fills gold with what ann and bob agreed on): the
    corpus's labels stay the annotators' counts, gold stands beside them as "gold
    (adjudicated)", and the Annotators chart lists it last, apart from the people."""
    project.fill_article_gold(1)
    gold = dict(project.conn.execute(
        "SELECT label, count(*) FROM spans WHERE annotator = 'gold' AND state = 'accepted' "
        "AND kind = 'entity' GROUP BY label"))
    assert gold
    window = open_window(qtbot, project)
    panel = open_panel(qtbot, window)
    (_, corpus), (_, article) = panel.charts["Labels"]
    assert [s.name for s in corpus.series] == ["annotators' layers", "gold (adjudicated)"]
    assert drawn(corpus, 0)[0] == {"GPE": 6, "LOC": 1, "ORG": 4, "WEAPON": 2}  # as before gold
    assert {k: v for k, v in drawn(corpus, 1)[0].items() if v} == gold
    assert {k: v for k, v in drawn(article, 1)[0].items() if v} == gold  # all in article 1
    ((_, people),) = panel.charts["Annotators"]
    assert people.names == ["(unnamed)", "ann", "bob", "gold (adjudicated)"]
    assert drawn(people, 0)[0]["gold (adjudicated)"] == sum(gold.values())
    assert "gold" not in people.names
    assert cli(["stats", str(project.path), "--json", "--article", "1"]) == 0
    assert json.loads(capsys.readouterr().out) == panel.stats


def test_tables_save_as_csv_and_charts_as_png(qtbot, project, tmp_path, monkeypatch):
    window = open_window(qtbot, project)
    panel = open_panel(qtbot, window)
    # The button of the Labels tab, as a person saves it.
    target = tmp_path / "mine.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    page = panel.tabs.widget(0).widget()
    next(b for b in page.findChildren(QPushButton) if "CSV" in b.text()).click()
    with target.open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["label", "corpus", "this article"],
            ["GPE", "6", "4"], ["LOC", "1", "1"], ["ORG", "4", "4"], ["WEAPON", "2", "2"]]
    assert said == [f"Saved {target}"]

    written = panel.save_all(tmp_path / "all")
    names = sorted(p.name for p in written)
    assert "suggestions.csv" in names and "progress-per-day.png" in names
    with (tmp_path / "all" / "suggestions.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    gpe = next(r for r in rows if r["label"] == "GPE")
    assert (gpe["accepted"], gpe["rejected"], gpe["precision"]) == ("1", "1", "0.5")
    date = next(r for r in rows if r["label"] == "DATE")
    assert date["open"] == "1" and date["precision"] == ""  # nothing decided: no figure
    for png in (p for p in written if p.suffix == ".png"):
        image = QImage(str(png))
        assert png.stat().st_size > 1000 and image.width() > 200 and image.height() > 150
    tab = panel.save_png("Labels", tmp_path / "labels.png")
    assert QImage(str(tab)).width() > QImage(str(tmp_path / "all" / "labels-corpus.png")).width()


def test_empty_project_says_so(qtbot, store):
    window = open_window(qtbot, store)
    panel = open_panel(qtbot, window)
    ((_, suggestions),) = panel.charts["Suggestions"]
    texts = [i.toPlainText() for i in suggestions.widget.getPlotItem().items
             if isinstance(i, pg.TextItem)]
    assert texts == ["No suggestions yet (Review › Suggest labels…)"]
    assert panel.stats["done_per_day"] == [] and panel.stats["articles"] == 0
    # Progress: both charts say there is nothing yet, and neither axis counts 0.2, 0.4… of it.
    for _, chart in panel.charts["Progress"]:
        item = chart.widget.getPlotItem()
        said = [i.toPlainText() for i in item.items if isinstance(i, pg.TextItem)]
        assert said == ["No article marked done yet"], chart.title
        for side in ("left", "bottom"):  # the ticks the axis draws: none
            assert item.getAxis(side)._tickLevels == [[], []], side


def test_each_tables_rows_show_under_its_charts_at_1000_by_650(qtbot, project):
    project.fill_article_gold(1)  # the Annotators table's fourth row
    window = open_window(qtbot, project)
    panel = open_panel(qtbot, window)
    panel.resize(1000, 650)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        scroll = panel.tabs.currentWidget()
        assert scroll.widget().height() <= scroll.viewport().height(), panel.tabs.tabText(index)
        for table in scroll.widget().findChildren(QTableWidget):
            rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
            assert table.viewport().height() >= min(rows, 4 * table.rowHeight(0)), table.objectName()
        # A legend covers no bar's figure.
        for _, chart in panel.charts[panel.tabs.tabText(index)]:
            item = chart.widget.getPlotItem()
            if item.legend is None:
                continue
            legend = item.legend.sceneBoundingRect()
            figures = [i for i in item.items if isinstance(i, pg.TextItem)]
            assert figures and not [f.toPlainText() for f in figures
                                    if f.sceneBoundingRect().intersects(legend)], chart.title


def test_pngs_are_drawn_dark_on_white_at_twice_the_size_even_on_the_dark_theme(
        qtbot, project, tmp_path):
    from annotator.qt import preferences, theme

    window = open_window(qtbot, project)
    assert theme.apply_theme(preferences.DARK)
    try:
        panel = open_panel(qtbot, window)
        (_, corpus), _ = panel.charts["Labels"]
        assert corpus.widget.backgroundBrush().color().lightness() < 100  # dark on screen
        panel.resize(1000, 650)
        panel.tabs.setCurrentIndex(0)
        qtbot.wait(50)
        written = panel.save_all(tmp_path / "all")
        shown = corpus.widget.size()
        image = QImage(str(tmp_path / "all" / "labels-corpus.png"))
        assert image.width() == 2 * shown.width()
        assert abs(image.height() - 2 * shown.height()) <= 2
        # The corners are paper white; the title's ink is dark somewhere near the top.
        assert image.pixelColor(3, 3).name() == "#ffffff"
        top = [image.pixelColor(x, y).lightness() for x in range(image.width())
               for y in range(0, 80, 2)]
        assert min(top) < 80
        both = QImage(str(panel.save_png("Labels", tmp_path / "labels.png")))
        assert both.width() == sum(2 * c.widget.width() for _, c in panel.charts["Labels"])
        assert len([p for p in written if p.suffix == ".png"]) == 8
    finally:
        theme.apply_theme(preferences.SYSTEM)
