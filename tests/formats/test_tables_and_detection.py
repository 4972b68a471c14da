"""CSV/TSV tables of articles, and telling every format apart by extension and content."""

import json
from pathlib import Path

import pytest

from annotator.formats import registry
from annotator.formats.detect import detect_format
from annotator.formats.importer import import_paths
from annotator.store import open_project
from tests.conftest import on_disk

DATA = Path(__file__).resolve().parents[1] / "data"


def test_csv_text_id_title_and_the_rest_in_meta(store, tmp_path):
    path = tmp_path / "wire.csv"
    path.write_text('id,Title,text,source,empty\r\n'
                    'afp-1,Strike,"Kataib Hezbollah blamed the US.\r\nSecond line, quoted.",AFP,\r\n'
                    '\r\n'
                    'afp-2,,,AFP,\r\n'
                    'afp-3,No title,Short text.,Reuters,x\r\n', encoding="utf-8")
    report = import_paths(store, [path])
    assert report.ok and report.articles == 2
    assert report.skipped == [f"{path}:5: no text in column 'text'"]
    first = store.article(1)
    assert (first.ext_id, first.title, first.meta) == ("afp-1", "Strike", {"source": "AFP"})
    assert first.text == "Kataib Hezbollah blamed the US.\nSecond line, quoted."
    assert store.article(2).meta == {"source": "Reuters", "empty": "x"}


def test_tsv_with_another_text_column_and_a_bom(store, tmp_path):
    path = tmp_path / "wire.tsv"
    path.write_bytes("\ufeffheadline\tbody\nStrike\tA strike in Baghdad.\n".encode("utf-8"))
    report = import_paths(store, [path], text_column="body")
    assert report.ok and report.articles == 1, report.summary()
    assert (store.article(1).text, store.article(1).meta) == ("A strike in Baghdad.",
                                                              {"headline": "Strike"})


def test_a_table_without_the_text_column_is_refused_naming_the_columns(store, tmp_path):
    path = tmp_path / "wire.csv"
    path.write_text("id,body\n1,Some text\n")
    report = import_paths(store, [path])
    assert report.failed_files == [f"{path}:1: no column 'text' for the text (columns: 'id', "
                                   "'body'); name it with --text-column"]
    empty = tmp_path / "empty.csv"
    empty.write_text("text\n")
    assert import_paths(store, [empty]).skipped == [f"{empty}:1: a header row and no articles"]


def test_a_latin1_table_is_refused_with_its_line(store, tmp_path):
    path = tmp_path / "wire.csv"
    path.write_bytes("text\nfine\nCaf\xe9\n".encode("latin-1"))
    report = import_paths(store, [path])
    assert report.failed_files[0].startswith(f"{path}:3: not UTF-8") and store.count_articles() == 0
    assert import_paths(store, [path], encoding="latin-1").articles == 2


def test_every_format_is_told_apart(tmp_path):
    def make(name, content):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    cases = {
        make("a.txt", "A headline\n\nThe article's text, O\nwith lines O\n"): "txt",
        make("b.txt", "EU B-ORG\nrejects O\nGerman B-MISC\n"): "conll",
        DATA / "conll" / "fewshot_conll_1shot.txt": "conll",
        DATA / "conll" / "germeval14_NER-de-train.tsv": "conll",
        make("table.tsv", "id\ttext\n1\tA text\n"): "csv",
        make("table.csv", "text,source\nA text,AFP\n"): "csv",
        make("tags.iob", "x O\n"): "conll",
        DATA / "doccano" / "relation_extraction_example.jsonl": "doccano",
        DATA / "doccano" / "sequence_labeling_example_overlapping.jsonl": "doccano",
        DATA / "prodigy-news-headlines.jsonl": "jsonl",
        make("prodigy.json", json.dumps({"text": "x", "spans": [], "label": ["A"]})): "jsonl",
        DATA / "spacy" / "training-data.json": "spacy-json",
        DATA / "spacy" / "ner_tweets_demo.spacy": "spacy",
        make("docbin.bin", (DATA / "spacy" / "ner_tweets_demo.spacy").read_bytes()): "spacy",
        make("noext", '{"text": "x"}\n'): "jsonl",
        make("array.json", "[\n" + json.dumps({"text": "x", "label": [[0, 1, "A"]]}) + "\n]"):
            "doccano",
        DATA / "brat" / "news-tutorial" / "000-introduction.txt": "brat",
    }
    assert {path.name: detect_format(path) for path in cases} == {
        path.name: fmt for path, fmt in cases.items()}


def test_every_registered_format_has_its_reader_and_exporter():
    # The command line and the window offer what the registry lists (tests/formats/test_registry).
    assert all(callable(entry.function()) for entry in registry.READERS.values())
    assert all(callable(entry.function()) for entry in registry.EXPORTERS.values())


def test_format_overrides_detection(store, tmp_path):
    path = tmp_path / "looks.jsonl"  # named .jsonl, but a table
    path.write_text("text\nOne article.\n")
    assert import_paths(store, [path]).articles == 0
    assert import_paths(store, [path], fmt="csv").articles == 1


def test_a_header_row_csv_cannot_parse_is_named_not_a_traceback(store, tmp_path):
    # Found by the random-bytes property test: a lone carriage return inside the header. A
    # lone CR ends a line (old-Mac files), so the header is cut there, and says so.
    path = tmp_path / "odd.csv"
    path.write_bytes(b"id,ti\rtle,text\n1,T,Some text\n")
    report = import_paths(store, [path], encoding="latin-1")
    assert not report.ok and report.articles == 0
    assert f"{path}:1: no column 'text' for the text (columns: 'id', 'ti')" in report.summary()



def test_a_csv_quote_never_closed_is_refused_with_its_line(store, tmp_path):
    """Row 2 opens a quote it never closes: csv would read rows 3 and 4 into its text."""
    source = tmp_path / "q.csv"
    source.write_text(
        "id,text\n1,First article is fine.\n"
        '2,"Second has an open quote and never closes.\n3,Third article.\n4,Fourth article.\n'
    )
    report = import_paths(store, [source])
    assert report.failed_files == [
        f"{source}:3: a quote opened on this line is never closed, so the 2 line(s) after it "
        "would be one cell; close the quote"
    ]
    assert on_disk(store, "SELECT count(*) FROM articles") == [(0,)]  # not even row 1


def test_a_quote_closed_rows_later_is_noted_and_a_quoted_paragraph_is_not(store, tmp_path):
    source = tmp_path / "q.csv"
    source.write_text(
        "id,text\n1,First.\n"
        '2,"Second opens a quote.\n3,Third.\n4,Fourth.\n5,Fifth has a stray " quote.\n'
        '6,"A quoted cell, over\ntwo lines, with commas"\n'
    )
    report = import_paths(store, [source])
    assert report.ok and report.notes == [
        f"{source}:3: a quoted cell runs over 4 lines, 3 of which look like rows of their "
        "own (ids '3', '4', '5'): check for a quote left open"
    ]
    assert on_disk(store, "SELECT ext_id FROM articles ORDER BY id") == [("1",), ("2",), ("6",)]
