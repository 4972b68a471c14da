"""`annotator import` and `annotator schema --add-label` beside another writer: they wait for
it, say once what they wait for, and succeed; never "database is locked" or a traceback."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from annotator.store import open_project
from tests.conftest import on_disk
from tests.lock_holder import hold_lock, release

ROOT = Path(__file__).resolve().parents[1]
HEADLINES = ROOT / "tests" / "data" / "prodigy-news-headlines.jsonl"


def annotator(*argv) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", *map(str, argv)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def test_cli_writers_wait_for_a_lock_held_until_they_said_so(tmp_path):
    # Two projects, each locked, so that the two commands wait side by side and what each
    # prints is its own (an import beside --add-label on one project: see
    # tests/store/test_waiting_writes.py, test_an_import_growing_the_schema_keeps_...). The
    # locks are let go once both commands said they wait, not after a fixed time that a busy
    # machine's slow start of the commands could outlast.
    news, other = tmp_path / "news.db", tmp_path / "other.db"
    for db in (news, other):
        open_project(db).close()
    holders = [hold_lock(db, 120.0, "the import of other.jsonl", until_told=True)
               for db in (news, other)]  # fmt: skip
    try:
        imp = annotator("import", news, HEADLINES)
        add = annotator("schema", other, "--add-label", "PROTESTER")
        said = {}
        for command in (imp, add):
            said[command] = ""
            while "annotator: waiting for" not in said[command]:
                line = command.stderr.readline()
                assert line, f"ended without saying it waits: {said[command]}"
                said[command] += line
        assert imp.poll() is None and add.poll() is None  # waiting for the holders, not done
        for holder in holders:
            release(holder)
        for command in (imp, add):
            out, rest = command.communicate(timeout=60)
            err = said[command] + rest
            assert command.returncode == 0, err
            assert "Traceback" not in err and "locked" not in err
            assert err.count("annotator: waiting for the import of other.jsonl (pid ") == 1, err
            assert err.strip().endswith("to finish…")
        for holder in holders:
            assert holder.wait(timeout=10) == 0
    finally:
        for holder in holders:
            holder.kill()
    assert on_disk(SimpleNamespace(path=news), "SELECT count(*) FROM articles")[0][0] > 0
    schema = on_disk(SimpleNamespace(path=other), "SELECT value FROM meta WHERE key = 'schema'")[0][0]
    assert '"PROTESTER"' in schema
    for db in (news, other):
        assert on_disk(SimpleNamespace(path=db), "SELECT count(*) FROM activity") == [(0,)]  # all ended


def test_a_lock_error_outside_the_write_path_is_one_clear_line(tmp_path, capsys, monkeypatch):
    import sqlite3

    from annotator.cli import main
    from annotator.cli import stats as stats_command

    db = tmp_path / "news.db"
    open_project(db).close()

    def locked(store, article_id=None):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(stats_command, "project_stats", locked)
    assert main(["stats", str(db)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith(f"annotator: {db}: the project is busy: another program is writing")
