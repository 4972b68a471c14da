"""A UTF-8 JSON stream is read a line at a time (issue 16: a 356 MB doccano corpus took 1.1 GB
read whole), with the same values, lines and reports as reading it whole."""

import importlib.util
import tracemalloc
from pathlib import Path

from annotator.formats import json_stream
from annotator.formats.records import ImportReport

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("corpus_gen", ROOT / "benchmarks" / "corpus_gen.py")
corpus_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_gen)

MIXED = (
    '{"text": "a b", "label": []}\n'
    "\n"
    '{"text": broken\n'  # skipped, reading goes on at the next "{" line
    "{\n"
    '  "text": "pretty",\n'  # pretty-printed over four lines
    '  "label": [[0, 6, "ORG"]]\n'
    "}\n"
    '{"text": "x"} {"text": "y"},\n'  # two on a line, a comma between: forgiven
    '{"text": "\\ud800 z"}\n'  # half a surrogate pair: SQLite can't store it
    '{"text": "caf\u00e9 \u2013 end"\n'  # never closed
)


def both_ways(path: Path):
    streamed, whole = ImportReport(), ImportReport()
    assert json_stream._streamable(path)
    got = list(json_stream.json_values(path, streamed))
    text = path.read_text(encoding="utf-8")
    expected = list(json_stream.json_values(path, whole, text=text))
    return got, expected, streamed.skipped, whole.skipped


def test_a_stream_read_by_lines_gives_what_reading_it_whole_gives(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(MIXED, encoding="utf-8")
    got, expected, skipped, skipped_whole = both_ways(path)
    assert got == expected and skipped == skipped_whole
    assert [line for line, _ in got] == [1, 4, 8, 8]
    assert [value["text"] for _, value in got] == ["a b", "pretty", "x", "y"]
    assert [s.split(": ", 1)[0].rsplit(":", 1)[1] for s in skipped] == ["3", "9", "11"]


def test_an_array_or_another_encoding_is_read_whole(tmp_path):
    array = tmp_path / "array.json"
    array.write_text('[{"text": "a"}]', encoding="utf-8")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"text": "caf\u00e9"}\n'.encode("cp1252"))
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_text('{"text": "a"}\n', encoding="utf-16")
    assert not any(json_stream._streamable(p) for p in (array, latin, utf16))


def test_a_big_stream_is_never_held_whole(tmp_path):
    path = corpus_gen.doccano_like_corpus(tmp_path / "big.jsonl", 2_000, seed=4)
    size = path.stat().st_size  # about 7 MB
    tracemalloc.start()
    count = sum(1 for _ in json_stream.json_values(path, ImportReport()))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 2_000
    assert peak < size / 4, (peak, size)  # read whole, the text alone is the file's size


def test_a_long_import_keeps_its_wal_file_bounded(store, tmp_path, monkeypatch):
    """Checkpoints deferred, not stopped: past IMPORT_CHECKPOINT_PAGES of -wal SQLite copies
    it into the .db after a commit (a 100,000-article import left 4 GB of -wal without)."""
    from annotator.formats.importer import import_paths
    from annotator.store import project

    monkeypatch.setattr(project, "IMPORT_CHECKPOINT_PAGES", 200)  # 800 KB
    path = corpus_gen.doccano_like_corpus(tmp_path / "news.jsonl", 1_500, seed=6)
    wal = store.path.with_name(store.path.name + "-wal")
    sizes = []

    def progress(done, total):
        sizes.append(wal.stat().st_size if wal.exists() else 0)
        return True

    report = import_paths(store, [path], progress=progress)
    assert report.articles == 1_500 and len(sizes) >= 3
    # Without the checkpoints the -wal reaches 83 MB here; with them it holds a few batches
    # (a checkpoint that meets a reader copies what it can, so on a busy machine a few more).
    assert max(sizes) < 20_000_000, sizes
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
