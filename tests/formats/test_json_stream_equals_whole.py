"""The streamed JSON reader gives the same values, lines and reports as reading the file whole
(json_stream docstring), and reads a pretty-printed record in linear time."""

import json
import time

import pytest

from annotator.formats import json_stream
from annotator.formats.records import ImportReport
from tests.timing import slack


def both(tmp_path, data: bytes):
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    assert json_stream._streamable(path)
    streamed_report, whole_report = ImportReport(), ImportReport()
    streamed = list(json_stream.json_values(path, streamed_report))
    whole = list(json_stream.json_values(path, whole_report, text=path.read_text(encoding="utf-8")))
    return (streamed, str(streamed_report.__dict__)), (whole, str(whole_report.__dict__))


PRETTY = json.dumps({"text": "a b", "label": [[0, 1, "ORG"], [2, 3, "PER"]]}, indent=2)
CASES = {
    # a bad value after a good one on the same line: the column of the error
    "column": b'{"a": 1} {"b": }\n{"c": 3}\n',
    "column after two": b'{"a": 1} [2] {"b": 1,,}\n{"c": 3}\n',
    "pretty records": (PRETTY + "\n" + PRETTY + "\n").encode(),
    "broken pretty record": (PRETTY[:-2] + ' "x": }\n}\n' + PRETTY + "\n").encode(),
    "two pretty records on shared lines": (PRETTY + " " + PRETTY + "\n").encode(),
    "brackets inside strings": b'{"a": "}{][\\"}",\n "b": [1,\n 2]}\n{"c": "\\\\"}\n',
    "a string not closed on its line": b'{"a": "x\n y"}\n{"c": 3}\n',
    "scalars then a record": b'1 "two"\n{"a":\n [3]}\n',
    "a record never closed": b'{"a": [1,\n 2\n',
}


@pytest.mark.parametrize("name", CASES)
def test_streamed_equals_whole(tmp_path, name):
    streamed, whole = both(tmp_path, CASES[name])
    assert streamed == whole


def test_the_column_of_an_error_is_the_files(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1} {"b": }\n{"c": 3}\n')
    report = ImportReport()
    assert [value for _, value in json_stream.json_values(path, report)] == [{"a": 1}, {"c": 3}]
    assert f"{path}:1" in str(report.__dict__)
    assert "at column 16" in str(report.__dict__)  # the "}" where a value was expected


def pretty_record(spans: int):
    record = {
        "text": "x " * (25 * spans),
        "label": [[i * 2, i * 2 + 1, "ORG"] for i in range(spans)],
    }
    return record, json.dumps(record, indent=2) + "\n"


def test_a_pretty_printed_record_is_decoded_once_not_at_every_line(tmp_path, monkeypatch):
    record, text = pretty_record(2000)  # 10,000 lines
    path = tmp_path / "pretty.json"
    path.write_text(text)
    calls = []
    real = json_stream._decode

    def counted(text, pos):
        calls.append(len(text) - pos)
        return real(text, pos)

    monkeypatch.setattr(json_stream, "_decode", counted)
    values = list(json_stream.json_values(path, ImportReport()))
    assert values == [(1, record)]
    assert sum(calls) < 3 * len(text), f"{len(calls)} decodes of {sum(calls)} characters"


def test_a_pretty_printed_record_streams_in_linear_time(tmp_path):
    """doccano's own examples are pretty-printed: a 400 KB record of 2,000 spans (20,000
    lines) was decoded again from its start at every line: 8.8 s streamed, 0.002 s whole
    (8,000 spans, 1 MB: 123 s)."""
    _, text = pretty_record(2000)
    path = tmp_path / "pretty.json"
    path.write_text(text)
    started = time.perf_counter()
    values = list(json_stream.json_values(path, ImportReport()))
    took = time.perf_counter() - started
    assert len(values) == 1
    assert took < 1.0 * slack(), f"{took:.1f} s for one 20,000-line record"
