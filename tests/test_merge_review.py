"""Merging copies: bugs a review found (same path, re-merge, undo, --annotator export, shared base rows)."""

from test_merge_scenario import ATTACK, drone_article, label, run, sql, word

from annotator.core.model import TRIGGER, Argument, Event, Span
from annotator.demo import build_demo_project
from annotator.store import open_project


import pytest


@pytest.mark.parametrize("which", ["bob", "alice"])
def test_remerge_keeps_another_annotators_event_on_a_merged_span(capsys, tmp_path, which):
    """Carol (adjudicating in the merged project) makes an Attack event whose trigger is
    alice's span and whose argument is bob's span. Merging alice's (unchanged) copy again
    must not delete carol's event; merging bob's again must not delete carol's argument."""
    base = tmp_path / "demo.db"
    build_demo_project(base)
    alice, bob, merged = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "merged.db"
    run(capsys, "backup", base, alice)
    run(capsys, "backup", base, bob)
    label(alice, "alice", [("Baghdad", "GPE")])
    label(bob, "bob", [("Pentagon", "ORG")])
    store = open_project(alice)
    store.annotator = "alice"
    art = drone_article(store)
    store.insert_span(Span(None, art.id, *word(art.text, "strike"), ATTACK, kind=TRIGGER))
    store.close()
    assert run(capsys, "merge", merged, alice, bob)[0] == 0
    store = open_project(merged)
    store.annotator = "carol"
    art = drone_article(store)
    spans = store.spans(art.id)
    trigger = next(s for s in spans if s.kind == TRIGGER and s.annotator == "alice")
    pentagon = next(s for s in spans if s.annotator == "bob")
    store.insert_event(
        Event(None, art.id, ATTACK, trigger.id, (Argument(None, None, "Attacker", pentagon.id),))
    )
    store.close()
    assert sql(merged, "SELECT count(*) FROM events WHERE annotator = 'carol'") == [(1,)]
    if which == "bob":
        assert run(capsys, "merge", merged, bob)[0] == 0
        assert sql(merged, "SELECT count(*) FROM event_arguments WHERE annotator = 'carol'") == [
            (1,)
        ]
    else:
        assert run(capsys, "merge", merged, alice)[0] == 0
        assert sql(merged, "SELECT count(*) FROM events WHERE annotator = 'carol'") == [(1,)]


def test_base_annotations_in_both_copies_are_not_doubled(capsys, tmp_path):
    """The project handed out already holds imported spans (annotator 'import'); both copies
    carry them. After merging the two copies the 'import' layer must not be there twice."""
    base = tmp_path / "demo.db"
    build_demo_project(base)
    label(base, "import", [("Baghdad", "GPE")])
    alice, bob, merged = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "merged.db"
    run(capsys, "backup", base, alice)
    run(capsys, "backup", base, bob)
    code, out, _ = run(capsys, "merge", merged, alice, bob)
    assert code == 0, out
    assert sql(merged, "SELECT count(*) FROM spans WHERE annotator = 'import'") == [(1,)], out
    assert "shared: 1 annotations another file already brought" in out
    assert "note:" not in out  # "import" is everyone's base, not a person merged twice


def test_undone_delete_of_a_merged_span_is_not_doubled_by_the_next_merge(capsys, tmp_path):
    """Carol deletes one of bob's merged spans in the merged project and undoes it (Ctrl+Z:
    restore_removal). Bob's copy is then merged again: his layer must hold the span once."""
    base = tmp_path / "demo.db"
    build_demo_project(base)
    bob, merged = tmp_path / "bob.db", tmp_path / "merged.db"
    run(capsys, "backup", base, bob)
    label(bob, "bob", [("Pentagon", "ORG"), ("Baghdad", "GPE")])
    assert run(capsys, "merge", merged, bob)[0] == 0
    store = open_project(merged)
    store.annotator = "carol"
    art = drone_article(store)
    pentagon = next(s for s in store.spans(art.id) if art.text[s.start : s.end] == "Pentagon")
    removal = store.plan_removal(span_ids=[pentagon.id])
    store.apply_removal(removal)
    store.restore_removal(removal)  # what undo does
    store.close()
    assert sql(merged, "SELECT annotator FROM spans WHERE label = 'ORG'") == [("bob",)]
    assert run(capsys, "merge", merged, bob)[0] == 0
    assert sql(merged, "SELECT annotator FROM spans WHERE label = 'ORG'") == [("bob",)]


def test_export_one_annotators_layer_leaves_out_articles_only_others_finished(capsys, tmp_path):
    """Alice labels the drone article and marks it done in her copy; bob labels another
    article. `export spacy --annotator bob` must not export alice's finished article as
    one of bob's negative examples (every token O)."""
    from spacy_shards import shard_docs

    base = tmp_path / "demo.db"
    build_demo_project(base)
    alice, bob, merged = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "merged.db"
    run(capsys, "backup", base, alice)
    run(capsys, "backup", base, bob)
    drone_id = label(alice, "alice", [("Baghdad", "GPE")])
    store = open_project(alice)
    store.set_status(drone_id, "done")
    store.close()
    store = open_project(bob)
    store.annotator = "bob"
    other = next(a for a in (store.article(i) for i in range(1, 10) if store.article(i))
                 if a.id != drone_id)  # fmt: skip
    first_word = other.text.split()[0]
    start = other.text.index(first_word)
    store.insert_span(Span(None, other.id, start, start + len(first_word), "ORG"))
    store.close()
    assert run(capsys, "merge", merged, alice, bob)[0] == 0
    code, out, err = run(capsys, "export", "spacy", merged, tmp_path / "bob-spacy",
                         "--annotator", "bob", "--dev-share", "0")  # fmt: skip
    assert code == 0, err
    assert "articles without bob's spans or events were left out" in out
    docs = shard_docs(tmp_path / "bob-spacy")
    assert [len(d.ents) for d in docs] == [1], (
        f"{len(docs)} docs for bob; entities per doc: {[len(d.ents) for d in docs]}"
    )


def test_another_persons_copy_saved_at_the_same_path_does_not_delete_a_layer(capsys, tmp_path):
    """Both annotators send 'project.db'; the adjudicator saves each into Downloads in turn
    and merges it. Merging bob's file must not delete alice's layer (merge_sources is keyed
    by path only)."""
    import shutil

    base = tmp_path / "demo.db"
    build_demo_project(base)
    alice, bob, merged = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "merged.db"
    run(capsys, "backup", base, alice)
    run(capsys, "backup", base, bob)
    label(alice, "alice", [("Baghdad", "GPE")])
    label(bob, "bob", [("Pentagon", "ORG")])
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    shutil.copy(alice, downloads / "project.db")
    assert run(capsys, "merge", merged, downloads / "project.db")[0] == 0
    shutil.copy(bob, downloads / "project.db")  # bob's copy, same name, same place
    code, out, _ = run(capsys, "merge", merged, downloads / "project.db")
    assert code == 0
    assert sql(merged, "SELECT DISTINCT annotator FROM spans ORDER BY 1") == [
        ("alice",),
        ("bob",),
    ], out


def test_remerge_updates_a_referenced_span_in_place_and_reports_one_gone(capsys, tmp_path):
    """Carol's event hangs on alice's trigger. Merging alice's copy again keeps that very row
    (not a second copy of it); once alice deletes the trigger in her copy, the next merge
    keeps the row for carol's event and says so instead of deleting carol's work."""
    base = tmp_path / "demo.db"
    build_demo_project(base)
    alice, merged = tmp_path / "alice.db", tmp_path / "merged.db"
    run(capsys, "backup", base, alice)
    store = open_project(alice)
    store.annotator = "alice"
    art = drone_article(store)
    store.insert_span(Span(None, art.id, *word(art.text, "strike"), ATTACK, kind=TRIGGER))
    store.close()
    assert run(capsys, "merge", merged, alice)[0] == 0
    store = open_project(merged)
    store.annotator = "carol"
    art = drone_article(store)
    trigger = next(s for s in store.spans(art.id) if s.kind == TRIGGER)
    store.insert_event(Event(None, art.id, ATTACK, trigger.id, ()))
    store.close()
    assert run(capsys, "merge", merged, alice)[0] == 0
    triggers = "SELECT id FROM spans WHERE kind = 'trigger'"
    assert sql(merged, triggers) == [(trigger.id,)]
    assert sql(merged, "SELECT trigger_id FROM events WHERE annotator = 'carol'") == [
        (trigger.id,)
    ]
    store = open_project(alice)
    gone = next(s for s in store.spans(drone_article(store).id) if s.kind == TRIGGER)
    store.apply_removal(store.plan_removal(span_ids=[gone.id]))
    store.close()
    code, out, _ = run(capsys, "merge", merged, alice)
    assert code == 0
    assert "kept: 1 of its earlier spans or events the file no longer has" in out
    assert sql(merged, "SELECT trigger_id FROM events WHERE annotator = 'carol'") == [
        (trigger.id,)
    ]
