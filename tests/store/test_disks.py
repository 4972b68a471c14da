"""Read-only and failing disks, as a person meets them: a write-protected USB stick (a tmpfs
remounted read-only), a full disk (a small tmpfs filled up, or SQLite's max_page_count), and
files the app refuses, which must stay byte for byte as they were."""

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError, ProjectError, ReadOnlyProject
from annotator.core.model import ArticleFilter, Span
from annotator.formats.importer import import_paths
from annotator.store import migrations, open_project

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "us-drone-strike-baghdad-militia-leader.txt"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def big_text(tmp_path: Path) -> Path:
    """An article that neither fits a small disk nor compresses much (spaCy's DocBin zips)."""
    import random

    rng = random.Random(0)
    words = (
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(90000)
    )
    big = tmp_path / "big.txt"
    big.write_text("Big article\n\n" + " ".join(words) + ".\n")
    return big


def make_project(path: Path, spans: int = 3, close: bool = True):
    store = open_project(path)
    import_paths(store, [SEEDS])
    first = store.first_article_id()
    for n in range(spans):
        store.insert_span(Span(None, first, n * 10, n * 10 + 5, "ORG"))
    if close:
        store.close()
    return store


def make_old_project(path: Path, monkeypatch, spans: int) -> None:
    """A project of format 3 holding an article and `spans` spans. Written by hand: today's
    import writes columns (articles.run_id) that format 3 doesn't have."""
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
        old.setattr(migrations, "SCHEMA_VERSION", 3)
        open_project(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO articles (id, text, text_hash, title, status, n_spans) "
            "VALUES (1, 'Reuters reported from Baghdad on Monday.', 'h1', 'Reuters', 'new', ?)",
            (spans,),
        )
        for n in range(spans):
            conn.execute(
                "INSERT INTO spans (article_id, start, end, label) VALUES (1, ?, ?, 'ORG')",
                (n * 10, n * 10 + 5),
            )
    conn.close()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- read-only media ---------------------------------------------------------------------------


def test_a_project_on_a_read_only_disk_opens_read_only_to_browse_search_and_export(
    small_disk, tmp_path, capsys
):
    disk = small_disk(2048)
    db = disk.path / "news.db"
    make_project(db)
    disk.read_only()

    store = open_project(db)
    assert store.read_only == f"the disk holding {disk.path} is mounted read-only"
    assert store.count_articles() == 4
    assert store.count_articles(ArticleFilter(query="Baghdad")) == 1
    assert len(store.spans(store.first_article_id())) == 3
    with pytest.raises(ReadOnlyProject) as refused:
        store.insert_span(Span(None, store.first_article_id(), 50, 55, "ORG"))
    assert str(db) in str(refused.value) and "mounted read-only" in str(refused.value)
    store.close()

    out = tmp_path / "out.jsonl"
    assert run(capsys, "export", "jsonl", db, out)[0] == 0
    assert len(out.read_text().splitlines()) == 1  # the one article with spans
    code, text, _ = run(capsys, "stats", db)
    assert code == 0 and "3" in text
    code, _, err = run(capsys, "import", db, SEED)
    assert code == 1 and "read-only" in err and "damaged" not in err
    assert listing(disk.path) == ["news.db"]


def test_edits_left_in_the_wal_by_a_crash_are_seen_on_a_read_only_disk(small_disk):
    """A project copied to a stick with its -wal (the app was killed): a read-only open can't
    create the -shm index, yet it must show every saved edit, not an older state."""
    disk = small_disk(2048)
    source = disk.path.parent / "live.db"
    store = make_project(source, spans=5, close=False)  # still open: the edits are in the WAL
    assert (source.parent / "live.db-wal").stat().st_size > 0
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{source}{suffix}", disk.path / f"news.db{suffix}")
    store.close()
    disk.read_only()

    copy = open_project(disk.path / "news.db")
    assert copy.read_only is not None
    assert len(copy.spans(copy.first_article_id())) == 5
    copy.close()


def test_a_full_temporary_folder_is_named_not_the_read_only_disk(small_disk, monkeypatch):
    """Saved edits in the -wal of a project on a write-protected stick are read from a private
    copy in the temporary folder: when that folder is full, the message says so, and does not
    send the person freeing space on the stick."""
    import tempfile

    stick, temp = small_disk(4096), small_disk(64)
    source = stick.path.parent / "live.db"
    store = make_project(source, spans=1, close=False)  # its edits still in the -wal
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{source}{suffix}", stick.path / f"news.db{suffix}")
    store.close()
    stick.read_only()
    temp.fill()
    monkeypatch.setattr(tempfile, "tempdir", str(temp.path))
    with pytest.raises(AnnotatorError) as refused:
        open_project(stick.path / "news.db")
    message = str(refused.value)
    assert f"The disk holding {temp.path} is full" in message
    assert f"private copy in the temporary folder {temp.path}" in message
    assert f"{stick.path}/news.db is full" not in message
    assert listing(temp.path) == ["filler"]  # no half-made copy left there


def test_an_old_format_project_on_a_read_only_disk_is_refused_clearly(small_disk, monkeypatch):
    disk = small_disk(2048)
    db = disk.path / "old.db"
    make_old_project(db, monkeypatch, spans=0)
    disk.read_only()
    with pytest.raises(ProjectError) as refused:
        open_project(db)
    message = str(refused.value)
    assert str(db) in message and "older format" in message and "read-only" in message


def test_no_project_is_created_on_a_read_only_disk(small_disk):
    disk = small_disk(256)
    disk.read_only()
    with pytest.raises(ProjectError, match="cannot create the project: the disk .* read-only"):
        open_project(disk.path / "new.db")


def test_read_only_on_request_leaves_the_file_alone(tmp_path):
    db = tmp_path / "news.db"
    make_project(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    store = open_project(db, read_only=True)
    assert store.read_only and store.count_articles() == 4
    with pytest.raises(ReadOnlyProject):
        store.set_status(store.first_article_id(), "done")
    store.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


# -- full disks --------------------------------------------------------------------------------


def test_a_full_database_refuses_an_import_with_a_message_not_a_traceback(tmp_path):
    store = open_project(tmp_path / "news.db")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # a real SQLITE_FULL
    big = tmp_path / "big.txt"
    big.write_text("Big article\n\n" + "Words in Baghdad. " * 20000)
    report = import_paths(store, [big])
    assert report.files == [] and len(report.failed_files) == 1
    assert report.failed_files[0] == (
        f"The disk holding {store.path} is full: free some space and try again; "
        "nothing already saved was lost."
    )
    assert store.count_articles() == 0
    store.close()


def test_importing_onto_a_full_disk_says_so_and_keeps_what_was_saved(small_disk, capsys):
    disk = small_disk(1024)
    db = disk.path / "news.db"
    make_project(db)
    disk.fill()
    big = disk.path.parent / "big.txt"
    big.write_text("Big article\n\n" + "Words in Baghdad. " * 40000)
    code, _, err = run(capsys, "import", db, big)
    assert code == 1
    assert "is full: free some space" in err and "damaged" not in err
    (disk.path / "filler").unlink()
    store = open_project(db)
    assert store.count_articles() == 4 and len(store.spans(store.first_article_id())) == 3
    store.close()


def test_opening_a_project_on_a_full_disk_never_says_damaged(small_disk):
    disk = small_disk(1024)
    db = disk.path / "news.db"
    make_project(db)
    disk.fill()
    try:
        store = open_project(db)
    except ProjectError as error:
        assert "damaged" not in str(error) and "full" in str(error)
    else:
        assert store.count_articles() == 4
        store.close()


@pytest.mark.parametrize("kind", ["jsonl", "conll", "doccano"])
def test_an_export_to_a_full_disk_keeps_the_older_file_and_leaves_no_partial_one(
    small_disk, tmp_path, capsys, kind
):
    db = tmp_path / "news.db"
    store = make_project(db, spans=0, close=False)
    import_paths(store, [big_text(tmp_path)])
    for article in range(1, 6):
        store.set_status(article, "done")
    store.close()
    disk = small_disk(256)
    out = disk.path / "out.file"
    out.write_text("an older export\n")
    code, _, err = run(capsys, "export", kind, db, out)
    assert code == 1
    assert f"The disk holding {out} is full" in err
    assert out.read_text() == "an older export\n"
    assert listing(disk.path) == ["out.file"]


@pytest.mark.parametrize("kind", ["spacy", "brat"])
def test_a_folder_export_to_a_full_disk_keeps_the_older_files(small_disk, tmp_path, capsys, kind):
    db = tmp_path / "news.db"
    store = make_project(db, spans=0, close=False)
    import_paths(store, [big_text(tmp_path)])
    for article in range(1, 6):
        store.set_status(article, "done")
    store.close()
    disk = small_disk(256)
    old = disk.path / "train.spacy"
    old.write_bytes(b"an older export")
    code, _, err = run(capsys, "export", kind, db, disk.path)
    assert code == 1 and "is full: free some space" in err
    assert old.read_bytes() == b"an older export"
    assert listing(disk.path) == ["train.spacy"]  # no empty file, no staging folder


# -- refused files stay as they were -----------------------------------------------------------


def _other_apps_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes(body) VALUES ('keep me')")
    conn.commit()
    conn.close()


def _newer_project(path: Path) -> None:
    make_project(path, spans=1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


REFUSED = {
    "another app's database with a meta table": (_other_apps_database, "not an annotator"),
    "a newer-format project": (_newer_project, "newer annotator"),
    "a text file named .db": (
        lambda path: path.write_text("title,text\nnot,a database\n"),
        "not an annotator project",
    ),
    "junk bytes": (lambda path: path.write_bytes(b"\0\1\2" * 1000), "not an annotator project"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_refused_file_is_left_byte_for_byte(tmp_path, capsys, kind):
    make, says = REFUSED[kind]
    folder = tmp_path / "here"
    folder.mkdir()
    db = folder / "thing.db"
    make(db)
    before = (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns)
    files = listing(folder)
    with pytest.raises(ProjectError, match=says):
        open_project(db)
    code, _, err = run(capsys, "stats", db)
    assert code == 1 and says in err
    code, _, err = run(capsys, "import", db, SEED)
    assert code == 1 and says in err
    assert (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns) == before
    assert listing(folder) == files  # no -wal, -shm, -journal, no backups folder


OTHER_APP_KILLED = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode = WAL")
if sys.argv[2] == "newer":
    conn.execute(f"PRAGMA application_id = {0x414E4E4F}")
    conn.execute("PRAGMA user_version = 99")
conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
conn.execute("CREATE TABLE other (x)")
conn.commit()
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute("INSERT INTO other VALUES ('in the wal only')")
conn.commit()
os._exit(0)  # killed: its last transaction stays in the -wal
"""


@pytest.mark.parametrize("kind, says", [("other", "not an annotator"), ("newer", "newer annotator")])
def test_a_refused_file_with_changes_in_its_wal_is_left_byte_for_byte(tmp_path, kind, says):
    """Checked on a read-write connection, the refused file had its -wal moved into it when
    that connection closed (a checkpoint): it is checked read-only first."""
    import subprocess
    import sys

    db = tmp_path / "thing.db"
    subprocess.run([sys.executable, "-c", OTHER_APP_KILLED, str(db), kind], check=True)
    wal = tmp_path / "thing.db-wal"
    assert wal.stat().st_size > 0
    before = [hashlib.sha256(f.read_bytes()).hexdigest() for f in (db, wal)]
    with pytest.raises(ProjectError, match=says):
        open_project(db)
    assert [hashlib.sha256(f.read_bytes()).hexdigest() for f in (db, wal)] == before
    assert listing(tmp_path) == ["thing.db", "thing.db-shm", "thing.db-wal"]


# -- backups and the checkpoint on close -------------------------------------------------------


def test_a_copied_db_after_closing_has_every_edit(tmp_path):
    db = tmp_path / "news.db"
    store = make_project(db, spans=0, close=False)
    first = store.first_article_id()
    for n in range(300):
        store.insert_span(Span(None, first, n, n + 1, "ORG"))
    store.close()
    shutil.copyfile(db, tmp_path / "copy.db")  # the .db alone, as people copy files
    copy = open_project(tmp_path / "copy.db")
    assert len(copy.spans(first)) == 300
    copy.close()


def test_backup_command_copies_refuses_and_keeps(tmp_path, capsys):
    db = tmp_path / "news.db"
    make_project(db)
    out = tmp_path / "copy.db"
    code, text, _ = run(capsys, "backup", db, out)
    assert code == 0 and f"to {out}" in text and "opens as a project" in text
    copy = open_project(out)
    assert copy.count_articles() == 4 and len(copy.spans(copy.first_article_id())) == 3
    copy.close()

    before = out.read_bytes()
    code, _, err = run(capsys, "backup", db, out)
    assert code == 1 and "already exists" in err and out.read_bytes() == before
    assert run(capsys, "backup", db, out, "--force")[0] == 0
    code, _, err = run(capsys, "backup", db, db, "--force")
    assert code == 1 and "is the project itself" in err

    assert run(capsys, "backup", "--keep", "3", db)[0] == 0
    store = open_project(db)
    assert store.get_meta("backups_kept") == "3"
    store.close()
    code, _, err = run(capsys, "backup", "--keep", "0", db)
    assert code == 1 and "at least 1" in err


WRITER = """
import sys, time
from annotator.core.model import Span
from annotator.store import open_project
store = open_project(sys.argv[1])
first = store.first_article_id()
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    store.insert_span(Span(None, first, n % 600, n % 600 + 3, "ORG"))
    n += 1
store.close()
print(n)
"""


def test_a_backup_is_consistent_while_another_process_writes(tmp_path, capsys):
    import subprocess
    import sys

    db = tmp_path / "news.db"
    make_project(db, spans=0)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), "3"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline().strip() == "ready"
    copies = []
    for n in range(5):
        out = tmp_path / f"copy{n}.db"
        assert run(capsys, "backup", db, out)[0] == 0
        copies.append(out)
    written = int(writer.communicate(timeout=60)[0].split()[-1])
    assert writer.returncode == 0 and written > 0
    counts = []
    for out in copies:
        conn = sqlite3.connect(out)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The span counter and the spans agree: one snapshot, never half an edit.
        (spans,) = conn.execute("SELECT count(*) FROM spans").fetchone()
        (counted,) = conn.execute("SELECT sum(n_spans) FROM articles").fetchone()
        conn.close()
        assert spans == counted
        counts.append(spans)
    assert counts == sorted(counts) and counts[-1] <= written


def test_a_migration_is_preceded_by_a_backup_of_the_file_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "old.db"
    make_old_project(db, monkeypatch, spans=2)
    store = open_project(db)
    store.close()
    backups = list((tmp_path / "old.backups").iterdir())
    assert len(backups) == 1 and backups[0].name.endswith("-before-migration-4.db")
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 2
    conn.close()
    open_project(db).close()  # up to date: no second backup
    assert len(list((tmp_path / "old.backups").iterdir())) == 1


def test_the_daily_backup_is_made_once_a_day_and_the_newest_n_are_kept(tmp_path):
    from annotator.store import backups, copies

    db = tmp_path / "news.db"
    make_project(db)
    made = copies.daily_backup(db)
    assert made is not None and made.parent == tmp_path / "news.backups"
    assert copies.daily_backup(db) is None  # not a day old yet
    day_old = made.stat().st_mtime - backups.DAY - 1
    os.utime(made, (day_old, day_old))
    assert copies.daily_backup(db) is not None
    store = open_project(db)
    for _ in range(3):
        backups.automatic_backup(store)
    assert len(backups.automatic_backups(db)) == 5
    backups.set_kept(store, 2)
    kept = backups.automatic_backups(db)
    assert len(kept) == 2 and made not in kept
    backups.automatic_backup(store)
    assert len(backups.automatic_backups(db)) == 2
    store.close()


def test_no_daily_backup_of_an_empty_project(tmp_path):
    from annotator.store import backups, copies

    open_project(tmp_path / "new.db").close()
    assert copies.daily_backup(tmp_path / "new.db") is None
    assert not (tmp_path / "new.backups").exists()


PROBE = """
import sys
from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.store import open_project
store = open_project(sys.argv[1])
print(store.read_only)
print(store.count_articles(), len(store.spans(store.first_article_id())))
try:
    store.insert_span(Span(None, store.first_article_id(), 50, 55, "ORG"))
except AnnotatorError as error:
    print(error)
store.close()
"""


def without_root_powers() -> list[str]:
    """As root, permission bits don't stop writes; without the capabilities that override
    them (dropped by setpriv) they do, as for everyone else."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permission bits can't be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_opens_read_only(tmp_path, what):
    import subprocess
    import sys

    folder = tmp_path / "projects"
    folder.mkdir()
    db = folder / "news.db"
    make_project(db)
    (db if what == "file" else folder).chmod(0o444 if what == "file" else 0o555)
    try:
        done = subprocess.run(
            [*without_root_powers(), sys.executable, "-c", PROBE, str(db)],
            capture_output=True,
            text=True,
        )
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    if done.returncode != 0 and "setpriv" in done.stderr:
        pytest.skip(f"setpriv refused here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    reason, counts, refusal = done.stdout.splitlines()
    expected = (
        "the file news.db is read-only" if what == "file" else f"the folder {folder} is read-only"
    )
    assert reason == expected
    assert counts == "4 3"
    assert refusal.startswith(f"Not saved: the project is open read-only ({expected})")
    assert str(db) in refusal


def test_no_upgrade_without_its_backup_on_a_full_disk(small_disk, monkeypatch):
    disk = small_disk(1024)
    db = disk.path / "old.db"
    make_old_project(db, monkeypatch, spans=2)
    disk.fill()
    filler = disk.path / "filler"
    os.truncate(filler, filler.stat().st_size - 96 * 1024)  # room to open, not to back up
    with pytest.raises(ProjectError) as refused:
        open_project(db)
    message = str(refused.value)
    assert "must be upgraded" in message and "is full: free some space" in message
    assert "damaged" not in message
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3  # not upgraded
    conn.close()
    (disk.path / "filler").unlink()
    open_project(db).close()  # with room again: backed up, then upgraded
    assert len(list((disk.path / "old.backups").iterdir())) == 1


def test_a_disk_failing_under_a_read_is_named_not_a_traceback(tmp_path, capsys, monkeypatch):
    from annotator.store.project import ProjectStore

    db = tmp_path / "news.db"
    make_project(db)

    def failing_read(*args, **kwargs):
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode = 10  # SQLITE_IOERR, as SQLite sets it
        raise error

    monkeypatch.setattr(ProjectStore, "export_ids", failing_read)
    code, _, err = run(capsys, "export", "jsonl", db, tmp_path / "out.jsonl")
    assert code == 1
    assert err.startswith(f"annotator: The disk holding {db} reported an input/output error")
    assert not (tmp_path / "out.jsonl").exists()


def test_closing_while_another_connection_reads_neither_waits_nor_blocks_edits(tmp_path):
    import time

    db = tmp_path / "news.db"
    window = make_project(db, spans=0, close=False)
    first = window.first_article_id()
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM spans").fetchall()  # holds a snapshot
    worker = open_project(db)
    worker.insert_span(Span(None, first, 0, 5, "ORG"))
    started = time.perf_counter()
    worker.close()  # its checkpoint can't truncate past the reader: it must not wait for it
    assert time.perf_counter() - started < 0.5
    started = time.perf_counter()
    window.insert_span(Span(None, first, 10, 15, "ORG"))
    assert time.perf_counter() - started < 0.5
    reader.close()
    window.close()
    assert len(open_project(db).spans(first)) == 2


def test_a_damaged_file_is_called_damaged(tmp_path, capsys):
    db = tmp_path / "news.db"
    make_project(db)
    data = bytearray(db.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * 8192  # pages overwritten, as a failing disk might
    db.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match="is damaged or is not an annotator project"):
        open_project(db)
    code, _, err = run(capsys, "stats", db)
    assert code == 1 and "damaged" in err
