"""Property tests for imports: valid JSONL comes in exactly as written; any bytes at all are
imported or reported, never a traceback, never half a file."""

import json
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.schema import load_schema
from annotator.formats.importer import import_paths
from annotator.paths import default_schema_path
from tests.conftest import new_project

LABELS = load_schema(default_schema_path()).label_names
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def fresh_project():
    with tempfile.TemporaryDirectory() as folder:
        store = new_project(Path(folder) / "p.db")
        # One article already there, so a half-written or rolled-back import would show.
        with store.write():
            store.insert_article_row("Already here.", title="Already here.", ext_id="old",
                                     digest="old", meta={}, source="test")
        try:
            yield store, Path(folder)
        finally:
            store.close()


def rows(store):
    conn = store.conn
    return (conn.execute("SELECT id, ext_id, title, text, status, n_spans FROM articles").fetchall(),
            conn.execute("SELECT article_id, start, end, label FROM spans").fetchall(),
            store.get_meta("schema"))


@st.composite
def records(draw):
    text = draw(st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
    n = len(text)
    bounds = st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda b: b[0] < b[1])
    spans = draw(st.lists(st.tuples(bounds, st.sampled_from(LABELS)), max_size=8))
    record = {"text": text,
              "spans": [{"start": s, "end": e, "label": label} for (s, e), label in spans]}
    if draw(st.booleans()):
        record["title"] = draw(st.text(max_size=40).filter(lambda t: t.strip()))
    if draw(st.booleans()):
        record["meta"] = {"source": draw(st.text(max_size=20))}
    return record


@SETTINGS
@given(st.lists(records(), min_size=1, max_size=5, unique_by=lambda r: r["text"]),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), st.booleans())
def test_valid_jsonl_with_spans_imports_unchanged(written, encoding, ascii_only):
    with fresh_project() as (store, folder):
        path = folder / "data.jsonl"
        lines = [json.dumps(r, ensure_ascii=ascii_only) for r in written]
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        report = import_paths(store, [path])
        assert report.ok and not report.skipped and not report.duplicates, report.summary()
        assert report.articles == len(written)
        for number, record in enumerate(written, start=2):  # id 1 is the article already there
            article = store.article(number)
            assert article.text == record["text"]
            assert article.meta == record.get("meta", {})
            if "title" in record:
                assert article.title == record["title"]
            got = sorted((s.start, s.end, s.label) for s in store.spans(number))
            assert got == sorted((s["start"], s["end"], s["label"]) for s in record["spans"])
            assert article.n_spans == len(record["spans"])


JSON_LINE = st.builds(lambda r: json.dumps(r).encode(), records())
JUNK_LINE = st.one_of(
    st.binary(max_size=80),
    st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"{", b"}", b"[]", b"null", b'{"text": 5}', b'{"text": "x", "spans": 3}',
                     b'{"text": "x", "spans": [{"start": -1, "end": 99, "label": "ORG"}]}',
                     b'{"text": "\\ud800"}', b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\r"]),
)


@SETTINGS
@given(st.lists(st.one_of(JSON_LINE, JUNK_LINE), max_size=12), st.sampled_from([".jsonl", ".txt"]),
       st.sampled_from([None, "latin-1", "utf-16"]))
def test_any_bytes_are_imported_whole_or_reported_never_raised_never_half_written(
        lines, suffix, encoding):
    with fresh_project() as (store, folder):
        path = folder / f"random{suffix}"
        path.write_bytes(b"\n".join(lines))
        before = rows(store)
        try:
            report = import_paths(store, [path], encoding=encoding)
        except AnnotatorError as error:  # pragma: no cover - shown if it happens
            raise AssertionError(f"raised instead of reporting: {error}") from error
        after = rows(store)
        if not report.ok:
            assert report.failed_files[0].startswith(str(path))
            assert after == before  # nothing of a failed file is written
            return
        assert report.files == [str(path)]
        # Exactly what the report claims, on top of what was there.
        assert after[0][:1] == before[0][:1]
        assert len(after[0]) == len(before[0]) + report.articles
        assert len(after[1]) == len(before[1]) + report.spans
        if report.articles == 0:
            assert report.skipped or report.duplicates  # an import of nothing says why
        for article_id, _, title, text, _, n_spans in after[0]:
            assert text.strip() and isinstance(title, str)
            assert n_spans == sum(1 for span in after[1] if span[0] == article_id)
        for article_id, start, end, _ in after[1]:
            text = next(row[3] for row in after[0] if row[0] == article_id)
            assert 0 <= start < end <= len(text)
