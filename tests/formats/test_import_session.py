"""What an import sets up for its batches is put back however it ends: the connection checks
foreign keys again (they are off during the batches, store/import_runs.staging_session) and
has SQLite's page cache again, and
the reading process's receiving thread (formats/reader_process.py) is gone, also when the
process dies or the import stops early."""

import json
import multiprocessing
import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest

import annotator.formats.reader_process as reader_process
from annotator.core.errors import ImportFailed
from annotator.formats.importer import import_paths
from annotator.formats.reader_process import ReadingJob, ReadingProcess
from annotator.formats.records import Cancelled, ImportReport
from annotator.store.import_runs import STAGING_CACHE_KIB
from tests.conftest import on_disk


def _corpus(path, n, padding=""):
    path.write_text("".join(
        json.dumps({"text": f"Story {i} from Kyiv.{padding}", "label": [[14, 18, "GPE"]]})
        + "\n"
        for i in range(n)
    ))
    return path


def _receivers() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "import-receiver"]


def _orphan_span_refused(store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with store.write():
            store.conn.execute(
                "INSERT INTO spans (article_id, start, end, label) VALUES (999999, 0, 1, 'GPE')"
            )


def test_foreign_keys_are_checked_again_after_an_import_and_after_a_cancel(store, tmp_path):
    during = []
    insert = store.insert_new_articles

    def noting(*args, **kwargs):
        during.append(store.conn.execute("PRAGMA cache_size").fetchone()[0])
        return insert(*args, **kwargs)

    store.insert_new_articles = noting
    import_paths(store, [_corpus(tmp_path / "a.jsonl", 300)])
    # A bigger page cache for the batches (STAGING_CACHE_KIB), SQLite's default again after.
    assert during and set(during) == {-STAGING_CACHE_KIB}
    assert store.conn.execute("PRAGMA cache_size").fetchone() == (-2000,)
    assert store.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert store.conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL, as opened
    _orphan_span_refused(store)
    with pytest.raises(Cancelled):
        import_paths(store, [_corpus(tmp_path / "b.jsonl", 1500)],
                     progress=lambda done, total: done < 1000)
    assert store.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    _orphan_span_refused(store)
    assert on_disk(store, "PRAGMA foreign_key_check") == []
    assert on_disk(store, "SELECT count(*), sum(n_spans) FROM articles") == [(300, 300)]


def test_the_receiving_thread_ends_with_the_file_and_with_an_early_stop(store, tmp_path):
    source = _corpus(tmp_path / "c.jsonl", 3000)  # 7 messages (FIRST_RECORDS, SEND_RECORDS)
    job = ReadingJob("doccano", store.schema, {}, source, None, None)
    records = list(ReadingProcess(job, ImportReport()))
    assert len(records) == 3000 and records[-1].text == "Story 2999 from Kyiv."
    assert _receivers() == []
    # Stopped after a few records (a cancel, a failed batch): messages still waiting.
    reading = iter(ReadingProcess(job, ImportReport()))
    assert next(reading).text == "Story 0 from Kyiv."
    reading.close()
    assert _receivers() == [] and multiprocessing.active_children() == []


def test_a_reading_process_that_dies_fails_the_import_naming_the_file(store, tmp_path):
    # 10 MB of text: messages of SEND_CHARS, more than the pipe and the queue hold, so the
    # process is still reading when it is killed.
    source = _corpus(tmp_path / "d.jsonl", 5000, " More." * 330)
    job = ReadingJob("doccano", store.schema, {}, source, None, None)
    process = ReadingProcess(job, ImportReport())
    reading = iter(process)
    next(reading)
    os.kill(process._process.pid, signal.SIGKILL)
    with pytest.raises(ImportFailed, match=f"{source}: the process reading it stopped"):
        for _ in reading:
            pass
    assert _receivers() == [] and multiprocessing.active_children() == []


def test_a_file_read_in_a_process_reports_progress_against_its_line_count(store, tmp_path,
                                                                          monkeypatch):
    # The count is made on a thread while the import starts (importer._LineCount).
    monkeypatch.setattr(reader_process, "PROCESS_FROM", 0)
    reports = []
    import_paths(store, [_corpus(tmp_path / "e.jsonl", 1800)],
                 progress=lambda done, total: reports.append((done, total)) or True)
    assert reports[:3] == [(500, 1800), (1000, 1800), (1500, 1800)]
    assert reports[-1] == (1, 1)  # the files' count at the end, as before
    assert [t.name for t in threading.enumerate() if t.name == "import-line-count"] == []


def _big_stream(path, damage: bytes = b"") -> Path:
    """Doccano lines past the 64 KB json_stream checks before streaming, then `damage`
    inside a record's text, then more lines."""
    lines = [json.dumps({"id": f"r{i}", "text": f"Story {i} from Kyiv. " + "More. " * 40,
                         "label": [[14 + len(str(i)), 18 + len(str(i)), "GPE"]]}).encode()
             for i in range(600)]
    lines[450] = lines[450].replace(b"More.", b"M" + damage + b"re.", 1)
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _imported(tmp_path, name, source, process, monkeypatch):
    monkeypatch.setattr(reader_process, "PROCESS_FROM", 0 if process else 1 << 40)
    project = tmp_path / f"{name}.db"
    from annotator.store import open_project

    store = open_project(project)
    try:
        report = import_paths(store, [source])
    finally:
        store.close()
    conn = sqlite3.connect(project)
    try:
        rows = [conn.execute(sql).fetchall() for sql in (
            "SELECT id, ext_id, text, meta, n_spans FROM articles ORDER BY id",
            "SELECT article_id, start, end, label FROM spans ORDER BY id",  # ids aside
            "SELECT min(id) FROM spans",
        )]
    finally:
        conn.close()
    return report.summary().replace(str(tmp_path), "T"), rows


@pytest.mark.parametrize("damage", [b"\xe9", b"\x00", b""])
def test_a_stream_not_utf8_past_its_head_lands_as_read_whole(tmp_path, monkeypatch, damage):
    """The reading process streams once the head is checked; this process checks the rest
    beside the writing (json_stream.UTF8_CHECKED_ELSEWHERE). A byte that isn't UTF-8, or a
    NUL, further on: the file is read again whole, with the result reading it whole gives."""
    source = _big_stream(tmp_path / "big.jsonl", damage)
    thread = _imported(tmp_path, "thread", source, False, monkeypatch)
    process = _imported(tmp_path, "process", source, True, monkeypatch)
    assert process[0] == thread[0]
    assert process[1][:2] == thread[1][:2]
    if damage == b"":  # plain UTF-8: streamed once, nothing read again (span ids from 1)
        assert process[1][2] == [(1,)] and len(process[1][0]) == 600
    elif damage == b"\x00":
        assert "looks like a binary file" in process[0] and process[1][0] == []
    else:
        assert "T/big.jsonl:451: not UTF-8 (byte 0xe9" in process[0] and process[1][0] == []
    assert _receivers() == [] and multiprocessing.active_children() == []


def test_the_json_stream_formats_are_those_whose_readers_read_through_json_values():
    """JSON_STREAM_FORMATS names the formats whose readers stream from the head in a process
    (json_stream.json_values): a format missing from it is checked whole before streaming
    (slower, still right); a format named wrongly would be checked for nothing."""
    import importlib
    import inspect

    import annotator.formats.builtin  # noqa: F401  (registers the formats)
    from annotator.formats.importer import JSON_STREAM_FORMATS
    from annotator.formats.registry import READERS

    through_json_values = {
        name for name, reader in READERS.items()
        if "json_values(" in inspect.getsource(importlib.import_module(reader.read.split(":")[0]))
    }
    assert through_json_values == JSON_STREAM_FORMATS


def test_a_big_file_in_a_named_encoding_is_read_once(tmp_path, monkeypatch):
    """A Latin-1 CSV imported with its encoding named, big enough for a reading process: read
    once, not thrown away at its end and read again (its ASCII head once made it look like a
    UTF-8 stream that goes wrong further on)."""
    import annotator.formats.importer as importer

    source = tmp_path / "big.csv"
    rows = ["text"] + [
        f"Story {i} from Kyiv caf{'é' if i == 450 else 'e'}. " + "More text. " * 20
        for i in range(600)
    ]
    source.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    assert source.stat().st_size > 64 << 10  # the é is past the head json_stream checks
    writes = []
    real = importer.write_records

    def counted(store, records, report, **kw):
        writes.append(1)
        return real(store, records, report, **kw)

    monkeypatch.setattr(importer, "write_records", counted)
    monkeypatch.setattr(reader_process, "PROCESS_FROM", 0)
    from annotator.store import open_project

    store = open_project(tmp_path / "p.db")
    try:
        import_paths(store, [source], encoding="latin-1")
        texts = [row[0] for row in store.conn.execute("SELECT text FROM articles ORDER BY id")]
    finally:
        store.close()
    assert writes == [1]
    assert len(texts) == 600 and texts[450].startswith("Story 450 from Kyiv café.")


def test_an_interrupt_just_after_a_batch_took_the_lock_puts_everything_back(store, tmp_path):
    """Ctrl+C a second time raises KeyboardInterrupt at once (cli/progress.py), wherever the
    import is: here just after a batch's BEGIN IMMEDIATE, before write()'s block runs. The
    interrupt is what the import raises (not "Safety level may not be changed inside a
    transaction" from putting the staging session's pragmas back while that transaction is
    still open), the transaction is gone, and the connection has its own pragmas again:
    foreign keys checked, a full sync, SQLite's page cache; the full-text index merges as
    often as before (its setting, committed by the import's first pass, put back)."""
    automerge = "SELECT v FROM articles_fts_config WHERE k = 'automerge'"
    begin = store._begin_immediate
    calls, relaxed = [], []

    def interrupted_after_begin():
        begin()
        calls.append(1)
        if len(calls) == 8:  # a batch's, after the run's start, batches and a full-text pass
            relaxed.extend(on_disk(store, automerge))
            raise KeyboardInterrupt

    store._begin_immediate = interrupted_after_begin
    with pytest.raises(KeyboardInterrupt):
        import_paths(store, [_corpus(tmp_path / "a.jsonl", 3000, padding=" x" * 200)])
    store._begin_immediate = begin
    assert len(calls) >= 8 and relaxed  # the case this is about: the index's merging relaxed
    assert not store.conn.in_transaction
    assert store.conn.execute("PRAGMA cache_size").fetchone() == (-2000,)
    assert store.conn.execute("PRAGMA synchronous").fetchone() == (2,)
    assert store.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    _orphan_span_refused(store)
    assert on_disk(store, automerge) == []
    assert on_disk(store, "SELECT count(*) FROM articles WHERE run_id IS NULL") == [(0,)]
