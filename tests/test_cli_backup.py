"""`annotator backup PROJECT.db OUT.db`: the copy is the project and only the project, nothing
is left beside it, and the project copied is left exactly as it was (File › Save a copy goes
through the same copies.save_copy)."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.cli import main
from annotator.store import migrations
from tests.store.test_disks import make_old_project, make_project

ROOT = Path(__file__).resolve().parents[1]

# A project left with committed edits in its -wal: the window that had it open was killed
# (or still has it open); with truncate=1 it was checkpointed first, leaving an empty -wal.
LEFT_OPEN = """
import os, sys
sys.path.insert(0, sys.argv[2])
from annotator.store import open_project
store = open_project(sys.argv[1])
for i in range(200):
    store.set_meta(f"k{i}", "x" * 2000)
if sys.argv[3] == "1":
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
os._exit(0)
"""


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def left_open(path: Path, *, checkpointed: bool) -> None:
    subprocess.run(
        [sys.executable, "-c", LEFT_OPEN, str(path), str(ROOT), "1" if checkpointed else "0"],
        check=True,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db: Path, sql: str) -> list:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_force_onto_a_file_whose_wal_holds_changes_is_refused_and_leaves_it_alone(
    tmp_path, capsys
):
    """SQLite would replay OUT.db-wal onto the copy (the 'copy' was the old OUT.db): a file
    still open, or not closed cleanly, is refused, and it and its -wal stay as they were."""
    src, out = tmp_path / "project.db", tmp_path / "out.db"
    make_project(src, spans=3)
    left_open(out, checkpointed=False)
    wal = tmp_path / "out.db-wal"
    before = (digest(out), digest(wal))
    assert wal.stat().st_size > 0

    code, text, err = run(capsys, "backup", src, out, "--force")
    assert code == 1 and text == ""
    assert f"{out}: cannot replace it: out.db-wal beside it holds changes" in err
    assert "Close that program" in err and "or choose another name for the copy" in err
    assert (digest(out), digest(wal)) == before
    assert len(rows(out, "SELECT key FROM meta WHERE key LIKE 'k%'")) == 200


def test_force_onto_a_file_left_with_an_empty_wal_copies_the_project_and_leaves_nothing_beside(
    tmp_path, capsys
):
    src = tmp_path / "project.db"
    make_project(src, spans=3)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "copy.db"
    left_open(out, checkpointed=True)
    assert sorted(os.listdir(out.parent)) == ["copy.db", "copy.db-shm", "copy.db-wal"]

    code, text, _ = run(capsys, "backup", src, out, "--force")
    assert code == 0 and "the copy opens as a project" in text
    assert sorted(os.listdir(out.parent)) == ["copy.db"]
    assert rows(out, "SELECT count(*) FROM spans") == [(3,)]
    assert rows(out, "SELECT count(*) FROM meta WHERE key LIKE 'k%'") == [(0,)]


def test_backup_leaves_the_source_project_as_it_was(tmp_path, monkeypatch, capsys):
    """A backup only reads: an old-format project is copied as it is, neither upgraded nor
    given the backup kept before an upgrade."""
    old = tmp_path / "old.db"
    make_old_project(old, monkeypatch, spans=2)
    before = digest(old)
    files = sorted(os.listdir(tmp_path))

    code, text, _ = run(capsys, "backup", old, tmp_path / "copy.db")
    assert code == 0 and "the copy opens as a project" in text
    assert digest(old) == before
    assert sorted(os.listdir(tmp_path)) == sorted([*files, "copy.db"])  # no old.backups
    assert rows(old, "PRAGMA user_version") == [(3,)]
    copy = tmp_path / "copy.db"
    assert rows(copy, "PRAGMA user_version") == [(3,)]
    assert rows(copy, "SELECT count(*) FROM spans") == [(2,)]
    assert 3 < migrations.SCHEMA_VERSION  # the copy opens, and is upgraded, when asked to


def test_backup_leaves_only_the_copy(tmp_path, capsys):
    src = tmp_path / "project.db"
    make_project(src, spans=1)
    (tmp_path / "out").mkdir()
    assert run(capsys, "backup", src, tmp_path / "out" / "copy.db")[0] == 0
    assert sorted(os.listdir(tmp_path / "out")) == ["copy.db"]


def test_backup_of_a_missing_or_foreign_file_is_refused_by_name(tmp_path, capsys):
    code, _, err = run(capsys, "backup", tmp_path / "none.db", tmp_path / "copy.db")
    assert code == 1 and "none.db: no such project file" in err
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = digest(other)
    code, _, err = run(capsys, "backup", other, tmp_path / "copy.db")
    assert code == 1 and "not an annotator project" in err
    assert digest(other) == before and not (tmp_path / "copy.db").exists()
