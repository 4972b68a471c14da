"""Label all occurrences, without a window: what lands in SQLite is suggestions of their own
source, on token edges, never over what is already labelled, written in short batches."""

import json
import sqlite3
import threading

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.occurrences import MatchOptions
from annotator.formats.importer import import_paths
from annotator.store.occurrences import fts_phrase
from annotator.suggest.propagate import propagate
from tests.conftest import on_disk


@pytest.fixture
def corpus(store, tmp_path):
    records = [
        {"id": "a", "text": "Kataib Hezbollah struck. Later KATAIB HEZBOLLAH denied it."},
        {"id": "b", "text": "Nothing about them here, only Baghdad."},
        {
            "id": "c",
            "text": "👩‍👩‍👧 🇩🇪 e\u0301 بغداد kataib hezbollah's men; Kataib Hezbollahi",
            "spans": [],
        },
        {
            "id": "d",
            "text": "Kataib Hezbollah again.",
            "spans": [{"start": 0, "end": 16, "label": "ORG"}],
        },
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    import_paths(store, [path])
    return store


def suggested(store):
    return on_disk(
        store,
        "SELECT a.ext_id, s.start, s.end, s.label, s.origin, s.state, "
        "substr(a.text, s.start + 1, s.end - s.start) FROM spans s "
        "JOIN articles a ON a.id = s.article_id WHERE s.state = 'suggested' ORDER BY s.id",
    )


def test_the_whole_corpus_gets_suggestions_of_their_own_source(corpus):
    report = propagate(corpus, "Kataib Hezbollah", "ORG")
    rows = suggested(corpus)
    text_c = "👩‍👩‍👧 🇩🇪 e\u0301 بغداد kataib hezbollah's men; Kataib Hezbollahi"
    start_c = text_c.index("kataib")
    assert rows == [
        ("a", 0, 16, "ORG", "suggest:propagated", "suggested", "Kataib Hezbollah"),
        ("a", 31, 47, "ORG", "suggest:propagated", "suggested", "KATAIB HEZBOLLAH"),
        ("c", start_c, start_c + 16, "ORG", "suggest:propagated", "suggested",
         "kataib hezbollah"),
    ]
    # d's is labelled already; "Hezbollahi" is a longer word (not on a token edge)
    assert (report.suggested, report.articles, report.already, report.off_tokens) == (3, 2, 1, 1)
    assert report.summary().startswith("Suggested ORG for 3 occurrence(s) of “Kataib Hezbollah” "
                                       "in 2 article(s); skipped 1 already labelled")
    # Nothing accepted: no article counts a span it did not have.
    assert on_disk(corpus, "SELECT ext_id, n_spans FROM articles ORDER BY ext_id") == [
        ("a", 0), ("b", 0), ("c", 0), ("d", 1)]


def test_running_again_adds_nothing_and_a_rejection_is_respected(corpus):
    propagate(corpus, "Kataib Hezbollah", "ORG")
    (span_id,) = on_disk(corpus, "SELECT min(id) FROM spans WHERE state = 'suggested'")[0]
    corpus.decide(span_id, "rejected", "rejected")
    again = propagate(corpus, "kataib hezbollah", "ORG", MatchOptions(whole_word=True))
    assert again.suggested == 0 and again.already == 4
    assert len(suggested(corpus)) == 2


def test_exact_case_and_this_article_only(corpus):
    (a,) = on_disk(corpus, "SELECT id FROM articles WHERE ext_id = 'a'")[0]
    report = propagate(corpus, "KATAIB HEZBOLLAH", "ORG", MatchOptions(match_case=True), [a])
    assert report.suggested == 1
    assert [r[6] for r in suggested(corpus)] == ["KATAIB HEZBOLLAH"]


def test_bad_requests_are_refused_with_the_reason(corpus):
    with pytest.raises(AnnotatorError, match="not an entity label"):
        propagate(corpus, "Baghdad", "CITY")
    with pytest.raises(AnnotatorError, match="Nothing to look for"):
        propagate(corpus, "  ", "GPE")
    assert suggested(corpus) == []


def test_fts_narrows_to_a_superset_of_the_articles():
    assert fts_phrase("Kataib Hezbollah", whole_word=True) == '"Kataib Hezbollah"'
    # inside words: the first word may end a longer one, the last may begin one
    assert fts_phrase("Kataib Hezbollah", whole_word=False) == '"Hezbollah" *'
    assert fts_phrase("Iraq", whole_word=False) is None  # could sit inside any word
    assert fts_phrase("Iraq", whole_word=True) == '"Iraq"'
    assert fts_phrase("$ 5", whole_word=False) == '"5" *'
    assert fts_phrase('say "no" AND', whole_word=True) == '"say no AND"'
    assert fts_phrase("🇩🇪", whole_word=True) is None


def test_fts_finds_only_the_articles_that_may_hold_it(corpus):
    phrase = fts_phrase("kataib hezbollah", whole_word=True)
    ids = [row[0] for row in corpus.candidate_page(phrase, 0, 10)]
    assert on_disk(corpus, "SELECT ext_id FROM articles WHERE id IN (%s) ORDER BY id"
                   % ",".join(map(str, ids))) == [("a",), ("c",), ("d",)]
    assert corpus.candidate_count(phrase) == 3
    assert corpus.candidate_count(None) == 4


def test_a_large_corpus_streams_in_short_batches_and_can_be_cancelled(store, tmp_path):
    text = "The Pentagon said Kataib Hezbollah fired. " * 30
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": f"{i}: {text}"}) + "\n" for i in range(400)))
    import_paths(store, [path])
    # Another connection writes while the run goes: it never waits for the whole run.
    waits = []
    stop = threading.Event()

    def other_writer():
        conn = sqlite3.connect(store.path, timeout=30)
        import time
        while not stop.is_set():
            began = time.monotonic()
            conn.execute("BEGIN IMMEDIATE")
            waits.append(time.monotonic() - began)
            conn.execute("UPDATE meta SET value = value WHERE key = 'schema'")
            conn.execute("COMMIT")
            time.sleep(0.01)
        conn.close()

    calls = []

    def progress(done, total, ids):
        calls.append((done, total, len(ids)))
        return len(calls) < 2  # cancel after the second batch

    writer = threading.Thread(target=other_writer)
    writer.start()
    try:
        report = propagate(store, "Kataib Hezbollah", "ORG", progress=progress)
    finally:
        stop.set()
        writer.join()
    assert report.cancelled and calls[0][1] == 400
    done = calls[-1][0]
    assert 0 < done < 400
    per_article = on_disk(store, "SELECT article_id, count(*) FROM spans GROUP BY article_id")
    # Whole articles, each with its 30 occurrences, up to where it was cancelled.
    assert {count for _, count in per_article} == {30}
    assert len(per_article) == report.articles == done
    assert waits and max(waits) < 5  # generous: a shared machine; the run itself takes longer


def test_the_command_line_runs_the_same_function(corpus, capsys):
    from annotator.cli import main

    path = str(corpus.path)
    code = main(["suggest", path, "--propagate", "Kataib Hezbollah", "--label", "ORG",
                 "--match-case"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == ("Suggested ORG for 1 occurrence(s) of “Kataib Hezbollah” in "
                           "1 article(s); skipped 1 already labelled or decided, "
                           "1 inside a longer word (not on token edges)")
    assert [r[6] for r in suggested(corpus)] == ["Kataib Hezbollah"]
    code = main(["suggest", path, "--propagate", "Baghdad"])
    out, err = capsys.readouterr()
    assert code == 1 and "needs --label" in err
    code = main(["suggest", path, "--patterns", "x.txt", "--label", "ORG"])
    out, err = capsys.readouterr()
    assert code == 1 and "go with --propagate" in err
