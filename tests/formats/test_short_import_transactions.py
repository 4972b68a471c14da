"""An import commits a batch at a time, so another writer never waits for a whole file, and
still nobody sees any of a file until all of it is in: a failed, cancelled or killed import
leaves nothing visible, and what a killed one left is removed by the next import (never by an
open: it must work on a full disk and stay quick)."""

import io
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

from annotator.core.errors import EditRefused, ImportFailed
from annotator.core.model import SUGGESTED, ArticleFilter
from annotator.formats.importer import import_paths
from annotator.formats.record_writer import BATCH, write_records
from annotator.formats.records import ArticleRecord, Cancelled, ImportReport, SpanRecord
from annotator.store import open_project
from tests.conftest import on_disk
from tests.timing import slack

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
    assert max(waits) < 0.3 * slack(), sorted(waits)[-5:]


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


def test_a_killed_import_leaves_nothing_visible_the_open_leaves_it_and_the_next_import_removes_it(
        store, tmp_path):
    project = store.path
    store.close()
    killed_import(tmp_path, project)
    left = on_disk_counts(project)

    reopened = open_project(project)
    try:
        assert reopened.count_articles() == 0 and reopened.article_rows() == []
        assert on_disk_counts(project) == left  # the open wrote nothing: quick, and fine on a full disk
        import_paths(reopened, [corpus(tmp_path / "other.jsonl", n=10, prefix="b")])
        assert reopened.count_articles() == 10
        assert on_disk(reopened, "SELECT count(*) FROM articles") == [(10,)]
        assert on_disk(reopened, "SELECT count(*) FROM spans") == [(10,)]
        assert on_disk(reopened, "SELECT state FROM import_runs") == [("published",)]
    finally:
        reopened.close()


def on_disk_counts(project):
    conn = sqlite3.connect(project)
    try:
        return [conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "spans", "import_runs")]
    finally:
        conn.close()


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
        conn.execute("UPDATE import_runs SET pid = ?", (stranger.pid,))
        conn.commit()
        conn.close()

        reopened = open_project(project)  # ... which took the dead import's pid
        assert reopened.remove_abandoned_imports() == 1  # as the next import does first
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
        conn.execute("INSERT INTO import_runs (source, state, pid, host, started, heartbeat) "
                     "VALUES ('x.jsonl', 'staging', ?, ?, ?, ?)",
                     (owner.pid, socket.gethostname(), time.time(), time.time()))
        conn.commit()
        conn.close()

        other = open_project(store.path)
        assert other.remove_abandoned_imports() == 0  # as the next import does first
        other.close()
        assert on_disk(store, "SELECT state FROM import_runs") == [("staging",)]
    finally:
        owner.kill()
        owner.wait()


def test_a_label_is_not_removed_during_an_import_but_one_can_be_added(store, tmp_path):
    store.add_label("TEMP")
    path = corpus(tmp_path / "big.jsonl", label="TEMP")
    refused = []

    def progress(done, total):
        if done == HALF:
            other = open_project(store.path)
            try:
                other.remove_schema_name("TEMP")  # no visible annotation uses it yet
            except EditRefused as error:
                refused.append(str(error))
            other.add_label("BYHAND")
            other.close()
        return True

    import_paths(store, [path], progress=progress)

    assert refused == [f"{store.path}: an import (big.jsonl) is running; remove TEMP once it "
                       "has finished"]
    after = open_project(store.path)
    assert after.schema.label("TEMP") is not None and after.schema.label("BYHAND") is not None
    assert after.label_counts() == {"TEMP": N}
    after.close()


# -- regressions found in review (issue 10) ---------------------------------------------------


def test_a_rename_during_an_import_is_refused_so_all_of_its_spans_keep_one_name(store, tmp_path):
    """Staged batches would get the new name and later ones keep the old: one import under two
    names, and the old label back in the schema at publish."""
    other = open_project(store.path)  # the CLI's `schema --rename`, another connection
    refused = []

    def records():
        for n in range(400):
            if n == 200:  # midway, between two batches
                try:
                    other.rename_schema_name("PERSON", "HUMAN")
                except EditRefused as error:
                    refused.append(str(error))
            yield ArticleRecord(f"Article {n}: Alice Smith spoke.", f"f.jsonl:{n + 1}",
                                spans=[SpanRecord(12, 23, "PERSON")])

    write_records(store, records(), ImportReport(), source="news.jsonl")

    assert refused == [f"{store.path}: an import (news.jsonl) is running; rename PERSON once "
                       "it has finished"]
    assert on_disk(store, "SELECT label, count(*) FROM spans GROUP BY label") == [("PERSON", 400)]
    assert other.rename_schema_name("PERSON", "HUMAN") == 400  # once it has finished
    assert on_disk(store, "SELECT label, count(*) FROM spans GROUP BY label") == [("HUMAN", 400)]
    other.close()


def test_a_label_removed_during_an_import_would_take_its_staged_suggestions(store, tmp_path):
    other = open_project(store.path)
    label = store.schema.entities[-1].name
    refused = []

    def records():
        for n in range(300):
            if n == 150:
                try:
                    other.remove_schema_name(label)
                except EditRefused as error:
                    refused.append(str(error))
            yield ArticleRecord(f"Article {n}: Basra again.", f"f:{n + 1}",
                                spans=[SpanRecord(12, 17, label, state=SUGGESTED, score=0.9)])

    report = ImportReport()
    write_records(store, records(), report, source="f.jsonl")

    assert len(refused) == 1 and "an import (f.jsonl) is running" in refused[0]
    assert report.spans == 300
    assert on_disk(store, "SELECT count(*) FROM spans WHERE state = 'suggested'") == [(300,)]
    other.close()


def test_a_schema_merge_or_replace_during_an_import_is_refused(store, tmp_path):
    other = open_project(store.path)
    refused = []

    def records():
        for n in range(200):
            if n == 100:
                for change in (lambda: other.merge_schema(other.schema),
                               lambda: other.replace_schema(other.schema)):
                    try:
                        change()
                    except EditRefused as error:
                        refused.append(str(error))
            yield ArticleRecord(f"Article {n}.", f"f:{n + 1}")

    write_records(store, records(), ImportReport(), source="f.jsonl")

    assert [r.split("; ")[1] for r in refused] == [
        "merge the schema once it has finished", "replace the schema once it has finished"]
    other.merge_schema(other.schema)  # once it has finished: accepted
    other.close()


IMPORTER_PAUSED = """
import sys, time
from pathlib import Path
from annotator.formats.record_writer import write_records
from annotator.formats.records import ArticleRecord, ImportReport
from annotator.store import open_project
go = Path(sys.argv[2])
store = open_project(sys.argv[1])
def records():
    for n in range(300):
        if n == 100:
            print("paused", flush=True)
            while not go.exists():
                time.sleep(0.01)
        yield ArticleRecord(f"Article number {n} of the big file.", f"big.jsonl:{n + 1}")
try:
    write_records(store, records(), ImportReport(), source="big.jsonl")
    print("published", flush=True)
except Exception as error:
    print("failed:", error, flush=True)
"""


def test_a_wall_clock_step_does_not_make_a_live_import_in_another_process_abandoned(
        store, tmp_path, monkeypatch):
    """The owner's start was compared with the wall clock: a step forward of a few seconds
    (NTP after a VM resumes) while a CLI import ran made the next import delete the live
    import's rows; the import went on writing under a run that no longer existed, visible."""
    from annotator.store import import_runs

    go = tmp_path / "go"
    child = subprocess.Popen([sys.executable, "-c", IMPORTER_PAUSED, str(store.path), str(go)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "paused"
        real_open = open

        def stepped_open(name, *args, **kwargs):  # the boot time as read after a 5 s step
            handle = real_open(name, *args, **kwargs)
            if name != "/proc/stat":
                return handle
            text = "".join(f"btime {int(line.split()[1]) + 5}\n" if line.startswith("btime")
                           else line for line in handle)
            handle.close()
            return io.StringIO(text)

        monkeypatch.setattr(import_runs, "open", stepped_open, raising=False)
        # The window imports a small file meanwhile: the import's start removes abandoned runs.
        import_paths(store, [corpus(tmp_path / "small.jsonl", n=5, prefix="s")])
        seen = []
        go.touch()
        while child.poll() is None:
            seen.append(store.count_articles())
            time.sleep(0.005)
        out = child.communicate(timeout=60)[0]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "published" in out, out
    assert set(seen) <= {5, 305}, "readers saw half an import"
    assert store.count_articles() == 305


def test_another_store_cleaning_up_just_as_an_import_starts_leaves_it_alone(
        store, tmp_path, monkeypatch):
    """The run's row was committed, then added to this process's live runs: another thread's
    import starting in between took it for abandoned and deleted its row."""
    from annotator.store import import_runs

    other = open_project(store.path)  # another thread's store (a backup, an export, an import)

    class CleanedMeanwhile(set):
        done = False

        def add(self, item):
            if not self.done:
                self.done = True
                other.remove_abandoned_imports()  # another import starting: its cleanup
            super().add(item)

    monkeypatch.setattr(import_runs, "_ACTIVE", CleanedMeanwhile())
    window = open_project(store.path)
    seen = []

    def records():
        for n in range(300):
            if n % 50 == 0:
                seen.append(window.count_articles())
            yield ArticleRecord(f"Article {n} of the file.", f"f:{n + 1}")

    write_records(store, records(), ImportReport(), source="f.jsonl")

    assert set(seen) == {0}, "readers saw part of an import"
    assert window.count_articles() == 300
    window.close()
    other.close()


def test_a_batch_of_a_run_that_was_removed_fails_and_writes_nothing_visible(store, tmp_path):
    """Its rows would carry the id of a run that no longer exists: visible to every reader."""
    seen, failed = [], []

    def records():
        for n in range(300):
            if n == 100:  # another program takes the run for abandoned and removes it
                conn = sqlite3.connect(store.path)
                conn.execute("DELETE FROM articles")
                conn.execute("DELETE FROM import_runs")
                conn.commit()
                conn.close()
            if n % 20 == 0:
                seen.append(store.count_articles())
            yield ArticleRecord(f"Article {n} of the file.", f"f:{n + 1}")

    try:
        write_records(store, records(), ImportReport(), source="f.jsonl")
    except ImportFailed as error:
        failed.append(str(error))
    assert len(failed) == 1 and "import the file again" in failed[0]
    assert set(seen) == {0}
    assert on_disk(store, "SELECT count(*) FROM articles") == [(0,)]


def test_ctrl_c_right_after_the_publish_keeps_the_published_import(store, monkeypatch):
    published = store.publish_import_run

    def publish_then_interrupted(*args, **kwargs):
        published(*args, **kwargs)
        raise KeyboardInterrupt  # Ctrl+C just after the publish committed

    monkeypatch.setattr(store, "publish_import_run", publish_then_interrupted)
    records = (ArticleRecord(f"Article {n}.", f"f:{n + 1}") for n in range(120))
    with pytest.raises(KeyboardInterrupt):
        write_records(store, records, ImportReport(), source="f.jsonl")

    assert store.count_articles() == 120
    assert on_disk(store, "SELECT state, count(*) FROM import_runs GROUP BY state") == [
        ("published", 1)]


def test_a_full_disk_with_an_abandoned_import_still_opens(small_disk):
    disk = small_disk(4096)
    db = disk.path / "news.db"
    open_project(db).close()
    subprocess.run([sys.executable, "-c", KILLED_AT_THE_END, str(db)], check=False)
    disk.fill()  # (the killed import's -wal and -shm stay, as after a crash)

    store = open_project(db)  # opening wrote the cleanup and failed: "the disk is full"
    try:
        assert store.count_articles() == 0 and store.article_rows() == []
        assert on_disk(store, "SELECT count(*) FROM articles")[0][0] > 0  # left, invisible
    finally:
        store.close()


KILLED_AT_THE_END = """
import os, sys
from annotator.formats.record_writer import write_records
from annotator.formats.records import ArticleRecord, ImportReport
from annotator.store import open_project
store = open_project(sys.argv[1])
def records():
    for n in range(400):
        yield ArticleRecord(f"Article {n} " + "word " * 200, f"f:{n + 1}")
    os._exit(9)
write_records(store, records(), ImportReport(), source="big.jsonl")
"""


def test_long_articles_hold_the_lock_briefly_when_imported_and_when_removed(store, monkeypatch):
    """50 articles of 100 KB in the first batch held the lock 319 ms; removing a cancelled
    run's articles 500 at a time, 2.1 s."""
    from contextlib import contextmanager

    from annotator.store.project import ProjectStore

    held = {"import": [], "removal": []}
    phase = ["import"]
    write = ProjectStore.write

    @contextmanager
    def timed(self):
        outer = not self.conn.in_transaction
        with write(self):
            start = time.perf_counter()
            yield
            if outer:
                held[phase[0]].append(time.perf_counter() - start)

    monkeypatch.setattr(ProjectStore, "write", timed)
    text = " ".join(f"word{n % 997}x{n}" for n in range(10_000))  # about 100 KB

    def records():
        for n in range(150):
            yield ArticleRecord(f"{n} {text}", f"f:{n + 1}")
        phase[0] = "removal"
        raise KeyboardInterrupt  # the person cancels at the end

    with pytest.raises(KeyboardInterrupt):
        write_records(store, records(), ImportReport(), source="f.jsonl")

    assert on_disk(store, "SELECT count(*) FROM articles") == [(0,)]
    assert len(held["removal"]) > 3
    # Aimed at 20 ms; a busy 2-core machine doubles that at times.
    assert max(held["import"][:3]) < 0.15 * slack(), held["import"][:3]
    assert max(held["removal"]) < 0.15 * slack(), sorted(held["removal"])[-3:]
