"""`annotator backup SRC OUT --force` (and File > Save a copy onto an existing file) replaced
OUT while a window had it open with an empty -wal (just opened, or just checkpointed): its
-wal and -shm were removed and the window's later edits, acknowledged, went to the unlinked
file. A file whose -shm says it is open is not replaced."""

from annotator.core.model import Span
from annotator.store import open_project
from tests.test_cli_backup import run
from tests.store.test_disks import make_project


def test_an_edit_acknowledged_after_a_forced_copy_over_the_open_project_is_kept(capsys, tmp_path):
    source = tmp_path / "source.db"
    target = tmp_path / "target.db"
    make_project(source)
    make_project(target)
    window = open_project(target)  # the person's window on target.db, no edit yet
    article = window.conn.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
    code, out, err = run(capsys, "backup", source, target, "--force")
    assert code != 0 and "a program has it open" in err
    span = window.insert_span(Span(None, article, 0, 3, "PERSON"))  # the window goes on
    window.close()
    reopened = open_project(target)
    ids = [row[0] for row in reopened.conn.execute("SELECT id FROM spans")]
    reopened.close()
    assert span.id in ids, "an acknowledged edit was lost"


def test_a_copy_over_a_project_another_process_has_open_is_refused(capsys, tmp_path):
    import subprocess
    import sys

    source = tmp_path / "source.db"
    target = tmp_path / "target.db"
    make_project(source)
    make_project(target)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         f"c = sqlite3.connect({str(target)!r}, isolation_level=None)\n"
         "c.execute('SELECT count(*) FROM articles').fetchall()\n"
         "print('open', flush=True)\n"
         "sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = target.read_bytes()
        code, _, err = run(capsys, "backup", source, target, "--force")
        assert code != 0 and "a program has it open" in err
        assert target.read_bytes() == before
    finally:
        holder.communicate("\n", timeout=10)
    # Once it has closed, the copy goes ahead.
    assert run(capsys, "backup", source, target, "--force")[0] == 0
