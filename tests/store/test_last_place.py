"""Where a project was left is kept in the project file, written without waiting."""

import sqlite3

from annotator.core.last_place import LastPlace, saved_place
from tests.conftest import on_disk


def test_the_store_keeps_the_place_in_the_project(store):
    assert saved_place(store) is None
    assert store.save_last_place(LastPlace(1, span=2).to_json())
    assert saved_place(store) == LastPlace(1, span=2)
    assert on_disk(store, "SELECT value FROM meta WHERE key = 'last_place'") == [
        ('{"article": 1, "span": 2, "event": null, "text": null}',)]


def test_a_place_never_waits_for_another_writer(store):
    other = sqlite3.connect(store.path)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert not store.save_last_place(LastPlace(3).to_json())  # kept for no one: not worth a wait
    finally:
        other.rollback()
        other.close()
    assert saved_place(store) is None
