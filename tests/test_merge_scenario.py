"""Several annotators without a server (issue 15): two people label the demo articles
differently in their own copies (`annotator backup`), the copies are merged (`annotator
merge`), each layer is checked in SQLite, an updated copy is merged again (replaced, not
doubled), and one annotator's layer is exported to spaCy and read back with spaCy."""

import json
import sqlite3

import pytest
from spacy_shards import shard_docs

from annotator.cli import main
from annotator.core.model import TRIGGER, Argument, Event, Span
from annotator.demo import build_demo_project
from annotator.store import open_project

ATTACK = "Conflict.Attack"
DRONE = "US Drone Strike on Iran-Backed Militia Leader"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def sql(path, query, *args):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


def word(text: str, w: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(w, at + 1)
    return at, at + len(w)


def drone_article(store):
    article_id = store.conn.execute(
        "SELECT id FROM articles WHERE title LIKE ?", (DRONE + "%",)
    ).fetchone()[0]
    return store.article(article_id)


def label(path, who: str, spans: list[tuple[str, str]], attack: dict[str, str] | None = None):
    """`who` labels the drone article in their copy: entities (word, label) and an Attack
    event on "strike" with arguments role -> word, as the window's edits would store them."""
    store = open_project(path)
    store.annotator = who
    try:
        article = drone_article(store)
        made = {
            w: store.insert_span(Span(None, article.id, *word(article.text, w), lab))
            for w, lab in spans
        }
        if attack is not None:
            trigger = store.insert_span(
                Span(None, article.id, *word(article.text, "strike"), ATTACK, kind=TRIGGER)
            )
            store.insert_event(
                Event(
                    None,
                    article.id,
                    ATTACK,
                    trigger.id,
                    tuple(Argument(None, None, role, made[w].id) for role, w in attack.items()),
                )
            )
        return article.id
    finally:
        store.close()


def layer_rows(path, who: str) -> list[tuple]:
    return sql(
        path,
        "SELECT a.ext_id, a.title, s.start, s.end, s.label FROM spans s JOIN articles a "
        "ON a.id = s.article_id WHERE s.annotator = ? AND s.state = 'accepted' AND "
        "s.kind = 'entity' ORDER BY a.id, s.start",
        who,
    )


def test_two_annotators_copies_merge_into_layers_and_again_without_duplicates(capsys, tmp_path):
    base = tmp_path / "demo.db"
    build_demo_project(base)
    alice, bob, merged = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "merged.db"
    assert run(capsys, "backup", base, alice)[0] == 0
    assert run(capsys, "backup", base, bob)[0] == 0
    label(
        alice,
        "alice",
        [("Baghdad", "GPE"), ("Kataib Hezbollah", "ORG"), ("Pentagon", "ORG")],
        {"Place": "Baghdad", "Attacker": "Pentagon"},
    )
    label(
        bob,
        "bob",
        [("Baghdad", "GPE"), ("Kataib Hezbollah", "NORP"), ("Iraqi", "NORP")],
        {"Place": "Baghdad", "Target": "Kataib Hezbollah"},
    )

    code, out, _ = run(capsys, "merge", merged, alice, bob)
    assert code == 0, out
    total = sql(base, "SELECT count(*) FROM articles")[0][0]
    assert f"{alice}: merged: 0 articles matched, {total} added, 0 refused" in out
    assert f"{bob}: merged: {total} articles matched, 0 added, 0 refused" in out
    assert "layer alice: 4 spans, 1 events, 2 arguments" in out  # 3 entities and the trigger
    assert "layer bob: 4 spans, 1 events, 2 arguments" in out

    # Each layer in SQLite, on the one article both labelled (matched by text).
    assert sql(merged, "SELECT count(*) FROM articles") == [(total,)]
    alice_rows = [(s, e, lab) for _, _, s, e, lab in layer_rows(merged, "alice")]
    bob_rows = [(s, e, lab) for _, _, s, e, lab in layer_rows(merged, "bob")]
    text = sql(merged, "SELECT text FROM articles WHERE title LIKE ?", DRONE + "%")[0][0]
    assert alice_rows == sorted(
        [(*word(text, "Baghdad"), "GPE"), (*word(text, "Kataib Hezbollah"), "ORG"),
         (*word(text, "Pentagon"), "ORG")]
    )  # fmt: skip
    assert (*word(text, "Kataib Hezbollah"), "NORP") in bob_rows
    assert (*word(text, "Iraqi"), "NORP") in bob_rows
    roles = sql(
        merged,
        "SELECT e.annotator, a.annotator, a.role, substr(x.text, s.start + 1, s.end - s.start) "
        "FROM events e JOIN event_arguments a ON a.event_id = e.id JOIN spans s "
        "ON s.id = a.span_id JOIN articles x ON x.id = e.article_id ORDER BY 1, 3",
    )
    assert roles == [
        ("alice", "alice", "Attacker", "Pentagon"),
        ("alice", "alice", "Place", "Baghdad"),
        ("bob", "bob", "Place", "Baghdad"),
        ("bob", "bob", "Target", "Kataib Hezbollah"),
    ]
    # Both layers' spans count on the article (the list and stats add layers up).
    assert sql(merged, "SELECT n_spans, n_events, status FROM articles WHERE title LIKE ?",
               DRONE + "%") == [(8, 2, "in_progress")]  # fmt: skip
    store = open_project(merged)
    try:
        assert store.annotators() == ["alice", "bob"]
        article_id = drone_article(store).id
        layers = store.layers(article_id)
        assert {s.label for s in layers["bob"].spans} == {"GPE", "NORP", ATTACK}
        assert [a.role for a in layers["alice"].events[0].arguments] == ["Place", "Attacker"]
    finally:
        store.close()

    agreement_of_the_first_merge(capsys, merged)

    # Bob corrects his copy: Iraqi is GPE, and he drops the Target argument's entity.
    store = open_project(bob)
    store.annotator = "bob"
    try:
        article = drone_article(store)
        iraqi = next(s for s in store.spans(article.id) if s.label == "NORP" and
                     article.text[s.start:s.end] == "Iraqi")  # fmt: skip
        store.relabel_span(iraqi.id, "GPE")
        kataib = next(s for s in store.spans(article.id)
                      if article.text[s.start:s.end] == "Kataib Hezbollah")  # fmt: skip
        store.apply_removal(store.plan_removal(span_ids=[kataib.id]))
    finally:
        store.close()
    code, out, _ = run(capsys, "merge", merged, bob)
    assert code == 0, out
    assert f"{bob}: merged again (its earlier layer replaced): {total} articles matched" in out
    assert "layer bob: 3 spans, 1 events, 1 arguments" in out
    assert [(s, e, lab) for _, _, s, e, lab in layer_rows(merged, "bob")] == sorted(
        [(*word(text, "Baghdad"), "GPE"), (*word(text, "Iraqi"), "GPE")]
    )
    assert sql(merged, "SELECT count(*) FROM events WHERE annotator = 'bob'") == [(1,)]
    assert sql(merged, "SELECT count(*) FROM event_arguments WHERE annotator = 'bob'") == [(1,)]
    assert len(layer_rows(merged, "alice")) == 3  # alice's layer is left alone
    assert sql(merged, "SELECT count(*) FROM articles") == [(total,)]
    assert sql(merged, "SELECT n_spans, n_events FROM articles WHERE title LIKE ?",
               DRONE + "%") == [(7, 2)]  # fmt: skip
    assert sql(merged, "SELECT state, annotators FROM merge_sources ORDER BY id") == [
        ("merged", '["alice"]'),
        ("merged", '["bob"]'),
    ]

    # One annotator's layer to spaCy, read back with spaCy.
    code, out, err = run(capsys, "export", "spacy", merged, tmp_path / "bob-spacy",
                         "--annotator", "bob", "--dev-share", "0")  # fmt: skip
    assert code == 0, err
    docs = shard_docs(tmp_path / "bob-spacy")
    assert len(docs) == 1  # only the article bob labelled
    doc = docs[0]
    assert sorted((e.text, e.label_) for e in doc.ents) == [("Baghdad", "GPE"), ("Iraqi", "GPE")]
    assert [s.label_ for s in doc.spans["triggers"]] == [ATTACK]
    (event,) = doc.user_data["events"]
    assert event["type"] == ATTACK
    assert [a["role"] for a in event["arguments"]] == ["Place"]
    # Every layer together is still the default (until adjudication makes a gold layer).
    code, _, _ = run(capsys, "export", "spacy", merged, tmp_path / "all", "--dev-share", "0")
    docs = shard_docs(tmp_path / "all")
    assert len(doc.spans["sc"]) < len(docs[0].spans["sc"])
    assert {p["annotator"] for p in docs[0].user_data["provenance"]} == {"alice", "bob"}
    code, _, err = run(capsys, "export", "spacy", merged, tmp_path / "x", "--annotator", "carol")
    assert code == 1 and "no annotator named 'carol'; the project has 'alice', 'bob'" in err

    code, out, _ = run(capsys, "stats", merged)
    assert (
        "alice        3 span(s), 1 event(s)" in out and "bob          2 span(s), 1 event(s)" in out
    )


def agreement_of_the_first_merge(capsys, merged):
    """`annotator agree` on the merged copies, against what each person labelled (above):
    alice: Baghdad GPE, Kataib Hezbollah ORG, Pentagon ORG; Attack on "strike" with Place
    Baghdad, Attacker Pentagon. bob: Baghdad GPE, Kataib Hezbollah NORP, Iraqi NORP; Attack on
    "strike" with Place Baghdad, Target Kataib Hezbollah."""
    code, out, err = run(capsys, "agree", merged, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["annotators"] == ["alice", "bob"] and report["articles"] == 1
    [pair] = report["pairs"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("alice", "bob", 1)
    spans = pair["spans"]
    # only Baghdad/GPE is the same span with the same label: 2·1 / (3 + 3)
    assert (spans["a"], spans["b"], spans["matched_exact"]) == (3, 3, 1)
    assert spans["f1_exact"] == pytest.approx(1 / 3)
    # overlap needs the same label too: Kataib Hezbollah ORG / NORP still differ
    assert spans["f1_overlap"] == pytest.approx(1 / 3)
    by_label = {name: figures["f1_exact"] for name, figures in spans["by_label"].items()}
    assert by_label == {"GPE": 1.0, "ORG": 0.0, "NORP": 0.0}
    events = pair["events"]
    # one Attack each on the same "strike": the trigger matches
    assert (events["a"], events["b"], events["matched"], events["trigger_f1"]) == (1, 1, 1, 1.0)
    # on it, Place=Baghdad agrees; Attacker=Pentagon and Target=Kataib Hezbollah do not: 2·1/4
    assert (events["arguments_a"], events["arguments_b"], events["arguments_matched"]) == (2, 2, 1)
    assert events["argument_f1"] == pytest.approx(0.5)
    roles = {role: figures["argument_f1"] for role, figures in events["by_role"].items()}
    assert roles == {"Place": 1.0, "Attacker": 0.0, "Target": 0.0}


def test_the_same_id_with_another_text_is_refused_and_named(capsys, tmp_path):
    first, second, merged = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "m.db"
    for path, text in ((first, "Rebels attacked the town."), (second, "Troops left the town.")):
        store = open_project(path)
        store.annotator = path.stem
        try:
            article = store.insert_article_row(
                text, title=text, ext_id="story-1", digest=text, meta={}, source="t"
            )
            store.insert_span(Span(None, article, 0, 6, "NORP"))
            store.insert_article_row(
                "Same text.", title="same", ext_id="story-2", digest="same", meta={}, source="t"
            )
        finally:
            store.close()
    code, out, _ = run(capsys, "merge", merged, first, second)
    assert code == 1
    assert (
        f"refused: {second}: article 'story-1' (#1): the project has an article with this id "
        "and a different text; its annotations were not merged" in out
    )
    assert f"{second}: merged: 1 articles matched, 0 added, 1 refused" in out
    assert sql(merged, "SELECT annotator, label FROM spans") == [("a", "NORP")]
    assert sql(merged, "SELECT count(*) FROM articles") == [(2,)]


def test_rows_without_a_name_take_the_file_name_and_schemas_are_united(capsys, tmp_path):
    """A copy made before names were kept (annotator NULL) comes in as its file's name; a
    label only one copy added is in the merged schema; a clash of definitions is reported."""
    old, merged = tmp_path / "dana.db", tmp_path / "m.db"
    store = open_project(old)
    try:
        schema = store.schema.with_label("WEAPON_SYSTEM")
        store.set_schema(schema)
        article = store.insert_article_row(
            "The drone hit the depot.", title="t", ext_id="x", digest="d1", meta={}, source="t"
        )
        store.insert_span(Span(None, article, 4, 9, "WEAPON_SYSTEM"))  # nobody's: no name set
    finally:
        store.close()
    open_project(merged).close()  # the news schema, without WEAPON_SYSTEM
    code, out, _ = run(capsys, "merge", merged, old)
    assert code == 0, out
    assert "layer dana: 1 spans, 0 events, 0 arguments" in out
    assert "schema: added WEAPON_SYSTEM" in out
    assert sql(merged, "SELECT annotator, label FROM spans") == [("dana", "WEAPON_SYSTEM")]
    store = open_project(merged)
    try:
        assert store.schema.label("WEAPON_SYSTEM") is not None
    finally:
        store.close()


def test_a_cancelled_merge_is_finished_by_running_it_again(tmp_path):
    from annotator.store.merge import merge_projects

    source, merged = tmp_path / "eve.db", tmp_path / "m.db"
    store = open_project(source)
    store.annotator = "eve"
    try:
        for n in range(5):
            text = f"Article {n}: shelling near Kharkiv."
            article = store.insert_article_row(
                text, title=text, ext_id=f"a{n}", digest=text, meta={}, source="t"
            )
            store.insert_span(Span(None, article, text.index("Kharkiv"), len(text) - 1, "GPE"))
    finally:
        store.close()
    out = open_project(merged)
    try:
        batches = []
        (report,) = merge_projects(
            out, [source], batch=2, progress=lambda done, total: batches.append(done),
            cancelled=lambda: len(batches) >= 1,
        )  # fmt: skip
        assert not report.finished and batches == [2]
        assert "run the same merge again to finish it" in "\n".join(report.lines())
        assert sql(merged, "SELECT state FROM merge_sources") == [("merging",)]
        assert sql(merged, "SELECT count(*) FROM spans") == [(2,)]
        (report,) = merge_projects(out, [source], batch=2)
        assert report.finished and report.again
    finally:
        out.close()
    assert sql(merged, "SELECT state FROM merge_sources") == [("merged",)]
    assert sql(merged, "SELECT count(*), count(DISTINCT article_id) FROM spans") == [(5, 5)]
    assert sql(merged, "SELECT count(*) FROM articles") == [(5,)]


def test_merging_two_labels_keeps_each_annotators_span(tmp_path):
    """A schema merge (GPE into LOC) folds one person's twin spans, never two people's."""
    store = open_project(tmp_path / "p.db")
    try:
        article = store.insert_article_row(
            "Shelling hit Kharkiv.", title="t", ext_id="k", digest="k", meta={}, source="t"
        )
        for who, lab in (("alice", "GPE"), ("bob", "LOC"), ("bob", "GPE")):
            store.annotator = who
            store.insert_span(Span(None, article, 13, 20, lab))
        store.rename_schema_name("GPE", "LOC")
        assert sql(store.path, "SELECT annotator, label FROM spans ORDER BY annotator") == [
            ("alice", "LOC"),
            ("bob", "LOC"),
        ]
        assert sql(store.path, "SELECT n_spans FROM articles") == [(2,)]
    finally:
        store.close()


def test_a_name_of_another_kind_in_the_project_is_reported_and_its_spans_left_out(capsys, tmp_path):
    from annotator.core.schema import EventType, Label, Schema

    copy, merged = tmp_path / "fay.db", tmp_path / "m.db"
    store = open_project(
        copy, Schema(entities=[Label("RIOT", "#aa0000", "r"), Label("GPE", "#00aa00", "g")])
    )
    store.annotator = "fay"
    try:
        article = store.insert_article_row(
            "A riot in Dakar.", title="t", ext_id="r1", digest="r1", meta={}, source="t"
        )
        store.insert_span(Span(None, article, 2, 6, "RIOT"))
        store.insert_span(Span(None, article, 10, 15, "GPE"))
    finally:
        store.close()
    open_project(merged, Schema(entities=[Label("GPE", "#0000aa", "g")],
                                events=[EventType("RIOT", "#aa00aa", "R")])).close()  # fmt: skip
    code, out, _ = run(capsys, "merge", merged, copy)
    assert code == 0, out
    assert "schema: fay.db: label GPE is defined differently there (colour #00aa00" in out
    assert "schema: RIOT is an event type in the project; the label was not added" in out
    assert "left out: 1 annotations, e.g. a span labelled 'RIOT' (entity) on article 1" in out
    assert sql(merged, "SELECT annotator, label FROM spans") == [("fay", "GPE")]


def test_a_new_merged_project_made_from_a_copy_holds_what_a_merge_would(capsys, tmp_path):
    """`annotator merge NEW.db A.db` copies A.db and makes its rows A's layer (seconds for
    100,000 articles); the result is what merging A.db batch by batch gives."""
    copy = tmp_path / "gus.db"
    store = open_project(copy)
    try:
        first = store.insert_article_row(
            "Militants attacked a convoy near Mosul.", title="t", ext_id="m1", digest="m1",
            meta={}, source="t",
        )  # fmt: skip
        store.insert_span(Span(None, first, 0, 9, "ORG"))  # nobody's: made before names
        store.annotator = "gus"
        trigger = store.insert_span(Span(None, first, 10, 18, ATTACK, kind=TRIGGER))
        mosul = store.insert_span(Span(None, first, 33, 38, "GPE"))
        store.insert_event(Event(None, first, ATTACK, trigger.id,
                                 (Argument(None, None, "Place", mosul.id),)))  # fmt: skip
        with store.write():
            store.replace_suggestions("suggest:m", [first], [(first, 21, 27, "VEHICLE", 0.5)])
            store.log_edit("an edit in the copy", {"kind": "none"})
    finally:
        store.close()
    fast, batched = tmp_path / "fast.db", tmp_path / "batched.db"
    open_project(batched).close()
    assert run(capsys, "merge", fast, copy)[0] == 0
    code, out, _ = run(capsys, "merge", batched, copy)
    assert code == 0 and "layer gus: 3 spans, 1 events, 1 arguments" in out

    def layer(path):
        return (
            sql(path, "SELECT a.ext_id, s.start, s.end, s.label, s.state, s.annotator, "
                      "s.merge_source IS NOT NULL FROM spans s JOIN articles a "
                      "ON a.id = s.article_id ORDER BY s.start"),
            sql(path, "SELECT type, annotator FROM events"),
            sql(path, "SELECT role, annotator FROM event_arguments"),
            sql(path, "SELECT n_spans, n_events, status FROM articles"),
            sql(path, "SELECT state, annotators, articles FROM merge_sources"),
        )  # fmt: skip

    assert layer(fast) == layer(batched)
    assert layer(fast)[0][0] == ("m1", 0, 9, "ORG", "accepted", "gus", 1)  # the file's name
    assert sql(fast, "SELECT count(*) FROM undo_log") == [(0,)]  # gus's history stays his
    assert sql(fast, "SELECT count(*) FROM spans WHERE state = 'suggested'") == [(0,)]
    # Merging the same copy again replaces its layer there too.
    code, out, _ = run(capsys, "merge", fast, copy)
    assert code == 0 and "merged again" in out and "note:" not in out
    assert layer(fast) == layer(batched)
    # The same copy from another place is another input: kept beside, and said.
    moved = tmp_path / "moved" / "gus.db"
    moved.parent.mkdir()
    assert run(capsys, "backup", copy, moved)[0] == 0
    code, out, _ = run(capsys, "merge", fast, moved)
    assert code == 0
    assert f"note: gus also has a layer merged from {copy}: both are kept" in out
    # ... what is the same in both once: the moved copy adds nothing twice.
    assert "shared: 5 annotations another file already brought" in out
    assert layer(fast)[:3] == layer(batched)[:3]


def test_merged_copies_are_adjudicated_by_key_and_gold_exported_to_spacy(capsys, tmp_path, qtbot):
    """The scenario's end (issue 15): after the merge, `annotator adjudicate --auto` puts what
    alice and bob agree on into gold; the rest is decided in the window by key (Review ›
    Adjudicate, Ctrl+Alt+J), one decision undone with Ctrl+Z and made again; the spaCy export
    then takes gold by default, and spaCy reads back gold only in doc.ents."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tests.qt.conftest import open_window

    base, merged = tmp_path / "demo.db", tmp_path / "merged.db"
    build_demo_project(base)
    alice, bob = tmp_path / "alice.db", tmp_path / "bob.db"
    for copy in (alice, bob):
        assert run(capsys, "backup", base, copy)[0] == 0
    label(alice, "alice", [("Baghdad", "GPE"), ("Kataib Hezbollah", "ORG"), ("Pentagon", "ORG")],
          {"Place": "Baghdad", "Attacker": "Pentagon"})  # fmt: skip
    label(bob, "bob", [("Baghdad", "GPE"), ("Kataib Hezbollah", "NORP"), ("Iraqi", "NORP")],
          {"Place": "Baghdad", "Target": "Kataib Hezbollah"})  # fmt: skip
    assert run(capsys, "merge", merged, alice, bob)[0] == 0
    code, out, _ = run(capsys, "adjudicate", merged, "--auto")
    assert code == 0 and "conflicts left: 5 in 1 article(s)" in out
    # agreed: Baghdad GPE, the Attack on "strike" and its Place
    assert "gold: 4 span(s), event(s) and argument(s) added" in out

    store = open_project(merged)
    window = open_window(qtbot, store)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.session.open_article(drone_article(store).id)
    QTest.keyClick(window.view, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.AltModifier)  # fmt: skip
    conflicts = window.adjudication.panel.list
    assert conflicts.count() == 5 and conflicts.hasFocus()
    # In text order, each decision moving on to the next open conflict: Attacker (alice
    # only), Target (bob only), Kataib Hezbollah ORG / NORP, Iraqi (bob only), Pentagon
    # (alice only).
    for key in (Qt.Key.Key_1, Qt.Key.Key_N, Qt.Key.Key_2, Qt.Key.Key_B, Qt.Key.Key_1):
        QTest.keyClick(conflicts, key)
    assert "· gold" in window.panel.model.data(window.panel.model.index(
        window.panel.model.row_of(drone_article(store).id), 1))  # fmt: skip
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sql(merged, "SELECT count(*) FROM adjudication_decisions WHERE choice != 'auto'") == [
        (4,)
    ]
    QTest.keyClick(conflicts, Qt.Key.Key_1)  # Pentagon: alice's, again
    assert sql(merged, "SELECT open FROM adjudication_progress") == [(0,)]
    window.close()
    store.close()

    code, out, err = run(capsys, "export", "spacy", merged, tmp_path / "gold", "--dev-share",
                         "0", "--span-groups", "yes")  # fmt: skip
    assert code == 0, err
    assert "the gold layer (adjudicated)" in out.splitlines()[0]
    [doc] = shard_docs(tmp_path / "gold")
    assert sorted((e.text, e.label_) for e in doc.ents) == [
        ("Baghdad", "GPE"), ("Iraqi", "NORP"), ("Kataib Hezbollah", "NORP"), ("Pentagon", "ORG")
    ]  # fmt: skip
    assert {p["annotator"] for p in doc.user_data["provenance"]} == {"gold"}
    [event] = doc.user_data["events"]
    assert sorted((a["role"], a["text"]) for a in event["arguments"]) == [
        ("Attacker", "Pentagon"), ("Place", "Baghdad")
    ]  # fmt: skip
    assert ("Kataib Hezbollah", "ORG") in {(s.text, s.label_) for s in doc.spans["annotator:alice"]}
    assert ("Iraqi", "NORP") in {(s.text, s.label_) for s in doc.spans["annotator:bob"]}
