"""Importing .txt files, folders and JSONL: what lands in the project, what is reported (with
file and line), and that a file that fails leaves the project exactly as it was."""

import json
import sqlite3

import pytest

from annotator.formats.importer import import_paths
from annotator.store import open_project

ARTICLE = "Drone strike in Baghdad\n\nA US drone strike killed a Kataib Hezbollah commander.\n"


def jsonl(path, *records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
                    encoding="utf-8")
    return path


def state(store):
    """Every row an import can write, the schema included, and the search index."""
    conn = store.conn
    tables = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
              for t in ("articles", "spans", "events", "event_arguments", "meta")}
    tables["fts"] = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'drone'").fetchall()
    return tables


def texts(store):
    return [row[0] for row in store.conn.execute("SELECT text FROM articles ORDER BY id")]


def spans_of(store, article_id):
    text = store.article(article_id).text
    return [(text[s.start:s.end], s.label) for s in store.spans(article_id)]


# -- plain text ------------------------------------------------------------------------------

def test_a_folder_of_txt_files_imports_one_article_each_titled_by_its_first_line(store, tmp_path):
    folder = tmp_path / "news"
    (folder / "more").mkdir(parents=True)
    (folder / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "a.txt").write_text("\n\n   Talks in Geneva  \nMinisters met.\n", encoding="utf-8")
    (folder / "more" / "c.txt").write_text("Protest at the port\nCrowds gathered.\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("A hidden file\n", encoding="utf-8")
    (folder / "notes.md").write_text("# not an article\n", encoding="utf-8")
    report = import_paths(store, [folder])
    assert report.ok and report.articles == 3, report.summary()
    rows = store.conn.execute("SELECT title, meta, status FROM articles ORDER BY id").fetchall()
    assert [(title, json.loads(meta)["file"], status) for title, meta, status in rows] == [
        ("Talks in Geneva", "a.txt", "new"),
        ("Drone strike in Baghdad", "b.txt", "new"),
        ("Protest at the port", "c.txt", "new"),
    ]
    assert texts(store)[1] == ARTICLE  # the text exactly as written


def test_crlf_and_cr_line_ends_become_lf(store, tmp_path):
    (tmp_path / "dos.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "mac.txt").write_bytes(("Old Mac\r" + ARTICLE).replace("\n", "\r").encode("utf-8"))
    report = import_paths(store, [tmp_path / "dos.txt", tmp_path / "mac.txt"])
    assert report.articles == 2, report.summary()
    assert texts(store) == [ARTICLE, "Old Mac\n" + ARTICLE]


def test_the_same_text_with_other_line_ends_is_a_duplicate(store, tmp_path):
    (tmp_path / "unix.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "dos.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    report = import_paths(store, [tmp_path / "unix.txt", tmp_path / "dos.txt"])
    assert report.articles == 1
    assert report.duplicates == [f"{tmp_path / 'dos.txt'}:1: same as article 1 (the same text)"]


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf"])
def test_an_empty_txt_file_is_reported(store, tmp_path, content):
    (tmp_path / "empty.txt").write_bytes(content)
    report = import_paths(store, [tmp_path / "empty.txt"])
    assert report.articles == 0
    assert report.skipped == [f"{tmp_path / 'empty.txt'}:1: empty file"]


@pytest.mark.parametrize("content", ["", "\n\n   \n"])
def test_an_empty_jsonl_file_is_reported(store, tmp_path, content):
    (tmp_path / "empty.jsonl").write_text(content, encoding="utf-8")
    report = import_paths(store, [tmp_path / "empty.jsonl"])
    assert report.articles == 0
    assert report.skipped == [f"{tmp_path / 'empty.jsonl'}:1: empty file"]


# -- encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_utf8_with_bom_and_utf16_text_files_are_read(store, tmp_path, encoding):
    text = "Café talks in Zürich\n\nThe minister’s “plan” was discussed.\n"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # BOM written by hand, as editors do
        data = ("\ufeff" + text).encode(encoding)
    (tmp_path / "a.txt").write_bytes(data)
    report = import_paths(store, [tmp_path / "a.txt"])
    assert report.articles == 1, report.summary()
    assert texts(store) == [text] and store.article(1).title == "Café talks in Zürich"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_utf8_with_bom_and_utf16_jsonl_keep_span_offsets(store, tmp_path, encoding):
    record = {"text": "Zürich hosted talks.", "spans": [{"start": 0, "end": 6, "label": "GPE"}]}
    (tmp_path / "a.jsonl").write_bytes((json.dumps(record, ensure_ascii=False) + "\n").encode(encoding))
    report = import_paths(store, [tmp_path / "a.jsonl"])
    assert report.articles == 1, report.summary()
    assert spans_of(store, 1) == [("Zürich", "GPE")]


def test_latin1_is_refused_naming_the_file_and_accepted_when_named(store, tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Café in Bogotá\nNews.\n".encode("latin-1"))
    report = import_paths(store, [path])
    assert report.articles == 0 and not report.ok
    [message] = report.failed_files
    assert message.startswith(f"{path}:1: not UTF-8") and "--encoding" in message
    assert store.count_articles() == 0
    report = import_paths(store, [path], encoding="latin-1")
    assert report.ok and texts(store) == ["Café in Bogotá\nNews.\n"]


def test_a_bad_byte_deep_in_a_jsonl_file_is_reported_on_its_own_line(store, tmp_path):
    lines = [json.dumps({"text": f"Article number {n}"}).encode() for n in range(1, 61)]
    lines[41] = lines[41].replace(b"number", b"n\xfamero")  # Latin-1 on line 42
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = import_paths(store, [path])
    assert report.failed_files and report.failed_files[0].startswith(f"{path}:42: not UTF-8")
    assert store.count_articles() == 0  # nothing from the first 41 lines either


def test_an_unknown_encoding_name_is_reported(store, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = import_paths(store, [tmp_path / "a.txt"], encoding="klingon-8")
    assert report.failed_files == [f"{tmp_path / 'a.txt'}: unknown encoding 'klingon-8'"]


def test_a_binary_file_is_refused(store, tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    report = import_paths(store, [tmp_path / "photo.txt"])
    assert report.failed_files == [f"{tmp_path / 'photo.txt'}: looks like a binary file, not text"]


def test_a_missing_path_is_reported(store, tmp_path):
    report = import_paths(store, [tmp_path / "nowhere.jsonl"])
    assert report.failed_files == [f"{tmp_path / 'nowhere.jsonl'}: no such file or folder"]


# -- JSONL -----------------------------------------------------------------------------------

def test_jsonl_records_come_in_with_title_id_meta_and_spans(store, tmp_path):
    text = "Kataib Hezbollah commander killed in Baghdad"
    path = jsonl(tmp_path / "a.jsonl",
                 {"id": "afp-1", "title": "Strike", "meta": {"source": "AFP", "url": "https://x"},
                  "text": text,
                  "spans": [{"start": 0, "end": 16, "label": "ORG"},
                            {"start": 0, "end": 6, "label": "PERSON"},  # nested: kept
                            {"start": 37, "end": 44, "label": "GPE"}]},
                 {"text": "No title here.\nSecond line."})
    report = import_paths(store, [path])
    assert (report.articles, report.spans, report.skipped) == (2, 3, [])
    first = store.article(1)
    assert (first.title, first.ext_id, first.meta, first.status, first.n_spans) == (
        "Strike", "afp-1", {"source": "AFP", "url": "https://x"}, "in_progress", 3)
    assert sorted(spans_of(store, 1)) == [("Baghdad", "GPE"), ("Kataib", "PERSON"),
                                          ("Kataib Hezbollah", "ORG")]
    assert [s.origin for s in store.spans(1)] == ["import:a.jsonl"] * 3
    second = store.article(2)
    assert (second.title, second.ext_id, second.status) == ("No title here.", None, "new")


def test_duplicates_by_id_and_by_text_are_imported_once_and_reported_with_file_and_line(store, tmp_path):
    first = jsonl(tmp_path / "first.jsonl", {"id": 7, "text": "One."}, {"text": "Two."})
    second = jsonl(tmp_path / "second.jsonl",
                   {"id": "7", "text": "One, edited."},  # same id: the same article
                   {"text": "Two."},  # same text, no id
                   {"text": "Three."},
                   {"id": "x", "text": "Three."})  # same text as line 3, other id
    report = import_paths(store, [first, second])
    assert texts(store) == ["One.", "Two.", "Three."]
    assert report.duplicates == [
        f"{second}:1: same as article 1 (id '7')",
        f"{second}:2: same as article 2 (the same text)",
        f"{second}:4: same as article 3 (the same text)",
    ]
    again = import_paths(store, [first])
    assert again.articles == 0 and len(again.duplicates) == 2
    assert store.count_articles() == 3


def test_malformed_lines_and_bad_spans_are_skipped_with_file_and_line_and_the_rest_imported(store, tmp_path):
    path = jsonl(tmp_path / "messy.jsonl",
                 {"text": "Good one."},
                 '{"text": "unterminated',
                 "[1, 2, 3]",
                 {"title": "no text"},
                 {"text": "Kabul talks", "spans": [{"start": 0, "end": 5, "label": "GPE"},
                                                   {"start": 6, "end": 99, "label": "GPE"},
                                                   {"start": 3, "end": 3, "label": "GPE"},
                                                   {"start": "a", "end": 2, "label": "GPE"},
                                                   {"start": 0, "end": 2}]},
                 {"text": "Rejected in Prodigy.", "answer": "reject"},
                 "",
                 {"text": "Last one."})
    report = import_paths(store, [path])
    # A record answered reject in Prodigy is kept, skipped (annotator.formats.jsonl.answers).
    assert texts(store) == ["Good one.", "Kabul talks", "Rejected in Prodigy.", "Last one."]
    assert spans_of(store, 2) == [("Kabul", "GPE")]
    where = str(path)
    assert report.skipped[0].startswith(f"{where}:2: not valid JSON (Unterminated string")
    assert sorted(report.skipped[1:]) == sorted([
        f"{where}:3: expected a JSON object",
        f"{where}:4: no 'text' (or it is empty)",
        f"{where}:5: span 4 needs integer 'start', 'end' and a 'label'",
        f"{where}:5: span 5 needs integer 'start', 'end' and a 'label'",
        f"{where}:5: span 6-99 GPE is outside the text (length 11)",
        f"{where}:5: span 3-3 GPE is outside the text (length 11)",
    ])
    assert report.notes == [
        f"{where}:6: answer is 'reject': kept as a skipped article; exports leave it out"]


def test_a_lone_surrogate_escape_or_absurd_nesting_is_a_skipped_line_not_a_crash(store, tmp_path):
    path = jsonl(tmp_path / "odd.jsonl", '{"text": "half \\ud800 a pair"}', "[" * 50_000,
                 '{"text": "a whole pair \\ud83d\\ude00"}')
    report = import_paths(store, [path])
    assert texts(store) == ["a whole pair \U0001F600"]
    assert [line.split(": ")[0] for line in report.skipped] == [f"{path}:1", f"{path}:2"]


@pytest.mark.parametrize("span", [
    '{"start": 1.5, "end": 3, "label": "ORG"}',  # a fraction is not cut to 1
    '{"start": true, "end": 3, "label": "ORG"}',
    '{"start": "1", "end": 3, "label": "ORG"}',
    '{"start": 0, "end": 3, "label": null}',  # not the label "None"
    '{"start": 0, "end": 3, "label": ""}',
    '{"start": NaN, "end": 3, "label": "ORG"}',
    '{"start": 0, "end": 1e400, "label": "ORG"}',
    '{"start": 0, "end": Infinity, "label": "ORG"}',
])
def test_a_span_needs_integer_offsets_and_a_label(store, tmp_path, span):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Kabul talks", "spans": [{"start": 0, "end": 5.0, "label": "GPE"}, '
                    + span + "]}\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert spans_of(store, 1) == [("Kabul", "GPE")]  # 5.0 is an integer written as a float
    assert report.skipped == [f"{path}:1: span 2 needs integer 'start', 'end' and a 'label'"]
    assert store.schema.label("None") is None


# -- labels the schema lacks -------------------------------------------------------------------

RECORD = {"text": "Wagner fighters entered Bakhmut.",
          "spans": [{"start": 0, "end": 6, "label": "MERCENARY"}, {"start": 24, "end": 31, "label": "GPE"}]}


def test_unknown_labels_are_added_to_the_schema_by_default_and_kept(store, tmp_path):
    report = import_paths(store, [jsonl(tmp_path / "a.jsonl", RECORD)])
    assert report.labels_added == ["MERCENARY"]
    assert sorted(spans_of(store, 1)) == [("Bakhmut", "GPE"), ("Wagner", "MERCENARY")]
    label = store.schema.label("MERCENARY")
    assert label.key and label.color.startswith("#")
    path = store.path
    store.close()
    reopened = open_project(path)
    assert reopened.schema.label("MERCENARY") == label
    reopened.close()


def test_unknown_labels_can_be_skipped_and_each_skip_is_reported(store, tmp_path):
    path = jsonl(tmp_path / "a.jsonl", RECORD)
    report = import_paths(store, [path], unknown_labels="skip")
    assert spans_of(store, 1) == [("Bakhmut", "GPE")]
    assert report.skipped == [f"{path}:1: span 0-6: unknown label 'MERCENARY'"]
    assert store.schema.label("MERCENARY") is None


def test_unknown_labels_as_errors_fail_the_whole_file(store, tmp_path):
    path = jsonl(tmp_path / "a.jsonl", {"text": "Fine article, GPE only: Kyiv.",
                                        "spans": [{"start": 24, "end": 28, "label": "GPE"}]}, RECORD)
    before = state(store)
    report = import_paths(store, [path], unknown_labels="error")
    assert report.failed_files == [
        f"{path}:2: label 'MERCENARY' is not in the project's schema (use --unknown-labels add or skip)"]
    assert state(store) == before


# -- a failing file changes nothing ------------------------------------------------------------

def test_a_file_that_fails_leaves_the_project_untouched_and_the_others_import(store, tmp_path):
    import_paths(store, [jsonl(tmp_path / "earlier.jsonl", {"text": "A drone strike earlier."})])
    good = jsonl(tmp_path / "1-good.jsonl", {"text": "A drone strike in Baghdad."})
    lines = [json.dumps({"text": f"Drone report {n}", "spans": [{"start": 0, "end": 5, "label": "NEWLABEL"}]})
             for n in range(30)]
    bad = tmp_path / "2-bad.jsonl"
    bad.write_bytes(("\n".join(lines) + "\n").encode() + b'{"text": "caf\xe9"}\n')
    also_good = tmp_path / "3-good.txt"
    also_good.write_text("Another drone strike\nIn Syria.\n", encoding="utf-8")
    before = state(store)
    report = import_paths(store, [good, bad, also_good])
    assert report.files == [str(good), str(also_good)]
    assert report.failed_files[0].startswith(f"{bad}:31: not UTF-8")
    assert "Files not imported (nothing written from them): 1" in report.summary()
    # Nothing from the bad file: no articles, spans, search entries or schema labels.
    assert texts(store) == ["A drone strike earlier.", "A drone strike in Baghdad.",
                            "Another drone strike\nIn Syria.\n"]
    assert store.schema.label("NEWLABEL") is None and report.labels_added == []
    after = state(store)
    assert after["spans"] == before["spans"] and after["meta"] == before["meta"]
    assert len(after["fts"]) == 3
    # And the same holds for another connection reading the file.
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    assert "NEWLABEL" not in conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0]


def test_failures_are_reported_not_raised(store, tmp_path):
    # The CLI and the GUI show report.summary(); import_paths itself never raises for a file.
    (tmp_path / "a.txt").write_bytes(b"\xfa\xfb not text")
    report = import_paths(store, [tmp_path / "a.txt"], encoding="ascii")
    [failed] = report.failed_files
    assert failed.startswith(f"{tmp_path / 'a.txt'}:1: not valid ascii (byte 0xfa at offset 0)")
