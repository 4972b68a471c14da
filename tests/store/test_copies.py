"""Two copies to one target at once (backups.copy_database): each writes a partial file of
its own, so neither writes into the other's and the target is one whole copy."""

import sqlite3

from annotator.store import backups
from tests.store.test_disks import listing, make_project


class CopyingMeanwhile:
    """A source connection whose copy starts only after another copy to the same target has
    run from start to end: two copies at once, in a deterministic order."""

    def __init__(self, conn, meanwhile):
        self.conn, self.meanwhile = conn, meanwhile

    def backup(self, target):
        self.meanwhile()
        self.conn.backup(target)

    def __getattr__(self, name):  # everything else as the connection does it
        return getattr(self.conn, name)


def spans_in(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    finally:
        conn.close()


def test_two_copies_to_one_target_at_once_both_finish_and_the_last_is_whole(tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    make_project(one, spans=1)
    make_project(two, spans=2)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "copy.db"
    first, second = sqlite3.connect(one), sqlite3.connect(two)
    try:
        backups.copy_database(
            CopyingMeanwhile(first, lambda: backups.copy_database(second, out)), out
        )
    finally:
        first.close()
        second.close()
    assert spans_in(out) == 1  # the copy that finished last, whole
    assert listing(tmp_path / "out") == ["copy.db"]


def test_two_automatic_backups_in_one_second_are_two_files(tmp_path, monkeypatch):
    """Another process's backup (a second store) starts and ends while this one copies."""
    from annotator.store import open_project

    db = tmp_path / "news.db"
    make_project(db, spans=1)
    store, other = open_project(db), open_project(db)
    made = []
    meanwhile = CopyingMeanwhile(store.conn, lambda: made.append(backups.automatic_backup(other)))
    monkeypatch.setattr(store, "conn", meanwhile)
    made.append(backups.automatic_backup(store))
    monkeypatch.undo()
    store.close()
    other.close()
    assert len(set(made)) == 2 and all(spans_in(path) == 1 for path in made)
    assert listing(tmp_path / "news.backups") == sorted(path.name for path in made)
