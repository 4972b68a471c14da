"""A file the app refuses (another program's SQLite database, or a project from a newer
annotator) that has committed transactions in its -wal (its program was killed): opening it
in annotator checkpoints that WAL into the file and deletes the -wal, so the refused file is
not left byte for byte as it was (issue 10, point 9)."""
import hashlib
import os
import subprocess
import sys

import pytest

from annotator.core.errors import ProjectError
from annotator.store import open_project

CHILD = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
conn.execute("CREATE TABLE other (x)")
conn.commit()
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute("INSERT INTO other VALUES ('in the wal only')")
conn.commit()
os._exit(0)  # killed: its last transaction stays in the -wal
"""


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_a_refused_file_with_a_hot_wal_is_left_as_it_was(tmp_path):
    db = tmp_path / "other.db"
    subprocess.run([sys.executable, "-c", CHILD, str(db)], check=True)
    wal = tmp_path / "other.db-wal"
    before = (digest(db), digest(wal))
    assert before[1] is not None and wal.stat().st_size > 0
    with pytest.raises(ProjectError, match="not an annotator project"):
        open_project(db)
    after = (digest(db), digest(wal))
    print(sorted(os.listdir(tmp_path)))
    assert after == before, "the refused file (or its -wal) was changed"
