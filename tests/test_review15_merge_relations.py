"""Review of issue 15 (merge): two relations of one type by one person on one article share
write_layer's key (article, type, trigger None, relation, annotator): a re-merge pairs them
with the output's rows in the wrong order, rewrites their arguments, and an argument bob
added in the merged project to one relation ends up on the other."""

from dataclasses import replace

from test_merge_scenario import run, sql

from annotator.core.model import Argument, Event, Span
from annotator.core.schema import EventType, Role
from annotator.store import open_project

TEXT = "Acme Corp of Paris met Globex Inc of Rome on Monday."


def test_remerge_keeps_each_relations_own_arguments(capsys, tmp_path):
    base = tmp_path / "base.db"
    store = open_project(base)
    schema = store.schema
    located = EventType("Located", "#888888", roles=(Role("Arg1"), Role("Arg2"), Role("Time")),
                        relation=True)  # fmt: skip
    store.set_schema(replace(schema, relations=[*schema.relations, located]))
    store.insert_article_row(TEXT, title="t", ext_id="t", digest="t", meta={}, source="t")
    store.close()
    alice, merged = tmp_path / "alice.db", tmp_path / "merged.db"
    assert run(capsys, "backup", base, alice)[0] == 0
    store = open_project(alice)
    store.annotator = "alice"
    try:
        def span(word, label):
            at = TEXT.index(word)
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
        monday = TEXT.index("Monday")
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
