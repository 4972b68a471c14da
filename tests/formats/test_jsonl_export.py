"""Prodigy-style JSONL export: the fields Prodigy uses, and a lossless trip back through import."""

import json

import pytest

from annotator.core.errors import AnnotatorError
from annotator.formats.importer import import_paths
from annotator.formats.jsonl.writer import export_jsonl
from annotator.formats.records import Cancelled
from annotator.store import open_project
from formats_helpers import HEADLINES, delete_elsewhere, tricky_id


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_lines_carry_text_tokens_and_spans_with_token_offsets(project, tmp_path):
    out = tmp_path / "out.jsonl"
    report = export_jsonl(project, out)
    tasks = read(out)
    # Every headline (Prodigy's accepted answers, 58 of them without spans: negative
    # examples), the tricky record and the seed article.
    assert len(tasks) == report.articles == 152 and report.negatives == 58
    tricky = next(t for t in tasks if t["id"] == "tricky-1")
    assert tricky["title"] == "Tricky spans" and tricky["answer"] == "accept"
    assert tricky["status"] == "in_progress" and tricky["meta"] == {}
    assert tricky["tokens"][:2] == [
        {"text": "Kataib", "start": 0, "end": 6, "id": 0, "ws": True},
        {"text": "Hezbollah", "start": 7, "end": 16, "id": 1, "ws": True},
    ]
    origin = {"origin": "import:tricky.jsonl"}  # provenance of every span
    assert tricky["spans"] == [
        {"start": 0, "end": 16, "label": "ORG", "token_start": 0, "token_end": 1, **origin},
        {"start": 7, "end": 25, "label": "NORP", "token_start": 1, "token_end": 2, **origin},
        # Off token boundaries: its own characters, the tokens it touches, and a report line.
        {"start": 31, "end": 37, "label": "GPE", "token_start": 4, "token_end": 4, **origin},
    ]
    assert [(m.article_id, m.text) for m in report.misaligned] == [(tricky_id(project), "Baghda")]
    assert "31-37 'Baghda' GPE" in report.summary()

    # Without an external id the article's own id stands in; the seed has meta from its file.
    seed = next(t for t in tasks if t["title"].startswith("US Drone Strike"))
    assert isinstance(seed["id"], int) and seed["status"] == "done"
    assert seed["meta"] == {"file": "us-drone-strike-baghdad-militia-leader.txt"}
    headline = next(t for t in tasks if t["text"].startswith("Uber"))
    assert headline["meta"] == {"source": "The New York Times"}
    assert headline["spans"][0] == {"start": 0, "end": 4, "label": "ORG", "token_start": 0,
                                    "token_end": 0, "origin": "import:prodigy-news-headlines.jsonl"}


def test_token_offsets_match_the_source_corpus(project, tmp_path):
    """Our tokens give the same token_start/token_end as Prodigy's did for these headlines."""
    export_jsonl(project, tmp_path / "out.jsonl")
    ours = {t["text"]: [{k: v for k, v in s.items() if k != "origin"} for s in t["spans"]]
            for t in read(tmp_path / "out.jsonl")}
    theirs = [json.loads(line) for line in HEADLINES.read_text(encoding="utf-8").splitlines()]
    compared = 0
    for record in theirs:
        if record.get("spans"):
            assert ours[record["text"]] == [
                {k: s[k] for k in ("start", "end", "label", "token_start", "token_end")}
                for s in record["spans"]
            ]
            compared += 1
    assert compared == 92


def test_export_then_import_gives_the_same_articles_and_spans(project, tmp_path):
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out)
    fresh = open_project(tmp_path / "fresh.db")
    report = import_paths(fresh, [out])
    assert report.ok and report.articles == 152 and not report.skipped

    def contents(store):
        result = {}
        for article_id, text, title, status in store.conn.execute(
                "SELECT id, text, title, status FROM articles WHERE n_spans > 0 OR status = 'done'"):
            spans = sorted((s.start, s.end, s.label) for s in store.spans(article_id))
            result[text] = (title, status, spans)
        return result

    assert contents(fresh) == contents(project)
    ext_ids = {row[0] for row in fresh.conn.execute("SELECT ext_id FROM articles")}
    assert "tricky-1" in ext_ids
    fresh.close()


def test_done_only(project, tmp_path):
    report = export_jsonl(project, tmp_path / "done.jsonl", done_only=True)
    tasks = read(tmp_path / "done.jsonl")
    # The seed and the 150 headlines (accepted in Prodigy: done); not the tricky record.
    assert report.articles == 151 and {t["status"] for t in tasks} == {"done"}
    assert "tricky-1" not in {t["id"] for t in tasks}


def test_a_failed_or_cancelled_export_leaves_no_file(project, tmp_path):
    out = tmp_path / "out.jsonl"
    with pytest.raises(Cancelled):
        export_jsonl(project, out, progress=lambda done, total: False)
    assert not out.exists() and list(tmp_path.glob(".out*")) == []
    with pytest.raises(AnnotatorError, match="does not exist"):
        export_jsonl(project, tmp_path / "missing" / "out.jsonl")
    with pytest.raises(AnnotatorError, match="is a folder"):
        export_jsonl(project, tmp_path)


def test_export_jsonl_on_two_processes_writes_the_same_bytes_as_on_one(
    project, tmp_path, monkeypatch
):
    from annotator.formats import parallel
    from annotator.formats.jsonl import writer

    # Small chunks, and processes even for a small project, so that the parallel path runs.
    monkeypatch.setattr(writer, "CHUNK", 20)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    seen: list[tuple[int, int]] = []
    one = writer.export_jsonl(project, tmp_path / "one.jsonl", jobs=1)
    two = writer.export_jsonl(
        project, tmp_path / "two.jsonl", jobs=2, progress=lambda d, t: seen.append((d, t)) or True
    )
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert two.summary() == one.summary().replace("one.jsonl", "two.jsonl")
    assert two.articles == 152
    assert seen[-1] == (152, 152)  # progress counts articles, to the end
    # In the articles' order, as one process writes them, with their spans.
    tasks = read(tmp_path / "two.jsonl")
    assert [t["text"] for t in tasks] == [t["text"] for t in read(tmp_path / "one.jsonl")]
    assert sum(len(t["spans"]) for t in tasks) == sum(one.spans_by_label.values()) > 0


def test_a_number_orjson_refuses_goes_out_through_json_in_its_line_only(project, tmp_path):
    """orjson writes integers up to 64 bits; a bigger one in an article's meta (a source's
    own id) goes through json, in that line only, and the line is bytes like the others
    (each process makes its lines with the same function: the two-process test above)."""
    big = 2**70
    project.conn.execute(
        "UPDATE articles SET meta = ? WHERE id = ?", (f'{{"source_id": {big}}}', tricky_id(project))
    )
    project.conn.commit()
    export_jsonl(project, tmp_path / "out.jsonl", jobs=1)
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    tricky = [line for line in lines if '"tricky-1"' in line]
    assert len(lines) == 152 and len(tricky) == 1
    assert json.loads(tricky[0])["meta"] == {"source_id": big}
    assert tricky[0].startswith('{"text": ')  # json's separators, this line only
    assert all(line.startswith('{"text":"') for line in lines if line not in tricky)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_deleted_while_the_export_runs_is_left_out_and_said(
    project, tmp_path, monkeypatch, jobs
):
    from annotator.formats import parallel
    from annotator.formats.jsonl import writer

    monkeypatch.setattr(writer, "CHUNK", 10)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)  # two processes for 152 articles
    ids = project.export_ids(False, False)
    # Far enough from the first 50 that no process has read their chunk when those are done
    # (at most 2 chunks a process, and 2 a job ahead, are in flight).
    doomed = ids[140:142]
    texts = {row[0]: row[1] for row in project.conn.execute("SELECT id, text FROM articles")}
    seen = []

    def progress(done, total):
        if done == 50:
            delete_elsewhere(project, doomed)
        seen.append((done, total))
        return True

    out = tmp_path / "out.jsonl"
    report = export_jsonl(project, out, progress=progress, jobs=jobs)
    tasks = read(out)
    assert len(tasks) == report.articles == 150
    written = [t["text"] for t in tasks]
    assert written == [texts[i] for i in ids if i not in doomed]
    assert report.deleted == doomed
    assert (
        f"Articles deleted while the export ran, left out: 2 (id {doomed[0]}, {doomed[1]})"
        in report.summary()
    )
    assert seen[-1] == (152, 152)  # the progress still reaches its end


def test_spawned_processes_as_the_window_has_them_write_the_same_bytes(
    project, tmp_path, monkeypatch
):
    """The window spawns its processes (a fork of a process with Qt's threads is unsafe):
    they load spaCy themselves and hand their chunks over through files, as forked ones do."""
    from annotator.formats import parallel
    from annotator.formats.jsonl import writer

    monkeypatch.setattr(writer, "CHUNK", 20)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parallel, "fork_is_safe", lambda: False)
    out = tmp_path / "out"
    out.mkdir()
    one = writer.export_jsonl(project, out / "one.jsonl", jobs=1)
    two = writer.export_jsonl(project, out / "two.jsonl", jobs=2)
    assert (out / "one.jsonl").read_bytes() == (out / "two.jsonl").read_bytes()
    assert two.summary() == one.summary().replace("one.jsonl", "two.jsonl")
    # No partial file, no chunk file left.
    assert sorted(path.name for path in out.iterdir()) == ["one.jsonl", "two.jsonl"]
