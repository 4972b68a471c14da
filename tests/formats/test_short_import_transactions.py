"""An import commits a batch at a time, so another writer never waits for a whole file, and
still nobody sees any of a file until all of it is in: a failed, cancelled or killed import
leaves nothing visible, and what a killed one left is removed by the next open or import."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from annotator.core.model import ArticleFilter
from annotator.formats.importer import import_paths
from annotator.formats.record_writer import BATCH
from annotator.formats.records import Cancelled
from annotator.store import open_project
from tests.conftest import on_disk

N = 3 * BATCH + 200  # several batches: they are at most BATCH and sized to a few ms each
HALF = 2 * BATCH  # records read when the tests look in mid-import


def corpus(path, n=N, prefix="a", label="PERSON", last=None, padding=""):
    """n articles that all mention 'drone' and carry one span; `last` replaces the final one."""
    lines = [
        json.dumps({"id": f"{prefix}{i}", "text": f"Drone report {prefix} {i} from Baghdad.{padding}",
                    "spans": [{"start": 0, "end": 5, "label": label}]})
        for i in range(n)
    ]
    if last is not None:
        lines[-1] = json.dumps(last)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seen_by(path):
    """Everything a reader on another connection can see of the project's articles."""
    other = open_project(path)
    try:
        rows = other.article_rows(None, 0, 10_000)
        last = rows[-1].id if rows else 0
        return {
            "count": other.count_articles(),
            "statuses": sum(other.status_counts().values()),
            "rows": len(rows),
            "search": other.count_articles(ArticleFilter(query="drone")),
            "position of the last": other.position(last) if last else 0,
            "labels": other.label_counts(),
            "usage": other.label_usage(),
            "export": len(other.export_ids(done_only=False)),
            "texts": sum(1 for _ in other.iter_texts()),
            "duplicate": other.find_duplicate("a1", "x"),
            "open suggestions": len(other.open_suggestions()),
            "schema has NEWLABEL": other.schema.label("NEWLABEL") is not None,
        }
    finally:
        other.close()


NOTHING = {"count": 0, "statuses": 0, "rows": 0, "search": 0, "position of the last": 0,
           "labels": {}, "usage": {}, "export": 0, "texts": 0, "duplicate": None,
           "open suggestions": 0, "schema has NEWLABEL": False}


def test_mid_import_another_connection_sees_none_of_the_file_and_can_write(store, tmp_path):
    path = corpus(tmp_path / "big.jsonl", label="NEWLABEL")
    seen = []

    def progress(done, total):
        if done == HALF:  # batches are committed, invisible
            staged = on_disk(store, "SELECT count(*) FROM articles")[0][0]
            seen.append((staged, seen_by(store.path)))
            # No transaction is open between batches: a writer that won't wait at all gets in.
            conn = sqlite3.connect(store.path, timeout=0, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO meta(key, value) VALUES ('between batches', 'yes')")
            conn.execute("COMMIT")
            conn.close()
        return True

    report = import_paths(store, [path], progress=progress)

    (staged, mid), = seen
    assert 0 < staged <= HALF  # batches are on disk ...
    assert mid == NOTHING  # ... and nobody sees them
    assert report.articles == N
    after = seen_by(store.path)
    assert after["count"] == after["rows"] == after["search"] == after["export"] == N
    assert after["position of the last"] == N
    assert after["labels"] == {"NEWLABEL": N} and after["schema has NEWLABEL"]
    assert store.get_meta("between batches") == "yes"


def test_a_writer_waits_at_most_about_a_batch_while_an_import_runs_in_a_thread(store, tmp_path):
    # 3 KB articles: written in one transaction, this file would hold the lock for seconds.
    path = corpus(tmp_path / "big.jsonl", n=6 * BATCH, padding=" The strike hit a convoy." * 120)
    article = store.insert_article_row("Someone's article.", title="t", ext_id=None,
                                       digest="d", meta={}, source="hand")
    waits, failures = [], []

    def run_import():
        own = open_project(store.path)
        try:
            import_paths(own, [path])
        except Exception as error:  # reported below, not lost in the thread
            failures.append(error)
        finally:
            own.close()

    worker = threading.Thread(target=run_import)
    worker.start()
    while worker.is_alive():
        start = time.perf_counter()
        store.set_status(article, "in_progress" if len(waits) % 2 else "new")
        waits.append(time.perf_counter() - start)
        time.sleep(0.005)
    worker.join()
    assert not failures
    assert store.count_articles() == 6 * BATCH + 1
    assert len(waits) > 5
    # A batch of 1,000 small articles holds the lock some tens of ms; the whole file, seconds.
    # One batch holds the lock about 20 ms (more on a busy machine); the whole file, seconds.
    assert max(waits) < 0.3, sorted(waits)[-5:]


def test_a_failed_file_leaves_nothing_on_disk(store, tmp_path):
    bad_last = {"text": "Drone strike at the end.", "spans": [{"start": 0, "end": 5, "label": "NOPE"}]}
    path = corpus(tmp_path / "big.jsonl", last=bad_last)
    before = on_disk(store, "SELECT key, value FROM meta ORDER BY key")

    report = import_paths(store, [path], unknown_labels="error")

    assert report.failed_files and "NOPE" in report.failed_files[0]
    assert on_disk(store, "SELECT count(*) FROM articles") == [(0,)]
    assert on_disk(store, "SELECT count(*) FROM spans") == [(0,)]
    assert on_disk(store, "SELECT count(*) FROM import_runs") == [(0,)]
    assert on_disk(store, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'drone'") == [(0,)]
    assert on_disk(store, "SELECT key, value FROM meta ORDER BY key") == before


def test_a_cancelled_import_leaves_nothing_on_disk(store, tmp_path):
    path = corpus(tmp_path / "big.jsonl")
    with pytest.raises(Cancelled):
        import_paths(store, [path], progress=lambda done, total: done < HALF)
    assert on_disk(store, "SELECT count(*) FROM articles") == [(0,)]
    assert on_disk(store, "SELECT count(*) FROM spans") == [(0,)]
    assert on_disk(store, "SELECT count(*) FROM import_runs") == [(0,)]


KILLED_IMPORT = r"""
import sys, time
from annotator.formats.importer import import_paths
from annotator.store import open_project
store = open_project(sys.argv[1])
def progress(done, total):
    if done == 2000:
        print("staged", flush=True)
        time.sleep(60)
    return True
import_paths(store, [sys.argv[2]], progress=progress)
"""


def killed_import(tmp_path, project):
    """An import of `project` (a path) in a process killed with SIGKILL after two batches."""
    path = corpus(tmp_path / "big.jsonl")
    child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(project), str(path)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "staged"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    left = sqlite3.connect(project)
    assert left.execute("SELECT count(*) FROM articles").fetchone()[0] > 0  # left behind
    left.close()


def test_a_killed_import_leaves_nothing_visible_and_the_next_open_removes_it(store, tmp_path):
    project = store.path
    store.close()
    killed_import(tmp_path, project)

    reopened = open_project(project)
    try:
        assert reopened.count_articles() == 0
        assert on_disk(reopened, "SELECT count(*) FROM articles") == [(0,)]
        assert on_disk(reopened, "SELECT count(*) FROM spans") == [(0,)]
        assert on_disk(reopened, "SELECT count(*) FROM import_runs") == [(0,)]
    finally:
        reopened.close()


def test_what_a_killed_import_left_is_invisible_to_a_window_open_before_and_the_next_import_removes_it(
        store, tmp_path):
    killed_import(tmp_path, store.path)
    assert store.count_articles() == 0 and store.article_rows() == []

    report = import_paths(store, [corpus(tmp_path / "other.jsonl", n=10, prefix="b")])

    assert report.articles == 10
    assert on_disk(store, "SELECT count(*) FROM articles") == [(10,)]
    assert on_disk(store, "SELECT count(*) FROM import_runs WHERE state = 'staging'") == [(0,)]


def test_the_same_file_imported_twice_at_once_lands_once(store, tmp_path):
    path = corpus(tmp_path / "big.jsonl")
    second, staged = [], []

    def progress(done, total):
        if done == HALF and not second:  # the first import is half-way
            staged.append(on_disk(store, "SELECT count(*) FROM articles")[0][0])
            other = open_project(store.path)
            second.append(import_paths(other, [path]))
            other.close()
        return True

    first = import_paths(store, [path], progress=progress)

    assert first.articles + second[0].articles == N
    assert on_disk(store, "SELECT count(*) FROM articles") == [(N,)]
    assert on_disk(store, "SELECT count(DISTINCT text_hash) FROM articles") == [(N,)]
    held = [d for d in second[0].duplicates if "another import, still running" in d]
    assert len(held) == staged[0] > 0  # what the first had staged is reported, not added again


def test_two_imports_at_once_get_distinct_ids_and_both_land_whole(store, tmp_path):
    a, b = corpus(tmp_path / "a.jsonl"), corpus(tmp_path / "b.jsonl", prefix="b", n=1500)
    inner = []

    def progress(done, total):
        if done == HALF and not inner:
            other = open_project(store.path)
            inner.append(import_paths(other, [b]))
            other.close()
        return True

    outer = import_paths(store, [a], progress=progress)

    assert (outer.articles, inner[0].articles) == (N, 1500)
    ids = [row[0] for row in on_disk(store, "SELECT id FROM articles ORDER BY id")]
    assert len(ids) == len(set(ids)) == N + 1500
    by_source = dict(on_disk(store, "SELECT source, count(*) FROM articles GROUP BY source"))
    assert by_source == {"a.jsonl": N, "b.jsonl": 1500}
    assert store.count_articles() == N + 1500


def test_a_label_added_by_hand_during_an_import_is_kept_when_the_import_adds_its_own(store, tmp_path):
    path = corpus(tmp_path / "big.jsonl", label="NEWLABEL")

    def progress(done, total):
        if done == HALF:
            other = open_project(store.path)
            other.add_label("BYHAND")
            other.close()
        return True

    import_paths(store, [path], progress=progress)

    schema = open_project(store.path).schema
    assert schema.label("BYHAND") is not None and schema.label("NEWLABEL") is not None


@pytest.mark.parametrize("exporter", ["jsonl", "spacy"])
def test_an_export_holds_no_lock_and_no_snapshot_while_it_runs(store, tmp_path, exporter):
    from annotator.formats.jsonl.writer import export_jsonl
    from annotator.formats.spacy.writer import export_spacy

    import_paths(store, [corpus(tmp_path / "small.jsonl", n=120)])
    checked = []

    def progress(done, total):
        if done == 50:
            other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # no write lock held by the export
            other.execute("INSERT INTO meta(key, value) VALUES ('during export', 'yes')")
            other.execute("COMMIT")
            # A checkpoint that must wait for every reader finishes at once: the export keeps
            # no read transaction open between its pages.
            checked.append(other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0])
            other.close()
        return True

    if exporter == "jsonl":
        export_jsonl(store, tmp_path / "out.jsonl", progress=progress)
    else:
        export_spacy(store, tmp_path / "out", progress=progress)
    assert checked == [0]  # 0: not blocked


def test_a_killed_import_whose_pid_now_belongs_to_another_process_is_still_removed(store, tmp_path):
    project = store.path
    store.close()
    killed_import(tmp_path, project)
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(1.5)  # the run is older than the stranger by more than a second ...
        conn = sqlite3.connect(project)
        conn.execute("UPDATE import_runs SET pid = ?, started = started - 5", (stranger.pid,))
        conn.commit()
        conn.close()

        reopened = open_project(project)  # ... which took the dead import's pid
        assert on_disk(reopened, "SELECT count(*) FROM articles") == [(0,)]
        reopened.close()
    finally:
        stranger.kill()
        stranger.wait()


def test_an_import_running_in_another_process_is_left_alone(store, tmp_path):
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.2)
        conn = sqlite3.connect(store.path)
        conn.execute("INSERT INTO import_runs (source, state, pid, host, started) "
                     "VALUES ('x.jsonl', 'staging', ?, ?, ?)",
                     (owner.pid, socket.gethostname(), time.time()))
        conn.commit()
        conn.close()

        open_project(store.path).close()
        assert on_disk(store, "SELECT state FROM import_runs") == [("staging",)]
    finally:
        owner.kill()
        owner.wait()


def test_a_label_removed_during_an_import_that_uses_it_comes_back_with_the_import(store, tmp_path):
    store.add_label("TEMP")
    path = corpus(tmp_path / "big.jsonl", label="TEMP")

    def progress(done, total):
        if done == HALF:
            other = open_project(store.path)
            other.remove_schema_name("TEMP")  # no visible annotation uses it yet
            other.add_label("BYHAND")
            other.close()
        return True

    import_paths(store, [path], progress=progress)

    after = open_project(store.path)
    assert after.schema.label("TEMP") is not None and after.schema.label("BYHAND") is not None
    assert after.label_counts() == {"TEMP": N}
    after.close()
