"""The store's schema changes, stats and job helpers: each one transaction, counted by SQL
in the store (moved here from tests/test_cli_schema.py, where the twin-folding test was)."""

import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, SchemaError
from annotator.core.model import Argument, Span
from annotator.core.schema import Schema
from annotator.store import open_project

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"
SMALL = {"entities": [{"label": "PERSON", "key": "p"}, {"label": "ORG", "key": "o"}],
         "events": [{"type": "Attack", "key": "A",
                     "roles": [{"role": "Attacker", "labels": ["PERSON", "ORG"]}]}]}


def add_article(store, text="Kataib Hezbollah commander killed in Baghdad."):
    with store.write():
        return store.insert_article_row(text, title="T", ext_id=None, digest=str(hash(text)),
                                        meta={}, source="test")


@pytest.fixture
def store(tmp_path):
    store = open_project(tmp_path / "p.db", Schema.from_dict(SMALL))
    yield store
    store.close()


def stored_schema(store) -> Schema:
    """The schema as another connection reads it: what was committed."""
    other = open_project(store.path)
    try:
        return other.schema
    finally:
        other.close()


def test_usage_counts_accepted_spans_and_events_and_suggestions_apart(store):
    article = add_article(store)
    store.insert_span(Span(None, article, 0, 6, "ORG"))
    store.insert_span(Span(None, article, 7, 16, "ORG", origin="suggest:m", state="suggested"))
    store.insert_span(Span(None, article, 17, 26, "PERSON", origin="suggest:m", state="rejected"))
    assert store.label_usage() == {"ORG": 1}
    assert store.suggestion_usage() == {"ORG": 1, "PERSON": 1}
    assert store.label_counts() == {"ORG": 1}


def test_add_label_is_committed_and_a_refused_one_changes_nothing(store):
    schema = store.add_label("MONEY", color="#AA0000")
    assert stored_schema(store) == schema and schema.label("MONEY").color == "#aa0000"
    with pytest.raises(SchemaError, match="already used by PERSON"):
        store.add_label("PARTY", key="P")
    assert stored_schema(store) == schema == store.schema


def test_a_change_builds_on_what_another_process_wrote_meanwhile(store):
    store.schema  # read and cached, as an open window has it
    other = open_project(store.path)
    other.add_label("MONEY")
    other.close()
    store.add_label("GPE")
    assert stored_schema(store).label_names == ["PERSON", "ORG", "MONEY", "GPE"]


def test_merge_writes_only_a_change(store, tmp_path):
    change = store.merge_schema(Schema.from_dict({"entities": [{"label": "ORG"}]}, partial=True))
    assert not change.changed and stored_schema(store) == store.schema
    change = store.merge_schema(Schema.from_dict({"entities": [{"label": "GPE", "key": "g"}]},
                                                 partial=True), "extra.toml")
    assert change.added == ["GPE"] and stored_schema(store).label("GPE").key == "g"


def test_replace_and_remove_refuse_a_name_in_use_and_keep_the_schema(store):
    article = add_article(store)
    store.insert_span(Span(None, article, 0, 6, "ORG"))
    before = store.schema
    with pytest.raises(SchemaError, match=r"leaves out names that annotations use: ORG \(1\)"):
        store.replace_schema(Schema.from_dict({"entities": [{"label": "PERSON"}]}))
    with pytest.raises(SchemaError, match="ORG is used 1 time"):
        store.remove_schema_name("ORG")
    assert stored_schema(store) == before
    store.insert_span(Span(None, article, 7, 16, "PERSON", origin="suggest:m", state="suggested"))
    assert store.remove_schema_name("PERSON") == 1  # its open suggestion went with it
    assert stored_schema(store).event_type("Attack").role("Attacker").fillers == ("ORG",)
    assert store.remove_schema_name("Attack") == 0
    assert stored_schema(store).names == ["ORG"]


def test_event_stats_count_types_roles_and_relations(store):
    article = add_article(store)
    store.insert_span(Span(None, article, 0, 6, "ORG"))
    from annotator.core.session import Session

    session = Session(store)
    session.open_first()
    event = session.apply(session.plan_add_event("Attack", selection=(27, 33))).event
    store.insert_argument(Argument(None, event.id, "Attacker", span_id=store.spans(article)[0].id))
    stats = store.event_stats()
    assert stats["events_per_type"] == {"Attack": 1} and stats["arguments_per_role"] == {"Attacker": 1}
    assert stats["arguments_per_type_and_role"] == {"Attack": {"Attacker": 1}}
    assert stats["relations"] == 0


def test_texts_come_a_page_at_a_time_by_key(store):
    ids = [add_article(store, f"Article number {n}.") for n in range(5)]
    assert [i for _, i in store.iter_texts(page=2)] == ids
    assert list(store.iter_texts([ids[3], ids[1]], page=1)) == [
        ("Article number 3.", ids[3]), ("Article number 1.", ids[1])]
    assert list(store.iter_texts([])) == []


def test_a_suggestion_batch_is_one_transaction_on_a_fast_connection(store):
    article = add_article(store)
    store.check_json_support()
    store.use_fast_writes()
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    fresh = store.write_suggestion_batch("suggest:m", [article], [(article, 0, 6, "ORG", 0.9)])
    assert fresh == {"ORG": 1} and not store.conn.in_transaction
    with pytest.raises(sqlite3.IntegrityError):
        # A row naming an article that doesn't exist fails the batch: nothing of it stays.
        store.write_suggestion_batch("suggest:m", [article, 999], [(article, 7, 16, "ORG", None),
                                                                   (999, 0, 1, "ORG", None)])
    assert store.suggestion_usage() == {"ORG": 1}


def test_a_store_without_json_functions_says_which_sqlite(store):
    class NoJson:
        def execute(self, sql, *args):
            raise sqlite3.OperationalError("no such table: json_each")

    real, store.conn = store.conn, NoJson()
    try:
        with pytest.raises(AnnotatorError, match="suggestions need SQLite 3.38 or newer"):
            store.check_json_support()
    finally:
        store.conn = real


def test_merging_labels_folds_twins_by_state_and_source(tmp_path):
    """FAC into LOC where both label the same words: the accepted twins become one span (an
    event's role filled by both keeps one filler), a FAC suggestion on an accepted LOC goes,
    and rejections from two different sources both stay."""
    from annotator.core.session import Session

    store = open_project(tmp_path / "p.db")
    from annotator.formats.importer import import_paths

    import_paths(store, [SEED])
    session = Session(store)
    session.open_first()
    text = session.article.text
    article = session.article.id
    base = text.index("Baghdad")
    strike = text.index("strike")
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=(strike, strike + 6))).event
    loc = store.insert_span(Span(None, article, base, base + 7, "LOC"))
    fac = store.insert_span(Span(None, article, base, base + 7, "FAC"))
    store.insert_argument(Argument(None, attack.id, "Place", span_id=loc.id))
    store.insert_argument(Argument(None, attack.id, "Place", span_id=fac.id))
    other = text.index("Iraq")
    store.insert_span(Span(None, article, other, other + 4, "LOC"))
    store.insert_span(Span(None, article, other, other + 4, "FAC", origin="suggest:m", state="suggested"))
    third = text.index("Jordan")
    for origin, label in (("suggest:m", "LOC"), ("suggest:n", "FAC"), ("suggest:m", "FAC")):
        store.insert_span(Span(None, article, third, third + 6, label, origin=origin, state="rejected"))
    n_spans = store.article(article).n_spans

    store.rename_schema_name("FAC", "LOC")
    spans = store.conn.execute("SELECT start, label, state, origin FROM spans WHERE kind = 'entity' "
                               "ORDER BY start, origin").fetchall()
    assert spans == [(base, "LOC", "accepted", "manual"), (other, "LOC", "accepted", "manual"),
                     (third, "LOC", "rejected", "suggest:m"), (third, "LOC", "rejected", "suggest:n")]
    args = store.conn.execute("SELECT role, span_id FROM event_arguments WHERE event_id = ?",
                              (attack.id,)).fetchall()
    assert args == [("Place", loc.id)]
    assert store.article(article).n_spans == n_spans - 1
    store.close()


def test_a_label_removed_by_another_process_is_refused_by_the_next_edit(store):
    """The window's store cached the schema before `annotator schema --remove` dropped a label
    nothing used: an edit with that label is refused under the write lock, not saved with a
    label the project no longer has."""
    aid = add_article(store)
    span = store.insert_span(Span(None, aid, 0, 6, "ORG"))
    assert store.schema.label("PERSON") is not None  # cached before the removal
    other = open_project(store.path)
    other.remove_schema_name("PERSON")
    other.close()
    with pytest.raises(AnnotatorError, match="'PERSON' is not in the project's schema"):
        store.insert_span(Span(None, aid, 7, 16, "PERSON"))
    with pytest.raises(AnnotatorError, match="'PERSON' is not in the project's schema"):
        store.relabel_span(span.id, "PERSON")
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT label FROM spans").fetchall() == [("ORG",)]
    conn.close()
