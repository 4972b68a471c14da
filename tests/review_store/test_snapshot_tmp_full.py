"""A project on a read-only stick with saved edits still in its -wal is opened from a private
copy in the temporary folder (ProjectStore._open_snapshot). When that temporary folder is
full, the message blames the stick ("The disk holding /stick/news.db is full: free some
space") instead of naming the temporary folder."""
import shutil
import tempfile

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.formats.importer import import_paths
from annotator.store import open_project
from tests.store.test_disks import SEEDS


def test_full_tmp_is_named_not_the_stick(small_disk, monkeypatch):
    stick, tmp = small_disk(4096), small_disk(64)
    source = stick.path.parent / "live.db"
    store = open_project(source)
    import_paths(store, [SEEDS])
    store.insert_span(Span(None, store.first_article_id(), 0, 5, "ORG"))  # in the -wal
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{source}{suffix}", stick.path / f"news.db{suffix}")
    store.close()
    stick.read_only()
    tmp.fill()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp.path))
    with pytest.raises(AnnotatorError) as refused:
        open_project(stick.path / "news.db")
    message = str(refused.value)
    print(message, "| stick:", stick.path, "| tmp:", tmp.path)
    assert f"{stick.path}/news.db is full" not in message, "blames the read-only stick"
    assert str(tmp.path) in message or "temporary folder" in message, message
