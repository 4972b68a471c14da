"""A big file is parsed in a process of its own (formats/reader_process.py) while the import
writes: the project ends up with the same rows, the report with the same lines, and errors,
another format's annotations and a cancel behave as when the file is read on a thread.

The process path is forced with PROCESS_FROM = 0 (tests' files are small); under pytest the
process is spawned (Qt is loaded), and the command line test runs it forked."""

import json
import multiprocessing
import pickle
import subprocess
import sys

import pytest

import annotator.formats.reader_process as reader_process
from annotator.core.collector import collector_paused
from annotator.formats.detect import detect_format
from annotator.formats.importer import import_paths
from annotator.formats.packed import PackedRecord, packed
from annotator.formats.kept_records import new_article
from annotator.formats.records import ArticleRecord, Cancelled, SpanRecord
from annotator.store import open_project
from annotator.store.articles import text_hash
from tests.conftest import on_disk
from tests.formats.test_import_fields import long_doccano_record

DATA = __import__("pathlib").Path(__file__).resolve().parents[1] / "data"

ROWS = {
    "articles": "SELECT id, ext_id, text_hash, title, text, source, meta, status, n_spans, "
    "n_events, run_id FROM articles ORDER BY id",
    "spans": "SELECT id, article_id, start, end, label, kind, origin, state, score, annotator, "
    "meta FROM spans ORDER BY id",
    "events": "SELECT id, article_id, type, trigger_id, relation, meta FROM events ORDER BY id",
    "arguments": "SELECT event_id, role, span_id, arg_event_id, override FROM event_arguments "
    "ORDER BY id",
    "search": "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Kyiv' ORDER BY rowid",
}


def mixed_doccano(path):
    """Records of every kind a reader reports on: good ones (non-ASCII, meta, a key that goes to
    meta), a line that is not JSON, a span past the text, the same span twice, a duplicate
    text, a record with no text, and doccano's relation example (events by identity)."""
    lines = [
        json.dumps({"id": "a1", "text": "Zelenskyy spoke in Kyiv on Monday.",
                    "label": [[0, 9, "PERSON"], [19, 23, "GPE"]], "source": "afp"}),
        "{not json",
        json.dumps({"text": "Kyiv, Kharkiv and Lviv — Ukraine’s cities.",
                    "label": [[0, 4, "GPE"], [0, 4, "GPE"], [6, 13, "GPE"], [40, 99, "GPE"]],
                    "meta": {"section": "world"}, "sentiment": "neutral"}),
        json.dumps({"text": "Zelenskyy spoke in Kyiv on Monday.", "label": []}),
        json.dumps({"id": 7, "label": [[0, 1, "GPE"]]}),
        json.dumps({"text": "Nothing to label in Kyiv.", "label": [[0, 7, "NEWLABEL"]]}),
    ]
    lines += (DATA / "doccano" / "relation_extraction_example.jsonl").read_text().splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported(tmp_path, name, source, process, monkeypatch, **options):
    monkeypatch.setattr(reader_process, "PROCESS_FROM", 0 if process else 1 << 40)
    store = open_project(tmp_path / f"{name}.db")
    try:
        report = import_paths(store, [source], **options)
        rows = {what: on_disk(store, sql) for what, sql in ROWS.items()}
    finally:
        store.close()
    return report, rows


def test_a_file_read_in_a_process_lands_as_read_on_a_thread(tmp_path, monkeypatch):
    source = mixed_doccano(tmp_path / "mixed.jsonl")
    thread_report, thread_rows = imported(tmp_path, "thread", source, False, monkeypatch)
    process_report, process_rows = imported(tmp_path, "process", source, True, monkeypatch)
    assert process_rows == thread_rows
    assert process_rows["events"] and process_rows["search"]  # both paths were exercised
    # The same lines (the order of fields not read follows a set's, which differs by process).
    assert sorted(process_report.summary().splitlines()) == sorted(
        thread_report.summary().splitlines()
    )
    summary = process_report.summary()
    assert f"{source}:2: not valid JSON" in summary
    assert f"{source}:3: span 40-99" in summary
    assert f"{source}:4: same as article 1 (the same text)" in summary
    assert any('"sentiment": "neutral"' in row[6] for row in process_rows["articles"])
    assert "NEWLABEL" in summary
    assert multiprocessing.active_children() == []


def test_a_broken_file_fails_with_its_line_from_the_process(tmp_path, monkeypatch):
    """A JSON array with a syntax error refuses the whole file, naming the line; raised in
    the reading process, reported here the same way, and nothing is written."""
    source = tmp_path / "broken.json"
    source.write_text('[{"text": "One.", "label": []},\n {"text": "Two." "label": []}]\n')
    thread_report, _ = imported(tmp_path, "thread", source, False, monkeypatch, fmt="doccano")
    report, rows = imported(tmp_path, "process", source, True, monkeypatch, fmt="doccano")
    assert report.failed_files == thread_report.failed_files
    assert report.failed_files[0].startswith(f"{source}:2:")
    assert rows["articles"] == []


def test_another_formats_annotations_found_by_the_process_read_the_file_again(
    tmp_path, monkeypatch
):
    """Detected as JSONL, a later record is doccano's: the reading process raises
    ForeignFormat (pickled with the format to read it in), and the file is read again."""
    source = tmp_path / "late.jsonl"
    # A first record longer than detection looks at, and the doccano one past its look-ahead.
    lines = [json.dumps({"text": long_doccano_record(n_spans=10)["text"], "id": "long"})]
    lines += [json.dumps({"text": f"Article {n} from Kyiv.", "id": f"n{n}"}) for n in range(2000)]
    lines.append(json.dumps({"text": "Kyiv again.", "label": [[0, 4, "GPE"]]}))
    source.write_text("\n".join(lines) + "\n")
    assert detect_format(source) == "jsonl"
    report, rows = imported(tmp_path, "p", source, True, monkeypatch)
    assert f"{source}:2002: 'label' holds doccano annotations: the file was read as doccano" in (
        report.summary()
    )
    assert len(rows["articles"]) == 2002
    assert [(label, start, end) for *_, start, end, label, _, _, _, _, _, _ in rows["spans"]] == [
        ("GPE", 0, 4)
    ]


def test_a_cancel_ends_the_reading_process_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(reader_process, "PROCESS_FROM", 0)
    source = tmp_path / "many.jsonl"
    source.write_text("".join(
        json.dumps({"text": f"Story {n} from Kyiv.", "label": [[14, 18, "GPE"]]}) + "\n"
        for n in range(1200)
    ))
    store = open_project(tmp_path / "p.db")
    try:
        with pytest.raises(Cancelled):
            import_paths(store, [source], progress=lambda done, total: done < 500)
        assert on_disk(store, "SELECT count(*) FROM articles") == [(0,)]
        assert on_disk(store, "SELECT count(*) FROM spans") == [(0,)]
    finally:
        store.close()
    assert multiprocessing.active_children() == []


def test_the_command_line_forks_its_reading_process(tmp_path):
    """`annotator import` runs one thread and no GUI: its reading process is forked."""
    db = tmp_path / "p.db"
    source = mixed_doccano(tmp_path / "mixed.jsonl")
    script = (
        "import sys, annotator.formats.reader_process as r\n"
        "r.PROCESS_FROM = 0\n"
        "chosen = r._context\n"
        "r._context = lambda: print('start method', chosen()._name, file=sys.stderr) or chosen()\n"
        "from annotator.cli import main\n"
        f"sys.exit(main(['import', {str(db)!r}, {str(source)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert "start method fork" in done.stderr, done.stderr
    assert f"{source}:2: not valid JSON" in done.stdout
    conn = __import__("sqlite3").connect(db)
    try:
        assert conn.execute("SELECT count(*), sum(n_spans) FROM articles").fetchone() == (4, 9)
    finally:
        conn.close()


def test_a_packed_record_holds_the_rows_new_article_makes():
    record = ArticleRecord(
        text="\n  Kyiv, Monday.\nThe mayor spoke.",
        where="f.jsonl:3",
        ext_id="k1",
        meta={"source": "Reuters", "tags": ["é"]},
        spans=[SpanRecord(2, 6, "GPE"), SpanRecord(8, 14, "DATE", state="suggested", score=0.5,
                                                    meta={"notes": ["weekday"]})],
    )
    row = packed(record)
    assert isinstance(row, PackedRecord)
    made = new_article(record, text_hash(record.text), record.spans, [])
    assert (row.ext_id, row.digest, row.title, row.text, row.meta, row.status) == (
        made.ext_id, made.text_hash, made.title, made.text, made.meta, made.status)
    assert row.title == "Kyiv, Monday."
    assert row.spans == [tuple(span) for span in made.spans]
    assert row.labels == {("entity", "GPE"), ("entity", "DATE")}
    assert pickle.loads(pickle.dumps(row)) == row
    # Records with events keep their objects: events point at spans by identity.
    from annotator.formats.records import EventRecord

    trigger = SpanRecord(8, 14, "Meet", kind="trigger")
    with_event = ArticleRecord(text="Kyiv, Monday.", where="f:1", spans=[trigger],
                               events=[EventRecord("Meet", trigger)])
    assert packed(with_event) is with_event


def test_the_collector_is_back_on_when_the_last_job_ends():
    import gc

    assert gc.isenabled()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
