"""What made the import of a big file quicker keeps its answers: the doccano reader's quick way
for plain [start, end, label] items, the store's span rows built a column at a time, the
full-text index merging less often during an import (and put back after), and the command
starting without the modules (and numpy, ColorAide) it doesn't use."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import annotator.formats.record_writer as record_writer
from annotator.core.model import ACCEPTED, TRIGGER
from annotator.formats.importer import import_paths
from annotator.formats.record_writer import write_records
from annotator.formats.records import ArticleRecord, EventRecord, ImportReport, SpanRecord
from annotator.store.import_runs import IMPORT_AUTOMERGE
from tests.conftest import on_disk

ROOT = Path(__file__).resolve().parents[2]


def test_doccano_label_items_odd_and_plain(store, tmp_path):
    """Each item is kept or refused as the full checks decide: a whole float is an offset, a
    bool or a fraction is not, a label must be a name (a number is read as one), a string is
    a category; a record beside them with plain items is read whole."""
    path = tmp_path / "odd.jsonl"
    records = [
        {"text": "Alice met Bob in Paris.", "label": [[0, 5, "PERSON"], [17, 22, "GPE"]]},
        {"text": "Floats 3.0 and bools.", "label": [
            [0.0, 6.0, "ORG"], [True, 6, "ORG"], [0, 6, ""], [0, 6, "  "], [0.5, 6, "ORG"],
            [7, 10, 7], "SPORT", [0, 6, "ORG", 1], [0, 99, "ORG"]]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = import_paths(store, [path])
    assert report.ok and (report.articles, report.spans) == (2, 4)
    assert report.skipped == [
        f"{path}:2: label {n} is not [start, end, label]" for n in (2, 3, 4, 5, 8)
    ] + [f"{path}:2: span 0-99 ORG is outside the text (length 21)"]
    assert on_disk(store, "SELECT article_id, start, end, label, typeof(start) FROM spans "
                          "ORDER BY id") == [
        (1, 0, 5, "PERSON", "integer"), (1, 17, 22, "GPE", "integer"),
        (2, 0, 6, "ORG", "integer"), (2, 7, 10, "7", "integer")]
    assert store.article(2).meta == {"categories": ["SPORT"]}


def test_span_rows_of_a_batch_with_and_without_events_keep_their_articles(store):
    """Articles with events (spans written one by one) between articles without (spans in
    the batch's statements): every span lands on its own article, with its own values."""
    def plain(n: int) -> ArticleRecord:
        return ArticleRecord(f"Plain article {n} about Basra.", f"f:{n}", spans=[
            SpanRecord(0, 5, "ORG"), SpanRecord(24, 29, "GPE", state="rejected")])

    trigger = SpanRecord(0, 6, "Attack", kind=TRIGGER)
    with_event = ArticleRecord("Strike on the base.", "f:e", spans=[trigger],
                               events=[EventRecord("Attack", trigger)])
    report = ImportReport()
    write_records(store, [plain(1), with_event, plain(2), plain(3)], report, source="f")
    assert (report.articles, report.spans, report.events) == (4, 4, 1)
    assert on_disk(store, "SELECT article_id, start, end, label, kind, state FROM spans "
                          "ORDER BY article_id, start") == [
        (1, 0, 5, "ORG", "entity", ACCEPTED), (1, 24, 29, "GPE", "entity", "rejected"),
        (2, 0, 6, "Attack", "trigger", ACCEPTED),
        (3, 0, 5, "ORG", "entity", ACCEPTED), (3, 24, 29, "GPE", "entity", "rejected"),
        (4, 0, 5, "ORG", "entity", ACCEPTED), (4, 24, 29, "GPE", "entity", "rejected")]
    assert on_disk(store, "SELECT id, n_spans, status FROM articles ORDER BY id") == [
        (1, 1, "in_progress"), (2, 1, "in_progress"), (3, 1, "in_progress"),
        (4, 1, "in_progress")]


def _automerge(store):
    return on_disk(store, "SELECT v FROM articles_fts_config WHERE k = 'automerge'")


@pytest.fixture
def small_passes(monkeypatch):
    """Full-text passes of a few articles (the first after 200 characters)."""
    monkeypatch.setattr(record_writer, "FIRST_CHARS", 200)
    monkeypatch.setattr(record_writer, "FIRST_BATCH", 2)


def reports(seen: list, store, n: int):
    """n articles; what another connection sees of the index's setting before each."""
    for i in range(n):
        seen.append(_automerge(store))
        yield ArticleRecord(f"Report {i} from Kirkuk, where the protests went on.", f"f:{i}")


def test_the_full_text_index_merges_less_during_an_import_only(store, small_passes):
    seen: list = []
    write_records(store, reports(seen, store, 40), ImportReport(), source="f")
    # Nothing changed before the first pass; from it on, until the batches' end.
    assert seen[0] == [] and seen[-1] == [(IMPORT_AUTOMERGE,)]
    assert _automerge(store) == []  # as before: FTS5's default, no row
    assert on_disk(store, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH "
                          "'kirkuk'") == [(40,)]


def test_a_small_file_leaves_the_setting_untouched(store):
    seen: list = []
    write_records(store, reports(seen, store, 3), ImportReport(), source="f")
    assert seen == [[], [], []] and _automerge(store) == []


def test_a_merging_setting_of_its_own_is_left_alone(store, small_passes):
    with store.write():
        store.conn.execute("INSERT INTO articles_fts (articles_fts, rank) "
                           "VALUES ('automerge', 2)")
    seen: list = []
    write_records(store, reports(seen, store, 40), ImportReport(), source="f")
    assert seen[-1] == [(2,)] and _automerge(store) == [(2,)]


def test_the_import_command_starts_without_what_it_does_not_use(tmp_path):
    """No other subcommand's module, no training checks, no numpy (sqlite-utils asks for it),
    no ColorAide when no label is added; the articles are imported all the same."""
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"text": "Alice met Bob in Paris.", "label": [[0, 5, "PERSON"]]})
                    + "\n", encoding="utf-8")
    db = tmp_path / "news.db"
    check = (
        "import sys; from annotator.cli import main; code = main(['import', sys.argv[1], "
        "sys.argv[2]]); print(sorted(m for m in ('numpy', 'coloraide', 'spacy', "
        "'annotator.cli.train', 'annotator.cli.adjudicate', 'annotator.cli.exporting', "
        "'annotator.suggest.train_check') if m in sys.modules)); sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", check, str(db), str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    assert "Imported 1 article(s) with 1 span(s)" in result.stdout


def test_sqlite_utils_gets_numpy_only_when_it_is_there_already():
    check = (
        "import sys; import annotator.store; assert 'numpy' not in sys.modules; "
        "import numpy, sqlite_utils.db as d; assert d.np is None; print('without')"
    )
    first = ("import numpy, sys; import annotator.store, sqlite_utils.db as d; "
             "assert d.np is numpy; print('with')")
    for code, said in ((check, "without"), (first, "with")):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0 and result.stdout.strip() == said, result.stderr
