"""ordered_map with the calling process at work too: results in the chunks' order, made
partly here and partly by the pool, and a cancel (closing early) stops the processes."""

import os
import time

import pytest

from annotator.formats import parallel
from annotator.formats.jsonl import writer
from annotator.formats.records import Cancelled


def _in_pool(chunk):
    time.sleep(0.05)  # slower than here: this process finds the next result not ready
    return chunk, os.getpid()


def test_results_come_in_order_from_here_and_from_the_pool():
    chunks = list(range(12))
    results = parallel.ordered_map(_in_pool, chunks, 2, here=lambda chunk: (chunk, os.getpid()))
    try:
        got = list(results)
    finally:
        results.close()
    assert [chunk for chunk, _ in got] == chunks
    made_here = [chunk for chunk, pid in got if pid == os.getpid()]
    # The first chunks go to the pool before this process takes any.
    assert 0 < len(made_here) < len(chunks) and 0 not in made_here


def test_a_cancel_on_two_processes_writes_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "CHUNK", 10)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    out = tmp_path / "out.jsonl"
    seen = []
    with pytest.raises(Cancelled):
        writer.export_jsonl(project, out, jobs=2, progress=lambda d, t: seen.append(d) or d < 60)
    # Asked every 50 articles: going on at 50, stopped at 100 of 152.
    assert seen == [50, 100]
    assert not out.exists() and list(tmp_path.glob(".out*")) == []
