"""Merging into a project being adjudicated, and merging copies that hold gold: a re-merge
that changes an adjudicated article counts its conflicts again, and a copy's gold, decisions
and progress are not merged (gold is made in the merged project; the report says so)."""

from test_merge_keeps_others import alice_updates_her_copy, two_copies_merged
from test_merge_scenario import drone_article, run, sql

from annotator.core.layers import GOLD
from annotator.store import open_project


def test_a_remerge_that_brings_a_new_conflict_counts_it_open_in_the_list(capsys, tmp_path):
    """Article adjudicated (no open conflict in the list); alice's updated copy adds a span
    bob lacks, i.e. a new conflict: the list says it is open, not that all is decided."""
    alice, _, merged = two_copies_merged(capsys, tmp_path)
    store = open_project(merged)
    try:
        article = drone_article(store)
        found = store.fill_article_gold(article.id)
        for conflict in found.conflicts:
            store.record_decision(article.id, conflict.key, "neither")
        store.set_progress(article.id, len(found.conflicts), 0)
    finally:
        store.close()
    alice_updates_her_copy(alice)  # Kataib Hezbollah ORG: alice only
    code, out, _ = run(capsys, "merge", merged, alice)
    assert code == 0, out
    store = open_project(merged)
    try:
        found, decided = store.article_adjudication(article.id)
        really_open = len(found.open(decided))
        assert really_open >= 1
        listed = store.adjudication_progress([article.id])[article.id][1]
        assert listed == really_open, (listed, really_open)
    finally:
        store.close()


def test_a_copy_made_after_adjudication_does_not_bring_back_a_gold_span_removed_since(capsys, tmp_path):
    """Gold made in merged.db; a copy of it handed to alice (annotator backup); the
    adjudicator then removes a gold span in merged.db; alice's copy is merged: its gold is
    left out (the report says so) and the removed gold span stays removed."""
    alice, _, merged = two_copies_merged(capsys, tmp_path)
    store = open_project(merged)
    try:
        article = drone_article(store)
        store.fill_article_gold(article.id)
        gold = [s for s in store.spans(article.id) if s.annotator == GOLD]
    finally:
        store.close()
    if not gold:  # the two copies agree on nothing: put one gold span in by a decision
        store = open_project(merged)
        try:
            found, _ = store.article_adjudication(article.id)
            store.add_gold(article.id, found.conflicts[0].units_for("both"))
        finally:
            store.close()
    handed = tmp_path / "alice2.db"
    code, out, err = run(capsys, "backup", merged, handed)
    assert code == 0, err
    store = open_project(merged)
    try:
        from annotator.core.session import Session

        store.annotator = GOLD  # as Review > Adjudicate writes
        session = Session(store)
        session.open_article(article.id)
        removed = next(s for s in session.spans if s.annotator == GOLD)
        session.apply(session.plan_remove(removed), log=True)
    finally:
        store.close()
    code, out, _ = run(capsys, "merge", merged, handed)
    assert code == 0, out
    back = sql(merged, "SELECT count(*) FROM spans WHERE annotator = ? AND start = ? AND end = ?",
               GOLD, removed.start, removed.end)  # fmt: skip
    assert back == [(0,)], out
    assert "its gold layer" in out and "left out" in out, out


def test_an_adjudicated_copys_decisions_are_left_out_whatever_the_order_of_the_inputs(capsys, tmp_path):
    """A copy holding gold and its decisions, merged first (the output made as a file copy
    of it) or second: either way neither its gold nor its decisions come along."""
    from annotator.core.adjudication.edit import plan_resolution
    from annotator.core.session import Session

    alice, _, merged = two_copies_merged(capsys, tmp_path)
    store = open_project(merged)
    try:
        article = drone_article(store)
        found = store.fill_article_gold(article.id)
        session = Session(store)
        session.open_article(article.id)
        still = len(found.conflicts)
        for conflict in found.conflicts:
            session.apply(plan_resolution(article.id, conflict, "both", still))
            still -= 1
    finally:
        store.close()
    handed = tmp_path / "adjudicated.db"
    assert run(capsys, "backup", merged, handed)[0] == 0
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    assert run(capsys, "merge", first, handed)[0] == 0
    assert run(capsys, "merge", second, alice, handed)[0] == 0
    decided = "SELECT count(*) FROM adjudication_decisions"
    gold = "SELECT count(*) FROM spans WHERE annotator = ?"
    for out in (first, second):
        assert sql(out, decided) == [(0,)], out
        assert sql(out, gold, GOLD) == [(0,)], out
