"""Exports when things go wrong: a failed move into place, a killed spaCy shard
process or JSONL process, a staging folder left by a killed export."""

import os

import pytest

from annotator.core.errors import AnnotatorError
from annotator.demo import build_demo_project
from annotator.formats.spacy.writer import export_spacy
from annotator.store import open_project


def done_demo(tmp_path):
    """The demo project with every article done (what the exports take), opened."""
    build_demo_project(tmp_path / "p.db")
    store = open_project(tmp_path / "p.db")
    store.conn.execute("UPDATE articles SET status = 'done'")
    store.conn.commit()
    return store


def test_failed_move_leaves_the_old_export_whole(tmp_path, monkeypatch):
    store = done_demo(tmp_path)
    store.close()
    store = open_project(tmp_path / "p.db")
    out = tmp_path / "spacy"
    export_spacy(store, out, dev_share=0.5, seed=0, jobs=1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    train_before = sorted(p.name for p in (out / "train").iterdir())
    real = os.replace
    moved = []

    def failing(src, dst):
        # the second top-level entry of the staging folder fails to move (disk error, ENOSPC,
        # a permission problem, a crash between the two renames)
        if ".annotator-export-" in str(src) and os.path.dirname(str(dst)) == str(out):
            moved.append(dst)
            if len(moved) == 2:
                raise OSError(28, "No space left on device", str(src))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(AnnotatorError) as raised:
        export_spacy(store, out, dev_share=0.5, seed=1, jobs=1)
    assert "is full" in str(raised.value)
    monkeypatch.setattr(os, "replace", real)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    store.close()
    # Either the old export whole (what staged_folder promises) ...
    assert after == before, (
        f"mixed export: train/ {sorted(p.name for p in (out / 'train').iterdir())} "
        f"(was {train_before}); changed: {sorted(str(k) for k in before if before.get(k) != after.get(k))}; "
        f"missing: {sorted(str(k) for k in before.keys() - after.keys())}"
    )


class _Text:
    text = "x"


def _dies(task):
    """A shard writer process killed mid-shard (the OOM killer, a segfault in a library)."""
    os._exit(9)


def test_a_killed_shard_process_fails_the_export_instead_of_hanging(tmp_path, monkeypatch):
    import threading

    from annotator.formats.spacy import shards

    monkeypatch.setattr(shards, "write_shard", _dies)
    outcome = []

    def run():
        try:
            with shards.ShardWriter(tmp_path, "en", jobs=2, shard_articles=1, articles=3) as w:
                for _ in range(3):
                    w.add("train", (_Text(),))
                w.finish()
            outcome.append("finished")
        except Exception as error:  # what we want: an error, promptly
            outcome.append(repr(error))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    assert outcome, "the export still waits, 30 s after its shard process died"
    assert "stopped unexpectedly" in outcome[0]


def test_a_killed_shard_process_leaves_the_old_export(tmp_path, monkeypatch):
    from annotator.formats.spacy import shards

    store = done_demo(tmp_path)
    out = tmp_path / "spacy"
    export_spacy(store, out, dev_share=0.5, seed=0, jobs=1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(shards, "write_shard", _dies)
    with pytest.raises(AnnotatorError, match="shard processes stopped unexpectedly"):
        export_spacy(store, out, dev_share=0.5, seed=1, jobs=2, shard_articles=1)
    store.close()
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(out.glob(".annotator-export-*"))


def _chunk_dies(ids):
    """A JSONL export's process killed mid-chunk."""
    os._exit(9)


def test_a_killed_jsonl_process_fails_the_export_and_leaves_the_old_file(tmp_path, monkeypatch):
    from annotator.formats import parallel
    from annotator.formats.jsonl import writer

    store = done_demo(tmp_path)
    out = tmp_path / "out.jsonl"
    writer.export_jsonl(store, out, jobs=1)
    before = out.read_bytes()
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(writer, "_chunk_in_process", _chunk_dies)
    with pytest.raises(AnnotatorError, match="one of its processes stopped unexpectedly"):
        writer.export_jsonl(store, out, jobs=2)
    store.close()
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_a_killed_exports_staging_folder_is_named_in_the_next_report(tmp_path):
    store = done_demo(tmp_path)
    out = tmp_path / "spacy"
    out.mkdir()
    leftover = out / ".annotator-export-abc123"
    (leftover / "train").mkdir(parents=True)
    export_spacy(store, out, dev_share=0.5, seed=0, jobs=1)
    store.close()
    report = (out / "export-report.txt").read_text(encoding="utf-8")
    assert str(leftover) in report
    assert "earlier export" in report
    # the run's own staging folder is gone, the old one is left for the user
    assert sorted(p.name for p in out.glob(".annotator-export-*")) == [leftover.name]


def test_brat_names_a_killed_exports_staging_folder_too(tmp_path):
    from annotator.formats.brat.writer import export_brat

    build_demo_project(tmp_path / "p.db")
    store = open_project(tmp_path / "p.db")
    out = tmp_path / "brat"
    leftover = out / ".annotator-export-xyz789"
    leftover.mkdir(parents=True)
    report = export_brat(store, out)
    store.close()
    assert str(leftover) in report.summary()
    assert (out / "annotation.conf").is_file()
    assert sorted(p.name for p in out.glob(".annotator-export-*")) == [leftover.name]


_KILLED_EXPORT = """
import os, sys
from pathlib import Path
from annotator.core.errors import AnnotatorError
from annotator.formats.spacy import shards

class Text:
    text = "x" * 300_000  # more than a pipe holds: the task feeder blocks on the dead process

def dies(task):
    os._exit(9)

if __name__ == "__main__":
    shards.write_shard = dies
    try:
        with shards.ShardWriter(Path(sys.argv[1]), "en", jobs=2, shard_articles=1, articles=4) as w:
            for _ in range(4):
                w.add("train", (Text(),))
            w.finish()
    except AnnotatorError as error:
        print("failed:", error, flush=True)
"""


def test_the_program_ends_after_a_shard_process_was_killed(tmp_path):
    # Python before 3.11.5 (Debian 12's 3.11.2) waited forever at exit for the thread feeding
    # a dead process's pipe: the export failed as it should, then the program never ended.
    import subprocess
    import sys

    script = tmp_path / "killed_export.py"
    script.write_text(_KILLED_EXPORT, encoding="utf-8")
    import os
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "shard processes stopped unexpectedly" in done.stdout, done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
