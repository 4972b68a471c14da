"""Who made what (issue 15): every span, event, argument and suggestion decision stores its
annotator; layers are read per article and streamed; old projects migrate (0010)."""

import sqlite3

from annotator.cli import main
from annotator.core.layers import UNNAMED, initials
from annotator.core.model import REJECTED, TRIGGER, Argument, Event, Span
from annotator.store import migrations, open_project
from tests.conftest import on_disk

TEXT = "Militants attacked a convoy near Mosul on Monday."


def article(store, text=TEXT, ext_id="a1"):
    return store.insert_article_row(text, title=text, ext_id=ext_id, digest=text, meta={}, source="t")


def at(w: str) -> tuple[int, int]:
    return TEXT.index(w), TEXT.index(w) + len(w)


def test_each_row_and_decision_is_stamped_and_restored_rows_keep_their_author(store):
    first = article(store)
    store.annotator = "alice"
    militants = store.insert_span(Span(None, first, *at("Militants"), "ORG"))
    trigger = store.insert_span(Span(None, first, *at("attacked"), "Conflict.Attack", kind=TRIGGER))
    event = store.insert_event(Event(None, first, "Conflict.Attack", trigger.id,
                                     (Argument(None, None, "Attacker", militants.id),)))
    store.annotator = "bob"
    mosul = store.insert_span(Span(None, first, *at("Mosul"), "GPE"))
    store.insert_argument(Argument(None, event.id, "Place", mosul.id))
    assert on_disk(store, "SELECT label, annotator FROM spans ORDER BY id") == [
        ("ORG", "alice"), ("Conflict.Attack", "alice"), ("GPE", "bob")]
    assert on_disk(store, "SELECT annotator FROM events") == [("alice",)]
    assert on_disk(store, "SELECT role, annotator FROM event_arguments ORDER BY id") == [
        ("Attacker", "alice"), ("Place", "bob")]

    # An undo of a removal puts alice's rows back as hers, whoever removes and restores them.
    removal = store.plan_removal(span_ids=[trigger.id])
    store.apply_removal(removal)
    store.annotator = "carol"
    store.restore_removal(removal)
    assert on_disk(store, "SELECT annotator FROM events") == [("alice",)]
    assert on_disk(store, "SELECT label, annotator FROM spans WHERE kind = 'trigger'") == [
        ("Conflict.Attack", "alice")]

    # A suggestion is nobody's until someone decides on it; the undo gives it back to nobody.
    with store.write():
        store.replace_suggestions("suggest:m", [first], [(first, *at("convoy"), "VEHICLE", 0.9)])
    suggestion = next(s for s in store.spans(first, ("suggested",)))
    assert suggestion.annotator is None
    store.annotator = "dana"
    store.decide(suggestion.id, REJECTED, "rejected")
    assert on_disk(store, "SELECT annotator FROM spans WHERE id = ?", suggestion.id) == [("dana",)]
    store.decide(suggestion.id, "suggested", None)
    assert on_disk(store, "SELECT annotator FROM spans WHERE id = ?", suggestion.id) == [(None,)]


def test_layers_per_article_and_streamed_in_batches(store):
    ids = [article(store, f"{TEXT} ({n})", f"a{n}") for n in range(7)]
    for n, article_id in enumerate(ids):
        for who in ("alice", "bob") if n % 2 == 0 else ("alice",):
            store.annotator = who
            store.insert_span(Span(None, article_id, *at("Mosul"), "GPE" if who == "alice" else "LOC"))
    assert store.annotators() == ["alice", "bob"]
    layers = store.layers(ids[0])
    assert {name: [s.label for s in layer.spans] for name, layer in layers.items()} == {
        "alice": ["GPE"], "bob": ["LOC"]}
    assert store.layer(ids[1], "bob").spans == ()
    streamed = list(store.iter_layers(["bob"], batch=2))  # four batches of two articles
    assert [article_id for article_id, _ in streamed] == ids[0::2]
    assert all(set(found) == {"bob"} for _, found in streamed)


def test_initials_tell_people_apart():
    assert initials("Ana María Ruiz") == "AMR"
    assert initials("alice") == "Al" and initials("anna") == "An"
    assert initials("j.smith") == "JS" and initials("  ") == "?"


def test_a_format_8_project_migrates_and_its_rows_are_the_unnamed_layer(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:8])
        old.setattr(migrations, "SCHEMA_VERSION", 8)
        store = open_project(path)
        first = article(store)
        store.insert_span(Span(None, first, *at("Mosul"), "GPE"))
        with store.write():  # as format 8 wrote events: no annotator column yet
            trigger = store.insert_span(
                Span(None, first, *at("attacked"), "Conflict.Attack", kind=TRIGGER))
            store.conn.execute("INSERT INTO events (article_id, type, trigger_id) VALUES (?, ?, ?)",
                               (first, "Conflict.Attack", trigger.id))
        store.close()
    store = open_project(path)
    try:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert conn.execute("SELECT annotator, merge_source FROM events").fetchall() == [(None, None)]
        conn.close()
        assert store.annotators() == [UNNAMED]
        assert len(store.layer(first, UNNAMED).spans) == 2
        assert len(store.layer(first, UNNAMED).events) == 1
    finally:
        store.close()


def test_import_attributes_annotations_to_the_name_given_or_set_or_import(
    capsys, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings

    from annotator.qt import identity

    ini = str(tmp_path / "settings.ini")  # no name set: not the settings of whoever runs this
    monkeypatch.setattr(identity, "_settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    data = tmp_path / "one.jsonl"
    data.write_text('{"text": "Rebels took Kidal.", "spans": [{"start": 12, "end": 17, "label": "GPE"}]}\n')
    db = tmp_path / "p.db"
    assert main(["import", str(db), str(data), "--annotator", "  Ana  Ruiz "]) == 0
    data.write_text('{"text": "Rebels left Gao.", "spans": [{"start": 12, "end": 15, "label": "GPE"}]}\n')
    assert main(["import", str(db), str(data)]) == 0  # no --annotator, no name set
    identity.save_name("Set In Window")
    data.write_text('{"text": "Rebels saw Mopti.", "spans": [{"start": 11, "end": 16, "label": "GPE"}]}\n')
    assert main(["import", str(db), str(data)]) == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT annotator FROM spans ORDER BY id").fetchall() == [
        ("Ana Ruiz",), ("import",), ("Set In Window",)]
    conn.close()
    capsys.readouterr()
    assert main(["import", str(db), str(data), "--annotator", " "]) == 1
    assert "annotator: --annotator: give a name (it can't be empty)" in capsys.readouterr().err
