"""The commands that only read a project (`export`, `stats`) write nothing to it: a project
left with saved edits in its -wal (a window killed, or still open) is read whole, and the
file and its -wal stay byte for byte as they were."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from tests.store.test_disks import listing, make_project

ROOT = Path(__file__).resolve().parents[1]

KILLED_WINDOW = """
import os, sys
sys.path.insert(0, sys.argv[2])
from annotator.core.model import Span
from annotator.store import open_project
store = open_project(sys.argv[1])
first = store.first_article_id()
store.set_status(first, "done")
for n in range(4):
    store.insert_span(Span(None, first, 100 + n * 10, 100 + n * 10 + 5, "ORG"))
os._exit(0)  # killed: the edits are saved, in the -wal only
"""


def digests(*files: Path) -> list[str]:
    return [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]


@pytest.mark.parametrize("argv", [["stats", "--json"], ["export", "jsonl"]])
def test_reading_commands_see_every_saved_edit_and_write_nothing(tmp_path, capsys, argv):
    db = tmp_path / "news.db"
    make_project(db, spans=3)
    subprocess.run([sys.executable, "-c", KILLED_WINDOW, str(db), str(ROOT)], check=True)
    (tmp_path / "out").mkdir()
    wal = tmp_path / "news.db-wal"
    before, files = digests(db, wal), listing(tmp_path)

    out = tmp_path / "out" / "news.jsonl"
    command = [argv[0], *argv[1:], str(db)] + ([str(out)] if argv[0] == "export" else [])
    assert main(command) == 0
    text, err = capsys.readouterr()
    assert "Traceback" not in err
    if argv[0] == "stats":
        assert '"spans": 7' in text and '"done": 1' in text
    else:
        tasks = [json.loads(line) for line in out.read_text().splitlines()]
        assert sum(span["label"] == "ORG" for task in tasks for span in task["spans"]) == 7
    assert digests(db, wal) == before
    assert listing(tmp_path) == files
