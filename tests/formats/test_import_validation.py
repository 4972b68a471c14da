"""What every importer checks before it writes: encodings, line ends, empty files, unknown
labels, and span texts that don't match."""

import json

import pytest

from annotator.formats.importer import import_paths
from annotator.store import open_project

TEXT = "Kataib Hezbollah fighters\r\nleft Baghdad."  # CRLF inside the text itself


def samples(tmp_path) -> dict[str, tuple]:
    """One small file per format: (file name, text as written, format) with ORG on 0-16."""
    conll = "Kataib B-ORG\nHezbollah I-ORG\nfighters O\n"
    doccano = json.dumps({"text": "Kataib Hezbollah fighters", "label": [[0, 16, "ORG"]]})
    jsonl = json.dumps({"text": "Kataib Hezbollah fighters", "spans": [
        {"start": 0, "end": 16, "label": "ORG", "text": "Kataib Hezbollah"}]})
    table = "id,text\n1,Kataib Hezbollah fighters\n"
    spacy_json = json.dumps([{"id": 1, "paragraphs": [{"raw": "Kataib Hezbollah fighters",
        "sentences": [{"tokens": [{"orth": "Kataib", "ner": "B-ORG"},
                                  {"orth": "Hezbollah", "ner": "L-ORG"},
                                  {"orth": "fighters", "ner": "O"}]}]}]}])
    return {"conll": ("a.conll", conll), "doccano": ("a.jsonl", doccano),
            "jsonl": ("b.jsonl", jsonl), "csv": ("a.csv", table),
            "spacy-json": ("a.json", spacy_json)}


@pytest.mark.parametrize("fmt", ["conll", "doccano", "jsonl", "csv", "spacy-json"])
@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("utf-8-sig", "\r\n"),
                                              ("utf-16", "\r\n")])
def test_bom_utf16_and_crlf_files_read_the_same(store, tmp_path, fmt, encoding, newline):
    name, content = samples(tmp_path)[fmt]
    path = tmp_path / name
    path.write_bytes(content.replace("\n", newline).encode(encoding))
    report = import_paths(store, [path], fmt=fmt)
    assert report.ok and report.articles == 1 and not report.skipped, report.summary()
    article = store.article(1)
    assert article.text == "Kataib Hezbollah fighters"
    spans = [(s.start, s.end, s.label) for s in store.spans(1)]
    assert spans == ([] if fmt == "csv" else [(0, 16, "ORG")])


@pytest.mark.parametrize("fmt", ["conll", "doccano", "jsonl", "csv", "spacy-json", "txt"])
def test_latin1_is_refused_naming_file_and_line_unless_named(store, tmp_path, fmt):
    name, content = samples(tmp_path).get(fmt, ("a.txt", "Hezbollah fighters\n"))
    path = tmp_path / name
    path.write_bytes((content.replace("fighters", "fighters Caf\xe9")).encode("latin-1"))
    report = import_paths(store, [path], fmt=fmt)
    assert len(report.failed_files) == 1 and store.count_articles() == 0
    assert report.failed_files[0].startswith(f"{path}:"), report.failed_files
    assert "not UTF-8" in report.failed_files[0] and "--encoding" in report.failed_files[0]
    assert import_paths(store, [path], fmt=fmt, encoding="latin-1").articles == 1


@pytest.mark.parametrize("fmt,name", [("conll", "e.conll"), ("doccano", "e.jsonl"),
                                      ("jsonl", "e.jsonl"), ("csv", "e.csv"),
                                      ("spacy-json", "e.json"), ("spacy", "e.spacy"),
                                      ("txt", "e.txt")])
def test_an_empty_file_is_reported_not_imported(store, tmp_path, fmt, name):
    path = tmp_path / name
    path.write_bytes(b"")
    report = import_paths(store, [path], fmt=fmt)
    assert report.ok and report.articles == 0 and len(report.skipped) == 1
    assert report.skipped[0].startswith(f"{path}:1: ") and "empty" in report.skipped[0]


def test_crlf_jsonl_keeps_offsets_into_the_text_as_written(store, tmp_path):
    path = tmp_path / "dos.jsonl"
    start = TEXT.index("Baghdad")
    record = {"text": TEXT, "spans": [{"start": start, "end": start + 7, "label": "GPE"}]}
    path.write_bytes((json.dumps(record) + "\r\n" + json.dumps({"text": "Two"}) + "\r\n").encode())
    report = import_paths(store, [path])
    assert report.articles == 2 and not report.skipped
    article = store.article(1)
    span = store.spans(1)[0]
    assert article.text == TEXT and article.text[span.start:span.end] == "Baghdad"


def test_crlf_brat_text_keeps_offsets(store, tmp_path):
    """brat counts the \r of a CRLF .txt as a character: offsets after it must still hit."""
    (tmp_path / "doc.txt").write_bytes(TEXT.encode("utf-8"))
    start = TEXT.index("Baghdad")
    (tmp_path / "doc.ann").write_bytes(
        f"T1\tORG 0 16\tKataib Hezbollah\r\nT2\tGPE {start} {start + 7}\tBaghdad\r\n".encode())
    report = import_paths(store, [tmp_path / "doc.txt"])
    assert report.ok and report.spans == 2 and not report.skipped, report.summary()
    article = store.article(1)
    assert article.text == TEXT
    assert [article.text[s.start:s.end] for s in store.spans(1)] == ["Kataib Hezbollah", "Baghdad"]


def test_a_span_whose_text_differs_is_skipped(store, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"text": "Kataib Hezbollah fighters", "spans": [
        {"start": 0, "end": 16, "label": "ORG", "text": "Kataib Hizballah"},
        {"start": 17, "end": 25, "label": "NORP", "text": "fighters"}]}))
    report = import_paths(store, [path])
    assert report.skipped == [f"{path}:1: span 0-16 ORG: its text 'Kataib Hizballah' is not "
                              "the text at its offsets ('Kataib Hezbollah')"]
    assert [s.label for s in store.spans(1)] == ["NORP"]


@pytest.mark.parametrize("fmt", ["conll", "doccano", "spacy-json"])
def test_unknown_labels_skip_and_error(store, tmp_path, fmt):
    name, content = samples(tmp_path)[fmt]
    path = tmp_path / name
    path.write_text(content.replace("ORG", "MILITIA"))
    report = import_paths(store, [path], fmt=fmt, unknown_labels="skip")
    assert report.articles == 1 and report.spans == 0
    assert report.skipped == [f"{path}:1: span 0-16: unknown "
                              "label 'MILITIA'"]
    path.write_text(content.replace("ORG", "MILITIA").replace("Kataib", "Kataeb"))
    report = import_paths(store, [path], fmt=fmt, unknown_labels="error")
    assert "label 'MILITIA' is not in the project's schema" in report.failed_files[0]
    assert store.count_articles() == 1  # the refused file left nothing behind
