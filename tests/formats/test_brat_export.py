"""brat export: the .ann lines, the annotation.conf, and brat -> project -> brat -> project."""

import pytest

from annotator.core.errors import AnnotatorError
from annotator.formats.brat.conf import brat_names, parse_conf, renamed
from annotator.formats.brat.writer import export_brat
from annotator.formats.importer import import_paths
from annotator.formats.records import Cancelled
from annotator.store import open_project
from formats_helpers import BRAT, add_seed_events, annotations, counts


def imported(tmp_path, name, *paths):
    store = open_project(tmp_path / f"{name}.db")
    report = import_paths(store, paths)
    assert report.ok and not report.skipped, report.summary()
    return store


@pytest.mark.parametrize("corpus", ["news-tutorial", "bionlp-st-2011-ge", "conll-st-2002"])
def test_round_trip_keeps_every_entity_event_and_argument(tmp_path, corpus):
    first = imported(tmp_path, "first", BRAT / corpus)
    report = export_brat(first, tmp_path / "out")
    second = imported(tmp_path, "second", tmp_path / "out")
    before, after = counts(first), counts(second)
    # Every document goes out, those with an empty .ann too (as an empty .ann).
    assert after == before
    assert annotations(second) == annotations(first)
    assert not report.left_out
    assert report.counts["T"] == before["spans"] and report.counts["E"] == before["events"]
    assert report.counts["arguments"] == before["arguments"]
    # And once more: the second export is the first one, line for line.
    export_brat(second, tmp_path / "again")
    for ann in (tmp_path / "out").glob("*.ann"):
        assert (tmp_path / "again" / ann.name).read_text() == ann.read_text()
    first.close()
    second.close()


def test_ann_lines_and_names(tmp_path):
    store = imported(tmp_path, "p", BRAT / "news-tutorial")
    export_brat(store, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "090-event_structures.ann" in names and "annotation.conf" in names
    assert not any(name.startswith(".") for name in names)  # the staging folder is gone
    ann = (tmp_path / "out" / "090-event_structures.ann").read_text().splitlines()
    text = (tmp_path / "out" / "090-event_structures.txt").read_text()
    assert text == (BRAT / "news-tutorial" / "090-event_structures.txt").read_text()
    t_lines = {line.split("\t")[0]: line.split("\t") for line in ann if line.startswith("T")}
    for _, head, shown in t_lines.values():
        label, start, end = head.split()
        assert text[int(start):int(end)] == shown
    told = next(line for line in ann if line.startswith("E") and "Report:" in line and
                t_lines[line.split()[1].split(":")[1]][2] == "told")
    # E3 Report:T11 Reporter-Arg:T6 Event-Arg:E4 in the original.
    roles = dict(part.split(":") for part in told.split("\t")[1].split()[1:])
    assert t_lines[roles["Reporter-Arg"]][2] == "My friend" and roles["Event-Arg"].startswith("E")
    merged = (tmp_path / "out" / "080-event-annotation.ann").read_text()
    assert "Org-Arg:T" in merged and "Org-Arg4:T" in merged  # repeats numbered as brat does
    notes = (tmp_path / "out" / "110-note_annotation.ann").read_text()
    assert "\tAnnotatorNotes R1\tShould this be marked? It's not explicitly stated." in notes
    assert "R1\tFamily Arg1:T" in notes
    relations = (tmp_path / "out" / "060-relation_annotation.ann").read_text()
    assert "*\tAlias T" in relations and "R1\tLocated Arg1:T" in relations
    store.close()


def test_the_generated_conf_reads_back_as_the_schema(tmp_path):
    store = imported(tmp_path, "p", BRAT / "news-tutorial")
    export_brat(store, tmp_path / "out")
    text = (tmp_path / "out" / "annotation.conf").read_text()
    assert "Merge-org\tOrg-Arg*:Organization" in text
    assert "Alias\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive" in text
    # The schema's attributes in its order: ACE's, then those the conf brought.
    assert "Polarity\tArg:<EVENT>, Value:Positive|Negative" in text
    assert "Confidence\tArg:<EVENT>, Value:High|Neutral|Low" in text
    assert "Individual\tArg:<ENTITY>" in text
    schema = store.schema
    # The news schema's dotted names are written as brat stores them, and read back as ours.
    assert "Conflict_Attack\tAttacker*:PERSON|ORG|GPE|NORP" in text
    conf = parse_conf(text)
    conf.schema = renamed(conf.schema, brat_names(schema))
    assert conf.schema.label_names == schema.label_names
    assert [(t.name, [(r.name, r.fillers) for r in t.roles]) for t in conf.schema.events] == [
        (t.name, [(r.name, r.fillers) for r in t.roles]) for t in schema.events]
    assert [t.name for t in conf.schema.relations] == [t.name for t in schema.relations]
    assert conf.equivalences == {"Alias"}
    assert [(a.name, a.values, a.targets) for a in conf.schema.attributes] == [
        (a.name, a.values, a.targets) for a in schema.attributes]
    store.close()


def test_discontinuous_spans_go_back_out_as_fragments(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "d.txt").write_text("New and old York\n")
    (folder / "d.ann").write_text("T1\tGPE 0 3;12 16\tNew York\n")
    store = imported(tmp_path, "p", folder)
    export_brat(store, tmp_path / "out")
    assert (tmp_path / "out" / "d.ann").read_text() == "T1\tGPE 0 3;12 16\tNew York\n"
    store.close()


def test_what_brat_cannot_hold_is_reported(tmp_path):
    store = imported(tmp_path, "p", BRAT / "news-tutorial" / "060-relation_annotation.txt")
    article_id = store.first_article_id()
    relation = next(e for e in store.events(article_id) if e.type == "Located")
    # A third argument: brat relations are binary.
    store.conn.execute("INSERT INTO event_arguments (event_id, role, span_id) VALUES (?, ?, ?)",
                       (relation.id, "Arg2", relation.arguments[0].span_id))
    store.conn.commit()
    report = export_brat(store, tmp_path / "out")
    assert any("has 3 argument(s); brat relations have two" in line for line in report.left_out)
    assert "Left out (brat can't express them): 1" in report.summary()
    store.close()


def test_nothing_to_export_and_cancel_leave_no_files(tmp_path):
    empty = open_project(tmp_path / "empty.db")
    with pytest.raises(AnnotatorError, match="nothing to export"):
        export_brat(empty, tmp_path / "out")
    empty.close()
    store = imported(tmp_path, "p", BRAT / "conll-st-2002")
    with pytest.raises(Cancelled):
        export_brat(store, tmp_path / "out", progress=lambda done, total: False)
    assert list((tmp_path / "out").iterdir()) == []
    store.close()


def test_session_made_events_with_dotted_types_go_through_brat(project, tmp_path):
    """Events made as the GUI makes them, on the news schema (Conflict.Attack is
    Conflict_Attack to brat), exported to brat and imported into a new project."""
    ids = add_seed_events(project)
    export_brat(project, tmp_path / "out")
    # No external id: the file is named after the article's id.
    ann = (tmp_path / "out" / f"article-{ids['article_id']}.ann").read_text()
    attack = next(line for line in ann.splitlines() if line.startswith("E")
                  and "Conflict_Attack:" in line)
    assert [part.split(":")[0] for part in attack.split("\t")[1].split()[1:]] == [
        "Attacker", "Target", "Place"]
    statement = next(line for line in ann.splitlines() if "Contact_Statement:" in line)
    assert "Topic:E" in statement  # the attack fills the statement's Topic
    fresh = imported(tmp_path, "fresh", tmp_path / "out")
    assert fresh.schema.event_type("Conflict_Attack") is None  # brat's spelling read as ours
    seed_text = project.article(ids["article_id"]).text
    assert annotations(fresh)[seed_text] == annotations(project)[seed_text]
    fresh.close()


def test_file_names_are_safe_and_unique():
    from types import SimpleNamespace

    from annotator.formats.brat.writer import _Names

    names = _Names()
    given = [("esp/doc-1", 1), ("esp_doc-1", 2), ("ESP_DOC-1", 3), ("../etc/passwd", 4),
             (None, 7), ("...", 9), ("Zürich news", 10)]
    assert [names(SimpleNamespace(ext_id=e, id=i)) for e, i in given] == [
        "esp_doc-1", "esp_doc-1-2", "ESP_DOC-1-3", "etc_passwd", "article-7", "article-9",
        "Z_rich_news"]


def test_dotted_names_come_back_in_a_project_that_never_had_them(tmp_path):
    """A schema of our own with dotted names: brat spells them with _, and the import into a
    project with the default schema (which lacks them) reads them back as they were."""
    from annotator.core.schema import Schema
    from annotator.core.session import Session

    schema = Schema.from_dict({"entities": [{"label": "Org.Unit", "key": "u"}], "events": [
        {"type": "Business.Merge", "key": "M", "roles": [{"role": "Org", "labels": ["Org.Unit"]}]}]})
    source = open_project(tmp_path / "own.db", schema)
    text = "Acme merged with Widgets Inc. today."
    (tmp_path / "a.txt").write_text(text)
    import_paths(source, [tmp_path / "a.txt"])
    session = Session(source)
    session.open_first()
    event = session.apply(session.plan_add_event("Business.Merge", selection=(5, 11))).event
    session.apply(session.plan_add_new_argument(event, "Org", 0, 4, "Org.Unit"))
    export_brat(source, tmp_path / "out")
    conf = (tmp_path / "out" / "annotation.conf").read_text()
    assert "#annotator-name\tBusiness_Merge\tBusiness.Merge" in conf and "\nBusiness_Merge\t" in conf
    assert parse_conf(conf).names == {"Business_Merge": "Business.Merge", "Org_Unit": "Org.Unit"}
    fresh = imported(tmp_path, "fresh", tmp_path / "out")
    assert fresh.schema.event_type("Business.Merge").role("Org").fillers == ("Org.Unit",)
    assert fresh.schema.label("Org.Unit") and fresh.schema.label("Org_Unit") is None
    assert annotations(fresh)[text] == annotations(source)[text]
    source.close()
    fresh.close()


def test_the_confs_own_names_win_over_the_projects_spelling(tmp_path):
    """A project that has both Org_Unit and Org.Unit: documents whose conf says Org_Unit
    stood for Org.Unit land on Org.Unit; a conf without the comment keeps Org_Unit."""
    from annotator.core.schema import Schema

    both = Schema.from_dict({"entities": [{"label": "Org_Unit"}, {"label": "Org.Unit"}]})
    for folder, comment in (("said", "#annotator-name\tOrg_Unit\tOrg.Unit\n"), ("plain", "")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "annotation.conf").write_text(f"{comment}[entities]\nOrg_Unit\n")
        (tmp_path / folder / f"{folder}.txt").write_text(f"Acme {folder} text.")
        (tmp_path / folder / f"{folder}.ann").write_text("T1\tOrg_Unit 0 4\tAcme\n")
    store = open_project(tmp_path / "both.db", both)
    report = import_paths(store, [tmp_path / "said", tmp_path / "plain"])
    assert report.ok and not report.skipped, report.summary()
    labels = dict(store.conn.execute(
        "SELECT a.text, s.label FROM spans s JOIN articles a ON a.id = s.article_id").fetchall())
    assert labels == {"Acme said text.": "Org.Unit", "Acme plain text.": "Org_Unit"}
    store.close()
