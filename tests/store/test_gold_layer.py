"""The gold layer in the project file: agreed units written once, decisions as undoable edits
with their rows, progress per article, the whole corpus filled in short batches, and a
project from before adjudication upgraded."""

import pytest

from annotator.core import edit_log
from annotator.core.adjudication.edit import plan_resolution
from annotator.core.agreement import LayerSpan, LayerUnits
from annotator.core.layers import GOLD
from annotator.core.session import Session
from annotator.store import migrations, open_project
from tests.agreement_helpers import two_layers
from tests.conftest import on_disk


def gold(store):
    """Gold's rows as words: (text, label, kind), in text order; arguments (role, filler)."""
    spans = on_disk(
        store,
        "SELECT substr(a.text, s.start + 1, s.end - s.start), s.label, s.kind FROM spans s "
        "JOIN articles a ON a.id = s.article_id WHERE s.annotator = ? ORDER BY s.start, s.label",
        GOLD,
    )
    arguments = on_disk(
        store,
        "SELECT g.role, substr(a.text, s.start + 1, s.end - s.start) FROM event_arguments g "
        "JOIN spans s ON s.id = g.span_id JOIN articles a ON a.id = s.article_id "
        "WHERE g.annotator = ? ORDER BY g.role",
        GOLD,
    )
    return spans, arguments


def conflict(found, text, word):
    """The conflict whose extent starts at the first body occurrence of `word` after the title."""
    return next(c for c in found.conflicts if text[c.start : c.end].endswith(word))


def test_agreed_units_go_into_gold_once_and_the_conflicts_are_counted(store):
    two_layers(store)
    found = store.fill_article_gold(1)
    # ann and bob agree on Baghdad (the first), Kataib Hezbollah, drone, the Attack on
    # "strike" and its Place (the second Baghdad); they differ on the second Baghdad's label,
    # Pentagon / The Pentagon, Iraq (ann only), the Target and the Instrument.
    assert [(c.kind, c.role) for c in found.conflicts].count(("argument", "Target")) == 1
    assert len(found.conflicts) == 5
    spans, arguments = gold(store)
    assert sorted(spans) == sorted([
        ("Baghdad", "GPE", "entity"),
        ("Kataib Hezbollah", "ORG", "entity"),
        ("drone", "WEAPON", "entity"),
        ("strike", "Attack", "trigger"),
    ])  # fmt: skip
    # The Place (the second Baghdad) waits for the span conflict on its filler (docs)
    assert arguments == []
    assert on_disk(store, "SELECT conflicts, open FROM adjudication_progress") == [(5, 5)]
    changes = store.conn.total_changes
    store.fill_article_gold(1)  # again (the window, opening the article): nothing written
    assert store.conn.total_changes == changes
    assert gold(store) == (spans, arguments)
    assert store.has_gold() and store.export_layer(None, False, "p") == GOLD
    assert store.export_layer(None, True, "p") is None


def test_a_decision_is_an_edit_whose_undo_and_redo_keep_its_rows(store):
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, decided = store.article_adjudication(1)
    assert decided == {}
    iraq = conflict(found, text, "Iraq")
    assert iraq.names == ("ann", "bob")
    before = gold(store)
    edit = session.apply(plan_resolution(1, iraq, "take:ann", 5))
    assert ("Iraq", "GPE", "entity") in gold(store)[0]
    assert store.decisions(1) == {iraq.key: "take:ann"}
    assert on_disk(store, "SELECT open FROM adjudication_progress") == [(4,)]
    iraq_row = on_disk(store, "SELECT id FROM spans WHERE annotator = ? AND label = 'GPE' "
                       "AND start = ?", GOLD, iraq.start)  # fmt: skip
    session.revert(edit)
    assert gold(store) == before
    assert store.decisions(1) == {}
    assert on_disk(store, "SELECT open FROM adjudication_progress") == [(5,)]
    session.reapply(edit)
    assert on_disk(store, "SELECT id FROM spans WHERE annotator = ? AND start = ?",
                   GOLD, iraq.start) == iraq_row  # fmt: skip
    # "neither" writes nothing into gold, yet the conflict is closed
    target = next(c for c in found.conflicts if c.role == "Target")
    session.apply(plan_resolution(1, target, "neither", 4))
    assert gold(store)[1] == []  # the Place still waits for the second Baghdad's label
    assert store.decisions(1)[target.key] == "neither"
    assert len(store.article_adjudication(1)[0].open(store.decisions(1))) == 3
    # "both" on Pentagon / The Pentagon: both spans into gold
    pentagon = conflict(found, text, "Pentagon")
    session.apply(plan_resolution(1, pentagon, "both", 3))
    assert {("Pentagon", "ORG", "entity"), ("The Pentagon", "ORG", "entity")} <= set(gold(store)[0])
    assert store.adjudication_progress([1]) == {1: (5, 2)}


def test_taking_an_argument_makes_its_filler_in_gold(store):
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, _ = store.article_adjudication(1)
    instrument = next(c for c in found.conflicts if c.role == "Instrument")
    session.apply(plan_resolution(1, instrument, "take:ann", 5))
    assert ("Instrument", "drone") in gold(store)[1]
    # drone was agreed: its gold span fills the role, no second one is made
    assert [row for row in gold(store)[0] if row[0] == "drone"] == [("drone", "WEAPON", "entity")]
    assert text  # the seed article


def test_the_whole_corpus_is_filled_in_short_batches(store):
    from annotator.store.gold_fill import FillReport

    text = two_layers(store)
    for n in range(5):
        article = store.insert_article_row(
            f"Shelling hit Kharkiv on day {n}.", title=f"k{n}", ext_id=f"k{n}", digest=f"k{n}",
            meta={}, source="t",
        )  # fmt: skip
        kharkiv = LayerSpan(13, 20, "GPE")
        other = LayerSpan(13, 20, "LOC" if n % 2 else "GPE")
        store.write_layers([(article, "ann", LayerUnits((kharkiv,))),
                            (article, "bob", LayerUnits((other,)))])  # fmt: skip
    counted = store.fill_gold(write=False)
    assert isinstance(counted, FillReport) and counted.articles == 6
    assert not store.has_gold()  # counting writes nothing
    seen = []
    report = store.fill_gold(batch=2, progress=lambda done, total: seen.append(done))
    assert seen == [2, 4, 6]  # one transaction per batch of two articles
    assert report.open_by_article == {1: 5, 3: 1, 5: 1}
    assert report.open_by_label["GPE / LOC"] == 3  # two Kharkivs, and the second Baghdad
    assert on_disk(store, "SELECT count(*) FROM spans WHERE annotator = ? AND article_id > 1",
                   GOLD) == [(3,)]  # fmt: skip
    assert text


def test_a_project_from_before_adjudication_is_upgraded(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:10])
        old.setattr(migrations, "SCHEMA_VERSION", 10)
        store = open_project(path)
        two_layers(store)
        store.close()
    store = open_project(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert store.adjudication_policy() == "unanimous"
        assert len(store.fill_article_gold(1).conflicts) == 5
        store.set_adjudication_policy("majority")
        assert store.adjudication_policy() == "majority"
    finally:
        store.close()


@pytest.mark.parametrize("old_log", [False, True])
def test_undo_then_restart_then_redo_puts_the_gold_rows_back(tmp_path, old_log):
    """Undo a decision, quit, reopen, redo: the decision is recorded again and its gold rows
    are back (the undo logs the edit as it left it, with the rows it removed; an entry
    logged before that, without them, has its rows written afresh)."""
    path = tmp_path / "p.db"
    store = open_project(path)
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, _ = store.article_adjudication(1)
    iraq = next(c for c in found.conflicts if text[c.start : c.end] == "Iraq")
    edit = session.apply(plan_resolution(1, iraq, "take:ann", 5), log=True)
    logged_as_applied = edit_log.encode(edit)
    with_iraq = gold(store)
    session.revert(edit)
    if old_log:  # the undo as logged before: the edit from before its undo
        with store.write():
            store.mark_logged(*edit.log_entry, done=False, payload=logged_as_applied)
    store.close()

    store = open_project(path)  # a restart
    try:
        session = Session(store)
        session.open_article(1)
        again = session.logged_edits()[-1].edit()
        session.reapply(again)
        assert store.decisions(1) == {iraq.key: "take:ann"}
        assert gold(store) == with_iraq
    finally:
        store.close()


def test_undo_after_the_policy_changed_counts_the_open_conflicts_again(store):
    """Decide a conflict under "unanimous", switch to "majority" (Review > Agreed by
    majority: the article is counted again), then Ctrl+Z: the open count is counted anew,
    under the policy now in force."""
    from annotator.core.agreement import LayerSpan, LayerUnits

    text = two_layers(store)
    start = text.index("Iraq")
    store.write_layers([(1, "cy", LayerUnits((LayerSpan(start, start + 4, "GPE"),)))])
    found = store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    opened = len(found.open({}))
    first = found.conflicts[0]
    edit = session.apply(plan_resolution(1, first, f"take:{first.names[0]}", opened))
    store.set_adjudication_policy("majority")
    store.fill_article_gold(1)  # what the window does on the switch
    session.revert(edit)
    found, decided = store.article_adjudication(1)
    assert store.adjudication_progress([1]) == {1: (len(found.conflicts), len(found.open(decided)))}
