"""Property tests for every importer/exporter pair: random texts with random valid spans
survive export then import unchanged; random bytes and cut-off files give a report or a clear
error, never a traceback, and a file that fails leaves the project as it was."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.model import Span
from annotator.core.tokens import blank_nlp
from annotator.formats.brat.writer import export_brat
from annotator.formats.conll.writer import export_conll
from annotator.formats.doccano.writer import export_doccano
from annotator.formats.importer import import_paths
from annotator.formats.jsonl.writer import export_jsonl
from annotator.formats.spacy.writer import export_spacy
from annotator.store import open_project
from tests.conftest import new_project

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LABELS = ["PERSON", "ORG", "GPE", "NEW_LABEL"]
# Words with what trips offsets up: accents (precomposed, and combining marks), CJK, emoji
# beyond U+FFFF (two UTF-16 units; a ZWJ sequence, a flag's regional indicators), a
# mathematical letter, right-to-left scripts (Hebrew, Arabic), quotes, hyphens.
UNICODE = "abcXYZéßü中文🚀'-.,\"#0" + "e\u0301\u0308" + "👩\u200d💻🇫🇮𝐀" + "שלום" + "مرحبا"
WORD = st.text(st.sampled_from(UNICODE), min_size=1, max_size=8)
SPACE = st.sampled_from([" ", " ", " ", "  ", "\n", "\r\n", "\t"])


@contextmanager
def fresh(name="p.db"):
    with tempfile.TemporaryDirectory() as folder:
        store = new_project(Path(folder) / name)
        try:
            yield store, Path(folder)
        finally:
            store.close()


def fill(store, articles) -> None:
    """Store (text, [(start, end, label)]) articles, marked done so every export takes them."""
    for number, (text, spans) in enumerate(articles):
        with store.write():
            article_id = store.insert_article_row(text, title=f"t{number}", ext_id=f"a{number}",
                                                  digest=f"d{number}", meta={}, source="test")
        for start, end, label in spans:
            if store.schema.label(label) is None:  # NEW_LABEL: the import must add it too
                store.set_schema(store.schema.with_label(label))
            store.insert_span(Span(None, article_id, start, end, label))
        store.set_status(article_id, "done")


def contents(store) -> list[tuple[str, list]]:
    return [(text, sorted((s.start, s.end, s.label) for s in store.spans(article_id)))
            for article_id, text in store.conn.execute("SELECT id, text FROM articles ORDER BY id")]


@st.composite
def texts(draw, separators=SPACE):
    words = draw(st.lists(WORD, min_size=1, max_size=12))
    return "".join(w + draw(separators) for w in words[:-1]) + words[-1]


@st.composite
def char_spans(draw):
    """Any text, any spans inside it (overlapping and nested too), each one once."""
    text = draw(texts())
    n = len(text)
    bounds = st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda b: b[0] < b[1])
    spans = draw(st.lists(st.tuples(bounds, st.sampled_from(LABELS)), max_size=6,
                          unique_by=lambda s: s))
    return text, [(s, e, label) for (s, e), label in spans]


@st.composite
def token_spans(draw, separators=SPACE, overlap=True, one_line=False):
    """Spans on token boundaries (spaCy's tokens, or the whitespace-separated ones)."""
    text = draw(texts(separators))
    if separators is SPACE:
        tokens = [(t.idx, t.idx + len(t)) for t in blank_nlp("en").make_doc(text) if not t.is_space]
    else:
        tokens, pos = [], 0
        for piece in text.split(" "):
            for line in piece.split("\n"):
                tokens.append((pos, pos + len(line)))
                pos += len(line) + 1
    picks = draw(st.lists(st.tuples(st.integers(0, len(tokens) - 1), st.integers(1, 3),
                                    st.sampled_from(LABELS)), max_size=5))
    spans, taken = [], set()
    for first, length, label in picks:
        last = min(first + length, len(tokens)) - 1
        start, end = tokens[first][0], tokens[last][1]
        cells = set(range(first, last + 1))
        if (not overlap and cells & taken) or (one_line and "\n" in text[start:end]):
            continue
        if (start, end, label) not in spans:
            taken |= cells
            spans.append((start, end, label))
    return text, spans


def round_trip(articles, export, fmt=None):
    with fresh() as (source, folder):
        fill(source, articles)
        expected = contents(source)
        out = export(source, folder)
        with fresh("again.db") as (again, _):
            report = import_paths(again, [out], fmt=fmt)
            assert report.ok and not report.skipped, report.summary()
            return expected, contents(again)


@SETTINGS
@given(st.lists(char_spans(), min_size=1, max_size=3, unique_by=lambda a: a[0]))
def test_jsonl_round_trip(articles):
    expected, got = round_trip(articles, lambda s, f: (export_jsonl(s, f / "o.jsonl"),
                                                       f / "o.jsonl")[1])
    assert got == expected


@SETTINGS
@given(st.lists(char_spans(), min_size=1, max_size=3, unique_by=lambda a: a[0]))
def test_doccano_round_trip(articles):
    for form in ("label", "entities"):
        expected, got = round_trip(articles, lambda s, f: (
            export_doccano(s, f / "o.jsonl", form=form), f / "o.jsonl")[1])
        assert got == expected


@SETTINGS
@given(st.lists(char_spans(), min_size=1, max_size=3, unique_by=lambda a: a[0]))
def test_brat_round_trip(articles):
    expected, got = round_trip(articles, lambda s, f: (export_brat(s, f / "out"), f / "out")[1])
    assert got == expected


@SETTINGS
@given(st.lists(token_spans(), min_size=1, max_size=3, unique_by=lambda a: a[0]))
def test_spacy_docbin_round_trip(articles):
    expected, got = round_trip(articles, lambda s, f: (
        export_spacy(s, f / "out", dev_share=0), f / "out" / "train")[1])
    assert got == expected


@SETTINGS
@given(st.lists(token_spans(st.sampled_from([" ", "\n"]), overlap=False, one_line=True),
                min_size=1, max_size=3, unique_by=lambda a: a[0]))
def test_conll_round_trip_with_whitespace_tokens(articles):
    expected, got = round_trip(articles, lambda s, f: (
        export_conll(s, f / "o.conll", tokens="whitespace"), f / "o.conll")[1])
    assert got == expected


@SETTINGS
@given(st.lists(token_spans(overlap=False), min_size=1, max_size=3, unique_by=lambda a: tuple(
    t.text for t in blank_nlp("en").make_doc(a[0]) if not t.is_space)),  # the texts read back
       st.sampled_from(["bio", "biluo"]))
def test_conll_round_trip_with_spacy_tokens_keeps_labels_and_words(articles, scheme):
    """spaCy's tokens come back space-separated: the text changes, the labelled words don't."""
    expected, got = round_trip(articles, lambda s, f: (
        export_conll(s, f / "o.conll", scheme=scheme), f / "o.conll")[1], fmt="conll")

    def words(result):
        return sorted(("".join(text[s:e].split()), label) for text, spans in result
                      for s, e, label in spans)

    assert len(got) == len(expected) and words(got) == words(expected)


# -- random bytes and cut-off files ----------------------------------------------------------

IMPORT_FORMATS = ["txt", "jsonl", "conll", "doccano", "spacy", "spacy-json", "csv"]
SUFFIX = {"txt": ".txt", "jsonl": ".jsonl", "conll": ".conll", "doccano": ".jsonl",
          "spacy": ".spacy", "spacy-json": ".json", "csv": ".csv"}


def counts(store):
    return tuple(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("articles", "spans", "events", "event_arguments"))


def check_import(store, path, fmt):
    before = counts(store)
    schema = store.get_meta("schema")
    report = import_paths(store, [path], fmt=fmt)  # never raises
    after = counts(store)
    if report.failed_files:
        assert after == before and store.get_meta("schema") == schema
        assert all(line.startswith(str(path)) for line in report.failed_files)
    else:
        assert after[0] - before[0] == report.articles and after[1] - before[1] == report.spans
    return report


@pytest.mark.parametrize("fmt", IMPORT_FORMATS + ["brat"])
def test_random_bytes_give_a_report_never_a_traceback(fmt):
    @SETTINGS
    @given(st.binary(max_size=400))
    def import_random(data):
        with fresh() as (store, folder):
            if fmt == "brat":  # random annotations for a good text
                (folder / "doc.txt").write_text("Kataib Hezbollah fighters left Baghdad.")
                path = folder / "doc.ann"
            else:
                path = folder / f"random{SUFFIX[fmt]}"
            path.write_bytes(data)
            check_import(store, path, fmt)

    import_random()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One export per format of a small labelled project, to cut off at random places."""
    folder = tmp_path_factory.mktemp("exports")
    store = open_project(folder / "p.db")
    fill(store, [("Kataib Hezbollah fighters left Baghdad.\nThe US struck back.",
                  [(0, 16, "ORG"), (31, 38, "GPE"), (44, 46, "GPE")]),
                 ("Café owners in Zürich 🚀 protested.", [(15, 21, "GPE")])])
    export_jsonl(store, folder / "o.jsonl")
    export_doccano(store, folder / "d.jsonl", form="entities")
    export_conll(store, folder / "o.conll")
    export_spacy(store, folder / "spacy", dev_share=0)
    store.close()
    return {"jsonl": folder / "o.jsonl", "doccano": folder / "d.jsonl",
            "conll": folder / "o.conll", "spacy": folder / "spacy" / "train" / "train-00000.spacy"}


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "conll", "spacy"])
def test_cut_off_files_give_a_report_and_write_whole_records_only(exported, fmt):
    data = exported[fmt].read_bytes()

    @SETTINGS
    @given(st.integers(0, len(data) - 1))
    def cut(at):
        with fresh() as (store, folder):
            path = folder / f"cut{SUFFIX[fmt]}"
            path.write_bytes(data[:at])
            report = check_import(store, path, fmt)
            assert report.failed_files or report.articles <= 2

    cut()


# -- events, relations and roles: every format that carries them --------------------------

EVENT_TYPE = "Protest"  # not in the default schema: a fresh project learns it from the file
ROLES = ["Theme", "Site", "Place"]


@st.composite
def with_events(draw):
    """Token spans, plus events: a trigger token (two events may share one), arguments
    among the spans under roles that may repeat (brat numbers them), and a relation."""
    text, spans = draw(token_spans())
    tokens = [(t.idx, t.idx + len(t)) for t in blank_nlp("en").make_doc(text) if not t.is_space]
    events = []
    for _ in range(draw(st.integers(0, 2))):
        trigger = draw(st.sampled_from(tokens))
        args = draw(st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 99)), max_size=3))
        events.append((trigger, [(role, n) for role, n in args if spans]))
    relation = draw(st.booleans()) and len(spans) >= 2
    return text, spans, events, relation


def fill_events(store, articles) -> None:
    from annotator.core.model import TRIGGER, Argument, Event
    from annotator.core.schema import EventType, Role

    store.set_schema(store.schema.with_event_type(
        EventType(EVENT_TYPE, "#e15759", roles=tuple(Role(r) for r in ROLES))))
    store.set_schema(store.schema.with_event_type(
        EventType("Near", "#59a14f", roles=(Role("Arg1"), Role("Arg2")), relation=True)))
    fill(store, [(text, spans) for text, spans, _, _ in articles])
    for article_id, (text, spans, events, relation) in enumerate(articles, start=1):
        stored = {(s.start, s.end, s.label): s.id for s in store.spans(article_id)}
        ids = [stored[s] for s in spans]
        triggers: dict = {}
        for (start, end), args in events:
            if (start, end) not in triggers:
                triggers[(start, end)] = store.insert_span(
                    Span(None, article_id, start, end, EVENT_TYPE, kind=TRIGGER)).id
            event = store.insert_event(Event(None, article_id, EVENT_TYPE, triggers[(start, end)]))
            for role, n in args:
                store.insert_argument(Argument(None, event.id, role, span_id=ids[n % len(ids)]))
        if relation:
            event = store.insert_event(Event(None, article_id, "Near", None, relation=True))
            store.insert_argument(Argument(None, event.id, "Arg1", span_id=ids[0]))
            store.insert_argument(Argument(None, event.id, "Arg2", span_id=ids[1]))


EVENT_EXPORTS = {
    "jsonl": lambda s, f: (export_jsonl(s, f / "o.jsonl"), f / "o.jsonl")[1],
    "doccano": lambda s, f: (export_doccano(s, f / "o.jsonl", form="entities"), f / "o.jsonl")[1],
    "brat": lambda s, f: (export_brat(s, f / "out"), f / "out")[1],
    "spacy": lambda s, f: (export_spacy(s, f / "out", dev_share=0), f / "out" / "train")[1],
}


@pytest.mark.parametrize("fmt", list(EVENT_EXPORTS))
def test_events_and_relations_round_trip(fmt):
    """import(export(x)) == x for spans, triggers, events (shared triggers, repeated roles)
    and relations, into a fresh project that knows none of the types."""
    from formats_helpers import annotations

    @SETTINGS
    @given(st.lists(with_events(), min_size=1, max_size=3, unique_by=lambda a: a[0]))
    def check(articles):
        with fresh() as (source, folder):
            fill_events(source, articles)
            out = EVENT_EXPORTS[fmt](source, folder)
            with fresh("again.db") as (again, _):
                report = import_paths(again, [out])
                assert report.ok and not report.skipped, report.summary()
                assert annotations(again) == annotations(source)

    check()
