import os

# Without a platform Qt aborts the whole test process on a machine with no display; set it
# before pytest-qt creates the QApplication. A real display (xvfb-run) can still be chosen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3  # noqa: E402

import pytest  # noqa: E402

from annotator.store import open_project  # noqa: E402


@pytest.fixture
def store(tmp_path):
    """An empty project (the default news schema) in the test's own folder; tests that need
    articles import them, as a person would."""
    project = open_project(tmp_path / "project.db")
    yield project
    project.close()


def on_disk(store, sql, *args):
    """Read what is on disk through a connection of our own, as another program would."""
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()
