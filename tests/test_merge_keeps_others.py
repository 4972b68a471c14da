"""Merging an updated copy again replaces that copy's layer, never other people's work on
it: an argument bob adds to alice's merged event (in the merged project, or in his own copy
of it) survives alice's file being merged again, is in the export, and is not doubled when
bob's file is merged again (issue 15, Must show 2)."""

from dataclasses import replace

from spacy_shards import shard_docs
from test_merge_scenario import drone_article, label, run, sql, word

from annotator.core.model import Argument, Event, Span
from annotator.core.schema import EventType, Role
from annotator.demo import build_demo_project
from annotator.store import open_project

ARGUMENTS = (
    "SELECT e.annotator, a.annotator, a.role, substr(x.text, s.start + 1, s.end - s.start) "
    "FROM event_arguments a JOIN events e ON e.id = a.event_id JOIN spans s ON s.id = a.span_id "
    "JOIN articles x ON x.id = e.article_id ORDER BY 1, 2, 3"
)


def two_copies_merged(capsys, tmp_path):
    """alice's copy: an Attack on "strike" with Place = Baghdad; bob's: a span on Pentagon.
    Both merged into merged.db."""
    base = tmp_path / "demo.db"
    build_demo_project(base)
    alice, bob, merged = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "merged.db"
    run(capsys, "backup", base, alice)
    run(capsys, "backup", base, bob)
    label(alice, "alice", [("Baghdad", "GPE")], {"Place": "Baghdad"})
    label(bob, "bob", [("Pentagon", "ORG")])
    code, out, _ = run(capsys, "merge", merged, alice, bob)
    assert code == 0, out
    return alice, bob, merged


def add_attacker(path, who: str) -> None:
    """`who` adds Attacker = Pentagon to alice's Attack event, as the events panel does."""
    store = open_project(path)
    store.annotator = who
    try:
        article = drone_article(store)
        (event,) = [e for e in store.events(article.id) if e.annotator == "alice"]
        pentagon = next(
            s for s in store.spans(article.id) if article.text[s.start : s.end] == "Pentagon"
        )
        store.insert_argument(Argument(None, event.id, "Attacker", pentagon.id))
    finally:
        store.close()


def alice_updates_her_copy(alice) -> None:
    """alice labels one more entity: her file changed, so merging it again has work to do."""
    store = open_project(alice)
    store.annotator = "alice"
    try:
        article = drone_article(store)
        store.insert_span(Span(None, article.id, *word(article.text, "Kataib Hezbollah"), "ORG"))
    finally:
        store.close()


def exported_roles(capsys, merged, folder) -> list[tuple[str, str]]:
    code, _, err = run(capsys, "export", "spacy", merged, folder, "--dev-share", "0")
    assert code == 0, err
    doc = next(d for d in shard_docs(folder) if d.user_data.get("events"))
    (event,) = doc.user_data["events"]
    return sorted((a["role"], doc.text[a["start"] : a["end"]]) for a in event["arguments"])


def test_an_argument_added_in_the_merged_project_survives_the_owners_remerge(capsys, tmp_path):
    alice, _, merged = two_copies_merged(capsys, tmp_path)
    add_attacker(merged, "bob")
    alice_updates_her_copy(alice)
    code, out, _ = run(capsys, "merge", merged, alice)
    assert code == 0, out
    assert sql(merged, ARGUMENTS) == [
        ("alice", "alice", "Place", "Baghdad"),
        ("alice", "bob", "Attacker", "Pentagon"),
    ], out
    assert "layer alice: 3 spans, 1 events, 1 arguments" in out  # Kataib came in
    assert exported_roles(capsys, merged, tmp_path / "spacy") == [
        ("Attacker", "Pentagon"),
        ("Place", "Baghdad"),
    ]


def test_an_argument_added_in_a_copy_of_the_merged_project_is_merged_and_kept(capsys, tmp_path):
    """The merged project is handed back out; bob adds his argument to alice's event in his
    new copy. Merging that copy brings his argument (alice's rows in it are shared, not
    doubled); merging alice's updated copy keeps it; merging bob's again does not double it."""
    alice, _, merged = two_copies_merged(capsys, tmp_path)
    bob2 = tmp_path / "bob2.db"
    run(capsys, "backup", merged, bob2)
    add_attacker(bob2, "bob")
    code, out, _ = run(capsys, "merge", merged, bob2)
    assert code == 0, out
    assert sql(merged, ARGUMENTS) == [
        ("alice", "alice", "Place", "Baghdad"),
        ("alice", "bob", "Attacker", "Pentagon"),
    ], out
    alice_updates_her_copy(alice)
    for path in (alice, bob2, alice):
        code, out, _ = run(capsys, "merge", merged, path)
        assert code == 0, out
        assert sql(merged, ARGUMENTS) == [
            ("alice", "alice", "Place", "Baghdad"),
            ("alice", "bob", "Attacker", "Pentagon"),
        ], f"after merging {path.name} again:\n{out}"
    assert sql(merged, "SELECT count(*) FROM events") == [(1,)]
    assert exported_roles(capsys, merged, tmp_path / "spacy") == [
        ("Attacker", "Pentagon"),
        ("Place", "Baghdad"),
    ]


def test_an_argument_the_owner_removed_goes_but_others_stay(capsys, tmp_path):
    """alice removes her own Place argument in her copy: merging it again removes it from
    the merged project (her layer is replaced), while bob's argument on her event stays."""
    alice, _, merged = two_copies_merged(capsys, tmp_path)
    add_attacker(merged, "bob")
    store = open_project(alice)
    try:
        article = drone_article(store)
        (event,) = store.events(article.id)
        store.apply_removal(store.plan_removal(argument_ids=[event.arguments[0].id]))
    finally:
        store.close()
    code, out, _ = run(capsys, "merge", merged, alice)
    assert code == 0, out
    assert sql(merged, ARGUMENTS) == [("alice", "bob", "Attacker", "Pentagon")], out


def test_an_undone_removal_of_a_merged_argument_is_still_the_owners(capsys, tmp_path):
    """Carol removes alice's merged argument in the merged project and undoes it: the
    argument is alice's merged row again. Merging alice's copy again holds it once; once
    alice removes it in her copy, the next merge removes it (it did not become carol's)."""
    alice, _, merged = two_copies_merged(capsys, tmp_path)
    store = open_project(merged)
    store.annotator = "carol"
    try:
        (event,) = store.events(drone_article(store).id)
        removal = store.plan_removal(argument_ids=[event.arguments[0].id])
        store.apply_removal(removal)
        store.restore_removal(removal)
    finally:
        store.close()
    assert run(capsys, "merge", merged, alice)[0] == 0
    assert sql(merged, ARGUMENTS) == [("alice", "alice", "Place", "Baghdad")]
    store = open_project(alice)
    try:
        (event,) = store.events(drone_article(store).id)
        store.apply_removal(store.plan_removal(argument_ids=[event.arguments[0].id]))
    finally:
        store.close()
    assert run(capsys, "merge", merged, alice)[0] == 0
    assert sql(merged, ARGUMENTS) == []


def test_a_note_written_in_the_merged_project_survives_the_owners_remerge(capsys, tmp_path):
    """The adjudicator writes a note on alice's span in the merged project; alice's updated
    copy (where the span has no note) is merged again: the note is still there."""
    alice, _, merged = two_copies_merged(capsys, tmp_path)
    store = open_project(merged)
    try:
        article = drone_article(store)
        span = next(s for s in store.spans(article.id) if s.annotator == "alice")
        store.set_annotation_meta("spans", span.id, {"notes": ["check the source"]})
    finally:
        store.close()
    alice_updates_her_copy(alice)
    code, out, _ = run(capsys, "merge", merged, alice)
    assert code == 0, out
    assert sql(merged, "SELECT meta FROM spans WHERE id = ?", span.id) == [
        ('{"notes": ["check the source"]}',)
    ]


RELATION_TEXT = "Acme Corp of Paris met Globex Inc of Rome on Monday."


def test_remerge_keeps_each_relations_own_arguments(capsys, tmp_path):
    """Two relations of one type by alice on one article (no trigger: the same type,
    article and person); bob dates one of them in the merged project; alice's copy merged
    again: bob's Time stays on the relation he dated."""
    base = tmp_path / "base.db"
    store = open_project(base)
    schema = store.schema
    located = EventType("Located", "#888888", roles=(Role("Arg1"), Role("Arg2"), Role("Time")),
                        relation=True)  # fmt: skip
    store.set_schema(replace(schema, relations=[*schema.relations, located]))
    store.insert_article_row(RELATION_TEXT, title="t", ext_id="t", digest="t", meta={}, source="t")
    store.close()
    alice, merged = tmp_path / "alice.db", tmp_path / "merged.db"
    assert run(capsys, "backup", base, alice)[0] == 0
    store = open_project(alice)
    store.annotator = "alice"
    try:
        def span(word, label):
            at = RELATION_TEXT.index(word)
            return store.insert_span(Span(None, 1, at, at + len(word), label)).id

        acme, paris = span("Acme Corp", "ORG"), span("Paris", "GPE")
        globex, rome = span("Globex Inc", "ORG"), span("Rome", "GPE")
        for org, city in ((acme, paris), (globex, rome)):
            store.insert_event(Event(None, 1, "Located", None,
                                     (Argument(None, None, "Arg1", org),
                                      Argument(None, None, "Arg2", city)), relation=True))  # fmt: skip
    finally:
        store.close()
    code, out, _ = run(capsys, "merge", merged, alice)
    assert code == 0, out
    relations = (
        "SELECT e.id, group_concat(a.role || '=' || substr(x.text, s.start + 1, s.end - s.start), "
        "' ') FROM events e JOIN event_arguments a ON a.event_id = e.id JOIN spans s "
        "ON s.id = a.span_id JOIN articles x ON x.id = e.article_id WHERE e.relation = 1 "
        "GROUP BY e.id ORDER BY e.id"
    )
    first = sql(merged, relations)
    # bob, in the merged project, dates the Globex relation
    store = open_project(merged)
    store.annotator = "bob"
    try:
        globex_rel = next(i for i, words in first if "Globex" in words)
        monday = RELATION_TEXT.index("Monday")
        day = store.insert_span(Span(None, 1, monday, monday + 6, "DATE")
                                if store.schema.label("DATE") else
                                Span(None, 1, monday, monday + 6, "ORG"))
        store.insert_argument(Argument(None, globex_rel, "Time", day.id))
    finally:
        store.close()
    code, out, _ = run(capsys, "merge", merged, alice)  # alice's copy again, unchanged
    assert code == 0, out
    after = dict(sql(merged, relations))
    words = next(w for w in after.values() if "Time=Monday" in w)
    assert "Globex" in words, after  # bob's Time stays on the Globex relation
