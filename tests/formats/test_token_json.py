"""The JSONL export's lines put together by numpy (token_json) are orjson's bytes for the same
line with a dict per token, whatever the text: escapes, characters past ASCII and past the
BMP, texts without tokens, lines that orjson refuses, chunks cut into groups anywhere."""

import json

import orjson
import pytest
from formats_helpers import HEADLINES

from annotator.core.tokens import blank_nlp
from annotator.formats.jsonl import token_json
from annotator.formats.jsonl.token_json import LineParts, chunk_lines
from annotator.formats.jsonl.writer import article_task as make_task
from annotator.formats.jsonl.writer import export_jsonl, line_parts
from annotator.store import open_project

TEXTS = [
    "Kataib Hezbollah's leader was killed near Baghdad airport.",
    'He said "no" \\ and then\ttabbed; a bell \x07, NUL \x00, unit \x1f, DEL \x7f.',
    "Line\nbreaks\r\nand\x0cform feeds\x08 and a line separator\u2028here.",
    "Emoji 😀 and flags 🇩🇪🇫🇷, e\u0301 combining, 日本語のテキスト, Ελληνικά, עברית.",
    "  leading and trailing spaces  ",
    "x",
    "1234567890 " * 120,  # offsets and indices past 1,000: four-digit numbers
]


def reference(task: dict, rows) -> bytes:
    """What the export wrote before token_json: the line as a dict with a dict per token."""
    text = task["text"]
    tokens = [
        {"text": text[start:end], "start": start, "end": end, "id": i, "ws": bool(space)}
        for i, (start, end, space) in enumerate(rows.tolist())
    ]
    line = {**task, "tokens": tokens}
    try:
        return orjson.dumps(line) + b"\n"
    except TypeError:
        return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")


def task_for(text: str, meta: dict | None = None) -> tuple[dict, object]:
    doc = blank_nlp("en").make_doc(text)
    task = {
        "text": text,
        "id": 1,
        "title": "t",
        "meta": meta or {},
        "status": "done",
        "answer": "accept",
        "tokens": None,
        "spans": [{"start": 0, "end": 1, "label": "X"}],
    }
    rows = doc.to_array(["IDX", "LENGTH", "SPACY"]).astype("int64")
    rows[:, 1] += rows[:, 0]
    return task, rows


@pytest.mark.parametrize("tables", [True, False])
@pytest.mark.parametrize("group", [1, 7, 4096])
def test_a_chunk_is_orjsons_bytes_line_for_line(monkeypatch, group, tables):
    # group: tokens put together at a time (1: every line alone; 7: groups end inside lines'
    # runs of tokens; 4096: the whole chunk at once). tables: numbers from the tables of
    # pieces (grown past their first 1,024 by the four-digit offsets), or made by arithmetic
    # as for an article past TABLE_UP_TO characters.
    monkeypatch.setattr(token_json, "GROUP_TOKENS", group)
    monkeypatch.setattr(
        token_json,
        "_TABLES",
        {k: token_json._Table(t.prefix) for k, t in token_json._TABLES.items()},
    )
    if not tables:
        monkeypatch.setattr(token_json, "TABLE_UP_TO", 0)
    tasks = [task_for(text) for text in TEXTS]
    got = chunk_lines([line_parts(task, rows) for task, rows in tasks])
    expected = b"".join(reference(task, rows) for task, rows in tasks)
    assert got == expected
    assert [json.loads(line)["text"] for line in got.splitlines()] == TEXTS


def test_a_line_orjson_refuses_goes_through_json_between_others():
    tasks = [task_for(TEXTS[0]), task_for(TEXTS[1], {"id": 2**70}), task_for(TEXTS[3])]
    parts = [line_parts(task, rows) for task, rows in tasks]
    assert parts[1].text is None  # json's line, whole
    got = chunk_lines(parts).splitlines(keepends=True)
    assert got == [reference(task, rows) for task, rows in tasks]
    assert json.loads(got[1])["meta"] == {"id": 2**70} and b'"id": 2' not in got[0]


def test_a_line_without_tokens_has_an_empty_list():
    task, rows = task_for("word")
    head = line_parts(task, rows).head  # through '"tokens":'
    line = chunk_lines([LineParts(head, "word", rows[:0], b"}\n")])
    fields = {key: value for key, value in task.items() if key not in ("tokens", "spans")}
    assert line == orjson.dumps({**fields, "tokens": []}) + b"\n"
    assert json.loads(line)["tokens"] == []
    assert chunk_lines([]) == b""


def test_the_export_writes_what_a_dict_per_token_would_on_real_data(store, tmp_path):
    """The headlines of Prodigy's corpus, as imported and exported: each line equals the
    line made with a dict per token from the same task."""
    from annotator.formats.importer import import_paths

    assert import_paths(store, [HEADLINES]).ok
    out = tmp_path / "out.jsonl"
    export_jsonl(store, out)
    lines = out.read_bytes().splitlines(keepends=True)
    nlp = blank_nlp("en")
    again = open_project(store.path, read_only=True)
    items = again.exported_articles(again.export_ids(False, False))
    assert len(lines) == len(items) == 150
    for line, item in zip(lines, items, strict=True):
        task, rows = make_task(
            nlp, item.article, item.spans, [], item.events, (item.span_meta, item.event_meta)
        )
        assert line == reference(task, rows)


@pytest.mark.parametrize("text", [*TEXTS, "", " ", "a  b   c ", "\n\n x\t"])
def test_token_rows_are_spacys_tokens_read_one_by_one(text):
    from annotator.formats.jsonl.writer import _token_rows

    doc = blank_nlp("en").make_doc(text)
    expected = [(t.idx, t.idx + len(t), int(bool(t.whitespace_))) for t in doc]
    assert [tuple(row) for row in _token_rows(doc, len(text)).tolist()] == expected
