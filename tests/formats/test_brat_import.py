"""brat standoff import on brat's own example corpora, and on the lines that go wrong."""

import json

import pytest

from annotator.formats.brat.conf import find_conf, parse_conf
from annotator.formats.importer import detect_format, expand_paths, import_paths
from annotator.store import open_project
from formats_helpers import BRAT, counts

# The table in /work/shared/corpora/MANIFEST.md (and tests/data/README.md), read off the files.
# Relations hold R lines; equivalences the * lines; attributes A and M lines.
EXPECTED = {
    "news-tutorial": dict(articles=13, spans=119, events=23, arguments=52, event_arguments=8,
                          relations=8, equivalences=2, attributes=11, notes=4, normalizations=1),
    "bionlp-st-2011-ge": dict(articles=20, spans=520, events=244, arguments=317,
                              event_arguments=100, relations=0, equivalences=14, attributes=41,
                              notes=0, normalizations=0),
    "conll-st-2002": dict(articles=20, spans=816, events=0, arguments=0, event_arguments=0,
                          relations=0, equivalences=0, attributes=0, notes=0, normalizations=0),
}


@pytest.mark.parametrize("corpus", sorted(EXPECTED))
def test_brat_corpora_import_with_every_annotation(store, corpus):
    report = import_paths(store, [BRAT / corpus])
    assert report.ok and not report.skipped and not report.duplicates, report.summary()
    assert counts(store) == EXPECTED[corpus]
    expected = EXPECTED[corpus]
    assert (report.articles, report.spans, report.events, report.arguments) == (
        expected["articles"], expected["spans"], expected["events"], expected["arguments"])
    assert report.relations == expected["relations"] + expected["equivalences"]


def test_the_annotation_conf_is_merged_into_the_schema(store):
    report = import_paths(store, [BRAT / "news-tutorial"])
    schema = store.reload_schema()
    assert {"Person", "Organization", "Money"} <= set(report.labels_added)
    assert schema.label("GPE")  # already in the news schema: kept as it was
    die = schema.event_type("Die")
    # The <POG> macro expanded; ? and {2} marks dropped; the abstract !Life not a type.
    assert [(r.name, r.fillers) for r in die.roles] == [
        ("Person-Arg", ("Person",)), ("Agent-Arg", ("Person", "Organization", "GPE")),
        ("Place-Arg", ("GPE",))]
    assert schema.event_type("Marry").role("Person-Arg").fillers == ("Person",)
    assert schema.event_type("Report").role("Event-Arg").fillers == ("<EVENT>",)
    assert schema.event_type("Life") is None
    assert schema.relation_type("Located").role("Arg2").fillers == ("GPE",)
    assert schema.relation_type("Alias") is not None
    assert any("!Life is abstract" in note for note in report.notes)
    # brat's [attributes] become the schema's attributes: flags, and values for Mention.
    assert {a.name: (a.values, a.targets) for a in schema.attributes
            if a.name in ("Negation", "Mention")} == {
        "Negation": ((), ("<EVENT>",)), "Mention": (("Name", "Nominal", "Other"), ("<ENTITY>",))}
    assert any("attribute Individual" in added for added in report.types_added)


def test_triggers_events_nested_events_and_meta(store):
    import_paths(store, [BRAT / "news-tutorial" / "090-event_structures.txt"])
    article_id = store.first_article_id()
    text = store.article(article_id).text
    spans = {s.id: s for s in store.spans(article_id)}
    events = store.events(article_id)
    report_events = [e for e in events if e.type == "Report"]
    assert len(report_events) == 4 and all(spans[e.trigger_id].kind == "trigger" for e in events)
    told = next(e for e in report_events if text[spans[e.trigger_id].start:
                                                  spans[e.trigger_id].end] == "told")
    # E3 Report:T11 Reporter-Arg:T6 Event-Arg:E4: an event fills Event-Arg.
    event_arg = next(a for a in told.arguments if a.role == "Event-Arg")
    filler = next(e for e in events if e.id == event_arg.arg_event_id)
    assert filler.type == "Report"
    assert store.article(article_id).ext_id == "090-event_structures"


def test_attributes_notes_and_normalizations_go_to_meta(store):
    import_paths(store, [BRAT / "news-tutorial"])
    rows = store.conn.execute(
        "SELECT e.type, e.meta FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE a.ext_id = '100-attribute_annotation' AND e.meta LIKE '%attributes%' "
        "ORDER BY e.id"
    ).fetchall()
    # (Merge-org's numbered Org-Arg2 is kept in its meta too: formats.numbered_roles.)
    attributes = [(kind, json.loads(meta)["attributes"]) for kind, meta in rows]
    assert len(rows) == 5 and attributes[:2] == [  # A1-A3, A5, A6; A4 is on a span
        ("Report", {"Confidence": "Neutral"}),
        ("Merge-org", {"Confidence": "Low"})]
    note = store.conn.execute("SELECT meta FROM events WHERE relation = 1 AND meta LIKE "
                              "'%notes%'").fetchone()[0]
    assert "Should this be marked?" in note
    norm = store.conn.execute("SELECT text, spans.meta, start, end FROM spans JOIN articles "
                              "ON articles.id = spans.article_id WHERE spans.meta LIKE "
                              "'%normalizations%'").fetchone()
    # N1 Reference T5 Wikipedia:64488 <tab> the entry's name, not the span's text.
    assert norm[0][norm[2]:norm[3]] == "former Mexican president"
    assert json.loads(norm[1])["normalizations"] == [
        {"type": "Reference", "ref": "Wikipedia:64488", "text": "Carlos Salinas de Gortari"}]


TEXT = "Barack Obama visited Paris and met the French president.\n"


def brat_doc(folder, ann_lines, text=TEXT, name="doc"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.ann").write_text("\n".join(ann_lines) + "\n", encoding="utf-8")
    return folder / f"{name}.txt"


def at(word, label, ident):
    start = TEXT.index(word)
    return f"{ident}\t{label} {start} {start + len(word)}\t{word}"


def test_bad_lines_are_skipped_with_file_and_line_and_the_rest_is_kept(store, tmp_path):
    paris = TEXT.index("Paris")
    path = brat_doc(tmp_path / "bad", [
        at("Barack Obama", "Person", "T1"),                 # 1
        at("Paris", "GPE", "T2"),                           # 2
        "T3\tPerson 0 6;7 12\tBarack Obama",                # 3 discontinuous
        at("met", "Meet", "T4"),                            # 4
        f"T5\tGPE {paris} {paris + 5}\tLondon",             # 5 text differs from the .txt
        "E1\tMeet:T4 Entity:T1 Entity2:T3 Place:T5",        # 6 T5 was skipped
        "R1\tLocated Arg1:T1 Arg2:T2",                      # 7
        "X1\tgarbage",                                      # 8
        "T6\tPerson 5",                                     # 9 malformed
        "A1\tNegation E1",                                  # 10
        "A2\tFoo T99",                                      # 11 no such annotation
        "#1\tAnnotatorNotes T2\tthe capital",               # 12
        "T1\tPerson 0 6\tBarack",                           # 13 duplicate id
        "E2\tMeet:T9 Entity:T1",                            # 14 no trigger
    ])
    assert detect_format(path) == "brat"
    report = import_paths(store, [path])
    assert report.ok, report.summary()
    ann = f"{tmp_path / 'bad' / 'doc.ann'}"
    skipped = "\n".join(report.skipped)
    for line in (5, 8, 9, 11, 13, 14):
        assert f"{ann}:{line}:" in skipped, (line, skipped)
    assert "'London' is not what the .txt has at its offsets ('Paris')" in skipped
    assert f"{ann}:6: E1, Place:T5: T5 is not an imported annotation" in skipped
    assert f"{ann}:3: T3 is discontinuous (2 fragments): stored as the span 0-12" in "\n".join(
        report.notes)
    assert counts(store) == dict(articles=1, spans=4, events=1, arguments=2,
                                 event_arguments=0, relations=1, equivalences=0,
                                 attributes=1, notes=1, normalizations=0)
    fragments = store.conn.execute("SELECT meta FROM spans WHERE meta LIKE '%fragments%'").fetchone()
    assert fragments[0] == '{"fragments": [[0, 6], [7, 12]]}'
    [event] = [e for e in store.events(store.first_article_id()) if not e.relation]
    assert sorted(a.role for a in event.arguments) == ["Entity", "Entity"]  # Entity2 -> Entity


def test_unknown_types_with_skip_and_error(tmp_path):
    path = brat_doc(tmp_path / "doc", [at("Barack Obama", "Person", "T1"), at("met", "Meet", "T2"),
                                       "E1\tMeet:T2 Entity:T1"])
    store = open_project(tmp_path / "skip.db")
    report = import_paths(store, [path], unknown_labels="skip")
    assert counts(store)["spans"] == 0 and counts(store)["events"] == 0
    assert any("unknown label 'Person'" in line for line in report.skipped)
    assert any("unknown event type 'Meet'" in line for line in report.skipped)
    store.close()
    store = open_project(tmp_path / "error.db")
    report = import_paths(store, [path], unknown_labels="error")
    assert not report.ok and "is not in the project's schema" in report.failed_files[0]
    assert counts(store)["articles"] == 0
    store.close()


def test_brat_files_are_found_and_a_lone_ann_is_reported(store, tmp_path):
    brat_doc(tmp_path / "corpus" / "sub", [at("Paris", "GPE", "T1")], name="a")
    (tmp_path / "corpus" / "plain.txt").write_text("Just text.\n")
    (tmp_path / "corpus" / "orphan.ann").write_text("T1\tGPE 0 4\tJust\n")
    (tmp_path / "corpus" / "annotation.conf").write_text("[entities]\nGPE\nCity\n")
    files = expand_paths([tmp_path / "corpus"])
    assert [p.name for p in files] == ["orphan.ann", "plain.txt", "a.txt"]
    assert [detect_format(p) for p in files] == ["brat", "txt", "brat"]
    assert find_conf(tmp_path / "corpus" / "sub", tmp_path / "corpus") == (
        tmp_path / "corpus" / "annotation.conf").resolve()
    report = import_paths(store, [tmp_path / "corpus"])
    assert len(report.failed_files) == 1 and "orphan.ann: no orphan.txt beside it" in (
        report.failed_files[0])
    assert report.articles == 2 and store.reload_schema().label("City")
    ext_ids = {row[0] for row in store.conn.execute("SELECT ext_id FROM articles")}
    assert ext_ids == {None, "sub/a"}


def test_conf_parsing_follows_brat():
    conf = parse_conf(
        "[entities]\nProtein\n!Abstract\n\tGene|GGP\n[relations]\n"
        "Equiv\tArg1:Protein, Arg2:Protein, <REL-TYPE>:symmetric-transitive\n"
        "<OVERLAP>\tArg1:Protein, Arg2:Protein, <OVL-TYPE>:contain\n[events]\n"
        "<P>=Protein|Gene\n----\nBinding\tTheme+:<P>, Site*:<ANY>, Count{1-3}:Protein\n"
        "[attributes]\nNegation\tArg:<EVENT>\n", "test.conf")
    assert conf.schema.label_names == ["Protein", "Gene"]
    [binding] = conf.schema.events
    assert [(r.name, r.fillers) for r in binding.roles] == [
        ("Theme", ("Protein", "Gene")), ("Site", ("<ENTITY>", "<EVENT>")), ("Count", ("Protein",))]
    assert [r.name for r in conf.schema.relations] == ["Equiv"] and conf.equivalences == {"Equiv"}
    assert any("<OVERLAP>" in note for note in conf.notes)
    # An attribute is part of the schema now, not a note.
    assert [(a.name, a.values, a.targets) for a in conf.schema.attributes] == [
        ("Negation", (), ("<EVENT>",))]


@pytest.mark.parametrize("counts_the_bom", [True, False])
def test_a_txt_with_a_byte_order_mark(store, tmp_path, counts_the_bom):
    """brat reads the BOM as a first character and counts offsets from it; a tool that
    skipped it counts from the text. Either way every span lands on its words, the first
    one too, although its text ("aa" in "aaaa") reads the same both ways."""
    text = "aaaa: Kataib Hezbollah struck Baghdad.\n"
    shift = 1 if counts_the_bom else 0
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (folder / "a.ann").write_text(f"T1\tMISC {0 + shift} {2 + shift}\taa\n"
                                  f"T2\tORG {6 + shift} {22 + shift}\tKataib Hezbollah\n"
                                  f"T3\tGPE {30 + shift} {37 + shift}\tBaghdad\n")
    report = import_paths(store, [folder])
    assert report.ok and not report.skipped, report.summary()
    article_id = store.first_article_id()
    assert store.article(article_id).text == text
    assert [(s.start, s.end, s.label) for s in store.spans(article_id)] == [
        (0, 2, "MISC"), (6, 22, "ORG"), (30, 37, "GPE")]
    assert any("byte order mark" in note for note in report.notes) == counts_the_bom


def test_arguments_their_role_does_not_allow_are_kept_as_exceptions(store, tmp_path):
    folder = tmp_path / "meet"
    folder.mkdir()
    (folder / "annotation.conf").write_text(
        "[entities]\nPerson\nOrganization\n[relations]\n[events]\nMeet\tParticipant*:Person\n[attributes]\n")
    text = "Ali met the Pentagon in Baghdad."
    (folder / "a.txt").write_text(text)
    (folder / "a.ann").write_text("T1\tPerson 0 3\tAli\nT2\tOrganization 12 20\tPentagon\n"
                                  "T3\tMeet 4 7\tmet\nE1\tMeet:T3 Participant:T1 Participant2:T2\n")
    report = import_paths(store, [folder])
    assert report.ok and not report.skipped, report.summary()
    rows = store.conn.execute(
        "SELECT substr(a.text, s.start + 1, s.end - s.start), g.override FROM event_arguments g "
        "JOIN spans s ON s.id = g.span_id JOIN articles a ON a.id = s.article_id ORDER BY s.start").fetchall()
    assert rows == [("Ali", 0), ("Pentagon", 1)]
    assert any("kept as exceptions (shown with ⚠): Meet/Participant 1" in n for n in report.notes)
