"""Suggestions on every core: nlp.pipe over several processes finds what one process finds,
in the same order, and a cancel stops the processes."""

import multiprocessing
from pathlib import Path

import pytest
import spacy

from annotator.formats.importer import import_paths
from annotator.store import open_project
from annotator.suggest import runner
from annotator.suggest.runner import run_suggestions

HEADLINES = Path(__file__).resolve().parents[1] / "data" / "prodigy-news-headlines.jsonl"


@pytest.fixture
def ruler_model(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "ORG", "pattern": [{"LOWER": "apple"}]},
        {"label": "ORG", "pattern": [{"LOWER": "google"}]},
        {"label": "GPE", "pattern": [{"LOWER": "china"}]},
        {"label": "PERSON", "pattern": [{"LOWER": "trump"}]},
        {"label": "GPE", "pattern": [{"IS_TITLE": True}, {"LOWER": "york"}]},
        # Many: every capitalised word of six letters or more.
        {"label": "PERSON", "pattern": [{"IS_TITLE": True, "LENGTH": {">=": 6}}]},
    ])
    nlp.to_disk(tmp_path / "ruler")
    return tmp_path / "ruler"


def project(path, model):
    store = open_project(path)
    assert import_paths(store, [HEADLINES]).articles == 150
    store.add_source("ruler", "model", str(model), {})
    return store


def suggestions(store):
    return store.conn.execute(
        "SELECT article_id, start, end, label, state, score FROM spans "
        "WHERE origin = 'suggest:ruler' ORDER BY id").fetchall()


def test_two_processes_suggest_what_one_does(tmp_path, ruler_model, monkeypatch):
    monkeypatch.setattr(runner, "PARALLEL_FROM", 0)  # 150 headlines: parallel all the same
    before = set(multiprocessing.active_children())  # another test's worker may still end
    one, two = project(tmp_path / "one.db", ruler_model), project(tmp_path / "two.db", ruler_model)
    try:
        a = run_suggestions(one, "ruler", jobs=1)
        b = run_suggestions(two, "ruler", jobs=2)
        assert (a.processes, b.processes) == (1, 2)
        assert "(2 processes)" in b.summary()
        assert b.articles == a.articles == 150 and b.labels == a.labels
        found = suggestions(one)
        assert len(found) == a.suggestions > 20
        assert suggestions(two) == found
    finally:
        one.close()
        two.close()
    assert set(multiprocessing.active_children()) <= before


def test_a_cancel_stops_the_processes(tmp_path, ruler_model, monkeypatch):
    monkeypatch.setattr(runner, "PARALLEL_FROM", 0)
    monkeypatch.setattr(runner, "BATCH", 8)
    before = set(multiprocessing.active_children())
    store = project(tmp_path / "p.db", ruler_model)
    try:
        report = run_suggestions(store, "ruler", jobs=2, progress=lambda done, total, ids: False)
        assert report.cancelled and 0 < report.articles < 150
        # Whole articles only: every suggested article is one the report counts.
        suggested = {row[0] for row in suggestions(store)}
        assert len(suggested) <= report.articles
    finally:
        store.close()
    assert set(multiprocessing.active_children()) <= before
