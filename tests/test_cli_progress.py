"""Progress and Ctrl+C on the command line (issue 16): a bar on stderr only when it is a
terminal; the first Ctrl+C cancels at a safe point and the command says what was kept."""

import fcntl
import importlib.util
import json
import os
import pty
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from contextlib import closing
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import open_project
from tests.conftest import on_disk

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("corpus_gen", ROOT / "benchmarks" / "corpus_gen.py")
corpus_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_gen)


def on_a_terminal(*argv) -> tuple[subprocess.Popen, int]:
    """`annotator ARGV` with stderr on a pseudo-terminal (stdout a pipe); returns the process
    and the terminal's reading end."""
    try:
        reading, writing = pty.openpty()
    except OSError as error:  # a chroot or container without /dev/pts mounted has no terminals
        pytest.skip(f"this system has no pseudo-terminals to test a terminal with ({error})")
    # A terminal 100 columns wide, as a person's is (a new pseudo-terminal reports 0 x 0).
    fcntl.ioctl(writing, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "annotator", *map(str, argv)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=writing,
        text=True,
    )
    os.close(writing)
    return process, reading


def read_until(fd: int, wanted: str, seconds: float) -> str:
    """What the terminal shows until `wanted` appears (or the time is up, or it closes)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """3,000 doccano-like articles (about 10 MB): long enough to press Ctrl+C in."""
    return corpus_gen.doccano_like_corpus(
        tmp_path_factory.mktemp("corpus") / "big.jsonl", 3_000, seed=1
    )


@pytest.fixture(scope="module")
def big_project(tmp_path_factory, big) -> Path:
    """`big` imported once for the tests that export it (what the import does is the other
    tests' business); each test copies the closed file, as a person copies a project."""
    from annotator.formats.importer import import_paths

    db = tmp_path_factory.mktemp("imported") / "news.db"
    store = open_project(db)
    try:
        import_paths(store, [big])
    finally:
        store.close()
    return db


def copy_of(project: Path, tmp_path: Path) -> Path:
    db = tmp_path / "news.db"
    shutil.copyfile(project, db)
    with closing(sqlite3.connect(db)) as conn:  # read as another program would
        assert conn.execute("SELECT count(*) FROM articles").fetchall() == [(3000,)]
    return db


def small(tmp_path: Path) -> Path:
    return corpus_gen.doccano_like_corpus(tmp_path / "small.jsonl", 5, seed=2)


def test_a_terminal_gets_a_progress_bar_and_a_pipe_gets_nothing_extra(tmp_path, big):
    process, terminal = on_a_terminal("import", tmp_path / "tty.db", big)
    shown = read_until(terminal, "never", 300)
    out, _ = process.communicate(timeout=60)
    os.close(terminal)
    assert process.returncode == 0, shown
    assert "Imported 3000 article(s) with 60000 span(s)" in out
    assert "import:" in shown and "article" in shown and "%" in shown  # tqdm's bar
    assert "Imported" not in shown  # the report stays on stdout

    piped = subprocess.run(
        [sys.executable, "-m", "annotator", "import", tmp_path / "pipe.db", small(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0 and piped.stderr == ""
    assert "Imported 5 article(s) with 100 span(s)" in piped.stdout


def test_ctrl_c_during_an_import_keeps_the_files_before_whole_and_nothing_of_the_one_read(
    tmp_path, big
):
    db = tmp_path / "news.db"
    first = small(tmp_path)
    process, terminal = on_a_terminal("import", db, first, big)
    # The bar of the second file (of 2) is the sign its records are being written.
    shown = read_until(terminal, "1/2", 120)
    assert "1/2" in shown, shown
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=120)
    shown += read_until(terminal, "never", 2)
    os.close(terminal)
    assert process.returncode == 130, (out, shown)
    assert "cancelling import" in shown
    assert "the file being read left nothing in the project" in shown
    assert "the 1 file(s) imported before it are kept whole" in shown
    assert "Imported 5 article(s) with 100 span(s)" in out
    # What lands in SQLite: the first file whole, nothing of the second.
    assert on_disk(open_project(db), "SELECT count(*), sum(n_spans) FROM articles") == [(5, 100)]
    assert on_disk(open_project(db), "SELECT count(*) FROM spans") == [(100,)]


def test_ctrl_c_during_an_export_writes_nothing(tmp_path, big_project):
    db = copy_of(big_project, tmp_path)
    out_file = tmp_path / "out" / "news.jsonl"
    out_file.parent.mkdir()
    process, terminal = on_a_terminal("export", "jsonl", db, out_file, "--jobs", "1")
    shown = read_until(terminal, "export jsonl:", 120)
    assert "export jsonl:" in shown, shown
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=120)
    shown += read_until(terminal, "never", 2)
    os.close(terminal)
    assert process.returncode == 130, (out, shown)
    assert f"export cancelled: nothing was written to {out_file}" in shown
    assert list(out_file.parent.iterdir()) == []  # no file, no partial file


def test_the_benchmark_corpus_is_doccano_shaped_real_text_and_the_same_for_a_seed(tmp_path):
    path = corpus_gen.doccano_like_corpus(tmp_path / "c.jsonl", 40, seed=5)
    again = corpus_gen.doccano_like_corpus(tmp_path / "d.jsonl", 40, seed=5)
    assert path.read_bytes() == again.read_bytes()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 40 and len({r["text"] for r in records}) == 40
    for record in records:
        assert set(record) == {"id", "text", "label"}
        assert 3_000 <= len(record["text"]) < 3_400
        assert len(record["label"]) == 20
        for start, end, label in record["label"]:
            covered = record["text"][start:end]
            assert covered == covered.strip() and covered and label
    # Real sentences: the founding article's and the NYT headlines', with their entities.
    text = " ".join(r["text"] for r in records)
    assert "Kataib Hezbollah" in text and "Silicon Valley" in text


def test_export_jsonl_on_every_core_from_the_command_line_writes_what_one_process_writes(
    tmp_path, big_project, capsys
):
    """3,000 articles: past PARALLEL_FROM, so `annotator export jsonl` spawns processes, which
    import annotator's __main__ again and must not run the command twice. The one-process
    export it is compared with is the same command run in this process (a second
    interpreter would only start up again)."""
    db = copy_of(big_project, tmp_path)
    outputs = []
    two = tmp_path / "jobs2.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "export", "jsonl", db, two, "--jobs", "2"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.startswith("Exported 3000 article(s)")
    outputs.append(two.read_bytes())
    one = tmp_path / "jobs1.jsonl"
    assert main(["export", "jsonl", str(db), str(one), "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("Exported 3000 article(s)")
    outputs.append(one.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 3000
