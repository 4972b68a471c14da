"""doccano JSONL import and export, on doccano's own format examples."""

import json
from pathlib import Path

import pytest

from annotator.core.model import Span
from annotator.formats.doccano.writer import export_doccano
from annotator.formats.importer import import_paths
from annotator.store import open_project
from formats_helpers import add_seed_events, annotations, label_seed, SEED

DATA = Path(__file__).resolve().parents[1] / "data" / "doccano"
RELATIONS = DATA / "relation_extraction_example.jsonl"
OVERLAPPING = DATA / "sequence_labeling_example_overlapping.jsonl"


def write(path, *records, pretty=False):
    path.write_text("".join(json.dumps(r, indent=4 if pretty else None) + "\n" for r in records),
                    encoding="utf-8")
    return path


def test_the_pretty_printed_relation_example(store):
    report = import_paths(store, [RELATIONS])
    assert report.ok and (report.articles, report.spans, report.relations) == (1, 4, 3)
    assert not report.skipped and not report.notes
    spans, events = annotations(store)[store.article(1).text]
    text = store.article(1).text
    assert [(text[s:e], label) for s, e, label, _ in spans] == [
        ("Google", "ORG"), ("September 4, 1998", "DATE"), ("Larry Page", "PERSON"),
        ("Sergey Brin", "PERSON")]
    assert sorted(head[0] for head, _ in events) == ["foundedAt", "foundedBy", "foundedBy"]
    assert "relation type foundedAt" in report.types_added


def test_the_same_span_twice_is_kept_once_and_meta_is_kept(store):
    report = import_paths(store, [OVERLAPPING])
    assert (report.articles, report.spans) == (1, 1)
    assert report.notes == [f"{OVERLAPPING}:1: span 0-1 LOC is there twice; kept once"]
    assert store.article(1).meta == {"wikiPageID": 1}


def test_both_forms_overlaps_ids_and_categories(store, tmp_path):
    path = write(tmp_path / "mixed.jsonl",
                 {"id": "afp-1", "text": "Kataib Hezbollah fighters", "label": [
                     [0, 16, "ORG"], [7, 25, "NORP"], "POLITICS"], "Comments": []},
                 {"id": 3, "data": "Old doccano wrote data.", "label": [[0, 3, "ORG"]]},
                 pretty=True)
    report = import_paths(store, [path])
    assert (report.articles, report.spans) == (2, 3) and not report.skipped
    first, second = store.article(1), store.article(2)
    assert first.ext_id == "afp-1" and second.ext_id is None  # doccano's row numbers aren't ids
    assert first.meta == {"categories": ["POLITICS"], "Comments": []}
    assert second.meta == {"doccano_id": 3}
    assert len(store.spans(1)) == 2  # overlapping spans are fine in doccano


def test_bad_offsets_and_relations_are_reported(store, tmp_path):
    path = write(tmp_path / "bad.jsonl",
                 {"text": "Short.", "label": [[0, 99, "ORG"], [3, 1, "ORG"], [0, "x", "ORG"],
                                             [0, 5, "ORG"]]},
                 {"text": "A relation to nowhere.", "entities": [
                     {"id": 1, "start_offset": 0, "end_offset": 1, "label": "ORG"}],
                  "relations": [{"id": 1, "from_id": 1, "to_id": 9, "type": "x"}]})
    report = import_paths(store, [path])
    assert (report.articles, report.spans, report.relations) == (2, 2, 0)
    assert report.skipped == [
        f"{path}:1: label 3 is not [start, end, label]",
        f"{path}:1: span 0-99 ORG is outside the text (length 6)",
        f"{path}:1: span 3-1 ORG is outside the text (length 6)",
        f"{path}:2: relation 1: its 'from_id' or 'to_id' names no imported entity of this "
        "record, or it has no 'type'",
    ]


def test_a_broken_pretty_record_is_skipped_and_the_next_one_read(store, tmp_path):
    good = json.dumps({"text": "Second record.", "label": [[0, 6, "ORG"]]}, indent=2)
    path = tmp_path / "broken.jsonl"
    path.write_text('{\n  "text": "First record,\n  "label": [\n' + good + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.articles == 1 and report.skipped[0].startswith(f"{path}:2: not valid JSON")


def test_crlf_and_bom_keep_offsets(store, tmp_path):
    path = tmp_path / "dos.jsonl"
    text = "Line one\r\nBaghdad"
    record = json.dumps({"text": text, "label": [[10, 17, "GPE"]]}, indent=2)
    path.write_bytes(b"\xef\xbb\xbf" + record.replace("\n", "\r\n").encode("utf-8"))
    report = import_paths(store, [path], fmt="doccano")
    assert report.spans == 1 and not report.skipped
    article = store.article(1)
    assert article.text == text and article.text[10:17] == "Baghdad"


def test_export_label_and_entities_forms_and_back(store, tmp_path):
    store.close()
    store = open_project(tmp_path / "seed.db")
    import_paths(store, [SEED])
    label_seed(store)
    add_seed_events(store)
    before = annotations(store)

    report = export_doccano(store, tmp_path / "label.jsonl")
    line = json.loads((tmp_path / "label.jsonl").read_text().splitlines()[0])
    # event_types: so that an import into a project without these types finds the triggers.
    assert set(line) == {"text", "label", "title", "meta", "event_types"}
    assert line["event_types"] == sorted({label for _, _, label, kind in before[line["text"]][0]
                                          if kind == "trigger"})
    assert sorted(tuple(x) for x in line["label"]) == sorted(
        (s, e, label) for s, e, label, _ in before[line["text"]][0])
    assert report.left_out == 6 and "--form entities keeps them" in report.summary()

    report = export_doccano(store, tmp_path / "entities.jsonl", form="entities")
    line = json.loads((tmp_path / "entities.jsonl").read_text().splitlines()[0])
    assert len(line["relations"]) == 6 and report.relations == 6 and not report.left_out

    again = open_project(tmp_path / "again.db")
    back = import_paths(again, [tmp_path / "entities.jsonl"])
    assert back.ok and not back.skipped, back.summary()
    # Triggers come back as triggers, arguments as arguments (the event filling a role too).
    assert annotations(again) == before
    again.close()
    store.close()


def test_export_counts_astral_characters(store, tmp_path):
    with store.write():
        article_id = store.insert_article_row("🚀 Launch by NASA", title="t", ext_id="x",
                                              digest="d", meta={}, source="t")
    store.insert_span(Span(None, article_id, 12, 16, "ORG"))
    report = export_doccano(store, tmp_path / "out.jsonl")
    assert report.astral == 1 and "UTF-16" in report.summary()
    line = json.loads((tmp_path / "out.jsonl").read_text())
    assert line["id"] == "x" and line["label"] == [[12, 16, "ORG"]]


def utf16_offset(text: str, index: int) -> int:
    """What JavaScript's String index of text[index] is."""
    return len(text[:index].encode("utf-16-le")) // 2


@pytest.mark.parametrize("fmt", ["doccano", "jsonl"])
def test_utf16_offsets_from_browser_tools(tmp_path, fmt):
    """doccano's editor counts an emoji as two (JavaScript strings): by default the import
    says what may be wrong; with --offsets utf16 every span lands on its words."""
    from annotator.cli import main

    text = "Fans 🎉🎉 cheered Messi in Paris 🇫🇷 on Sunday."
    wanted = [("Messi", "PERSON"), ("Paris", "GPE"), ("Sunday", "DATE")]
    places = [(utf16_offset(text, text.index(word)), utf16_offset(text, text.index(word) + len(word)), label)
              for word, label in wanted]
    if fmt == "doccano":
        record = {"text": text, "label": [list(place) for place in places]}
    else:  # Prodigy-style, with the span's text: the default import finds it doesn't match
        record = {"text": text, "spans": [{"start": s, "end": e, "label": l, "text": w}
                                          for (s, e, l), (w, _) in zip(places, wanted)]}
    path = write(tmp_path / "browser.jsonl", record)
    chars = open_project(tmp_path / "chars.db")
    report = import_paths(chars, [path], fmt=fmt)
    chars.close()
    if fmt == "doccano":  # no span text to check against: the note says what may be wrong
        assert any("into a new project with --offsets utf16" in note for note in report.notes)
    else:  # each span's text disagrees, and the reason says why that may be
        assert len(report.skipped) == 3
        assert all("(--offsets utf16)" in line for line in report.skipped)
    assert main(["import", str(tmp_path / "u16.db"), str(path), "--format", fmt, "--offsets", "utf16"]) == 0
    store = open_project(tmp_path / "u16.db")
    spans = store.spans(store.first_article_id())
    assert [(text[s.start:s.end], s.label) for s in spans] == wanted
    store.close()


def test_utf16_conversion_matches_javascripts_counting():
    from annotator.formats.records import SpanRecord, from_utf16

    text = "a😀b𝔘c日本d🇫🇷e"
    spans = [SpanRecord(utf16_offset(text, i), utf16_offset(text, j), "X")
             for i in range(len(text)) for j in range(i + 1, len(text) + 1)]
    expected = [(i, j) for i in range(len(text)) for j in range(i + 1, len(text) + 1)]
    from_utf16(text, spans)
    assert [(s.start, s.end) for s in spans] == expected
    past = [SpanRecord(0, utf16_offset(text, len(text)) + 3, "X")]
    from_utf16(text, past)
    assert past[0].end == len(text) + 3  # still past the end: reported, not clamped
