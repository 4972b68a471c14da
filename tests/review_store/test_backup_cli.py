"""`annotator backup` (and File > Save a copy, which calls the same copies.save_copy)."""
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.cli import main
from annotator.core.model import Span
from annotator.formats.importer import import_paths
from annotator.store import open_project
from tests.store.test_disks import SEEDS, make_old_project

ROOT = Path(__file__).resolve().parents[2]

KILLED_PROJECT = """
import os, sys
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from annotator.store import open_project
s = open_project(sys.argv[1])
for i in range(200):
    s.set_meta(f"k{i}", "x" * 2000)  # committed, in the -wal
os._exit(0)  # killed (or still open in a window): no checkpoint
"""


def test_force_onto_a_file_with_a_hot_wal_copies_the_project_not_the_old_file(tmp_path, capsys):
    """OUT.db was a project the app had open or that crashed (its edits in OUT.db-wal).
    `backup --force` replaces OUT.db only: SQLite then replays the old -wal onto the copy."""
    src, out = tmp_path / "project.db", tmp_path / "out.db"
    store = open_project(src)
    import_paths(store, [SEEDS])
    first = store.first_article_id()
    for n in range(3):
        store.insert_span(Span(None, first, n * 10, n * 10 + 5, "ORG"))
    store.close()
    subprocess.run([sys.executable, "-c", KILLED_PROJECT, str(out), str(ROOT)], check=True)
    assert (tmp_path / "out.db-wal").stat().st_size > 0

    assert main(["backup", str(src), str(out), "--force"]) == 0
    assert "the copy opens as a project" in capsys.readouterr().out
    conn = sqlite3.connect(out)
    spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    foreign = conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0]
    conn.close()
    assert (spans, foreign) == (3, 0), f"the 'copy' holds {spans} spans and {foreign} rows of the old OUT.db"


def test_backup_leaves_the_source_project_as_it_was(tmp_path, monkeypatch):
    """A backup reads: it must not upgrade (or otherwise write) the project it copies."""
    old = tmp_path / "old.db"
    make_old_project(old, monkeypatch, spans=2)
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    assert main(["backup", str(old), str(tmp_path / "copy.db")]) == 0
    conn = sqlite3.connect(f"file:{old}?mode=ro", uri=True)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert version == 3, f"the source project was upgraded to format {version} by `backup`"
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before


def test_backup_leaves_only_the_copy(tmp_path):
    src = tmp_path / "project.db"
    open_project(src).close()
    (tmp_path / "out").mkdir()
    assert main(["backup", str(src), str(tmp_path / "out" / "copy.db")]) == 0
    assert sorted(os.listdir(tmp_path / "out")) == ["copy.db"]
