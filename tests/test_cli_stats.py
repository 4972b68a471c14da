"""`annotator stats`: progress per day and per annotator in the text, every table as CSV with
--csv, and a clear message for an article the project does not have."""

import csv

from annotator.cli import main
from annotator.core.layers import GOLD
from annotator.core.statistics import GOLD_SERIES, gather, tables
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.conftest import on_disk


def test_stats_text_csv_and_a_missing_article(tmp_path, capsys):
    store = open_project(tmp_path / "p.db")
    two_layers(store)
    store.set_status(1, "done")
    store.close()
    folder = tmp_path / "tables"
    assert main(["stats", str(tmp_path / "p.db"), "--csv", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Articles done per day" in out and "(total 1)" in out
    assert "ann          6 span(s), 1 event(s), 1 article(s), 1 done" in out
    assert "Wrote 6 CSV file(s)" in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "annotators.csv", "event_roles.csv", "events.csv", "labels.csv", "progress.csv",
        "suggestions.csv"]
    with (folder / "annotators.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["annotator", "spans", "events", "articles", "articles done"],
            ["ann", "6", "1", "1", "1"], ["bob", "5", "1", "1", "1"]]
    with (folder / "event_roles.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1:] == [
            ["Attack", "Instrument", "1"], ["Attack", "Place", "2"], ["Attack", "Target", "2"]]

    assert main(["stats", str(tmp_path / "p.db"), "--article", "7"]) == 1
    err = capsys.readouterr().err
    assert "p.db: no article 7" in err and "Traceback" not in err


def test_status_time_is_when_the_status_was_set_not_the_last_span(tmp_path):
    """Articles done per day count an article on the day it was marked done: labelling it
    afterwards (a late fix) does not move it."""
    store = open_project(tmp_path / "p.db")
    two_layers(store)
    store.set_status(1, "done")
    marked = store.conn.execute("SELECT updated FROM articles WHERE id = 1").fetchone()[0]
    text = store.article(1).text
    span = next(s for s in store.spans(1) if text[s.start : s.end] == "Iraq")  # fills no role
    store.delete_span(span.id)
    assert store.conn.execute("SELECT updated FROM articles WHERE id = 1").fetchone()[0] == marked
    store.close()


def test_gold_is_not_counted_as_more_labelled_names(store, capsys):
    """Gold is the adjudicated copy of what the annotators agreed on, not a third person's
    work: filling it adds no labelled name or event to the corpus; it is shown apart."""
    two_layers(store)
    before = gather(store)
    store.fill_article_gold(1)
    after = gather(store)
    gold_spans = on_disk(store, "SELECT count(*) FROM spans WHERE annotator = ? AND kind = 'entity'"
                         " AND state = 'accepted'", GOLD)[0][0]
    assert gold_spans > 0
    assert after["spans"] == before["spans"], (before["spans_per_label"], after["spans_per_label"])
    assert after["spans_per_label"] == before["spans_per_label"]
    assert after["events"] == before["events"]
    assert after["events_per_type"] == before["events_per_type"]
    assert after["arguments_per_role"] == before["arguments_per_role"]
    # Gold apart: its own figures, and no annotator called gold.
    assert sorted(after["annotators"]) == ["ann", "bob"]
    assert after["gold"]["spans"] == gold_spans == sum(after["gold"]["spans_per_label"].values())
    labels, _, _, _, people, _ = tables(after)
    assert labels.columns == ("label", "corpus", "this article", GOLD_SERIES)
    assert [row[0] for row in people.rows] == ["ann", "bob", GOLD_SERIES]
    # `annotator stats` says the same, gold on its own line.
    assert main(["stats", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert f"Accepted entity spans: {before['spans']}" in out
    assert f"{GOLD_SERIES}: {gold_spans} span(s)" in out
