"""Deciding all of one label, headless: the scope and count said first, the whole corpus as one
undo step, twins (two sources' same suggestion) never accepted twice; and edits in words."""

import json

from annotator.core.bulk_decisions import ARTICLE, CORPUS, bulk_scope, decide_bulk
from annotator.core.edit_text import edit_text
from annotator.core.session import Session
from annotator.formats.importer import import_paths
from annotator.suggest.runner import run_suggestions
from tests.conftest import on_disk

TEXTS = [
    "Kataib Hezbollah fighters left Baghdad and Basra on Monday.",
    "Protesters in Baghdad chanted against the Pentagon.",
    "Nothing to see here.",
]


def project(store, tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS))
    import_paths(store, [path])
    for name, lines in (("places", "GPE\tBaghdad\nGPE\tBasra\nORG\tPentagon\n"),
                        ("cities", "GPE\tBaghdad\n")):
        patterns = tmp_path / f"{name}.tsv"
        patterns.write_text(lines)
        store.add_source(name, "patterns", str(patterns), {})
        run_suggestions(store, name)
    session = Session(store)
    session.open_first()
    return session


def states(store):
    return on_disk(store, "SELECT a.text, substr(a.text, s.start + 1, s.end - s.start), s.origin, "
                          "s.state, s.decision FROM spans s JOIN articles a ON a.id = s.article_id "
                          "ORDER BY s.id")


def test_the_scope_and_count_are_said_before_and_as_done_after(store, tmp_path):
    session = project(store, tmp_path)
    here = bulk_scope(session, True, "GPE", ARTICLE)
    # Baghdad (suggested by both sources: twins, one tag) and Basra: the places one sees.
    assert here.question() == "Accept 2 GPE suggestions in this article?"
    everywhere = bulk_scope(session, True, "GPE", CORPUS)
    assert everywhere.question() == "Accept 3 GPE suggestions in 2 articles?"
    assert bulk_scope(session, False, "ORG", CORPUS).question() == (
        "Reject 1 ORG suggestion in 1 article?")
    outcome = decide_bulk(session, True, "GPE", CORPUS)
    assert outcome.message == "Accepted 3 GPE suggestions in 2 articles"
    assert outcome.edit.description == "accept 3 GPE suggestions in 2 articles"


def test_accepting_across_the_corpus_is_one_step_and_twins_become_one_span(store, tmp_path):
    session = project(store, tmp_path)
    edit = session.apply(decide_bulk(session, True, "GPE", CORPUS).edit)
    accepted = [row for row in states(store) if row[3] == "accepted"]
    # Each Baghdad once (the second source's twin closed as a duplicate), Basra once.
    assert sorted((text[:10], word) for text, word, *_ in accepted) == [
        ("Kataib Hez", "Baghdad"), ("Kataib Hez", "Basra"), ("Protesters", "Baghdad")]
    assert sorted(row[2:] for row in states(store) if row[4] == "duplicate") == [
        ("suggest:cities", "rejected", "duplicate")] * 2
    # The other article moved to in progress too; undo puts every row and status back.
    assert on_disk(store, "SELECT status FROM articles ORDER BY id") == [
        ("in_progress",), ("in_progress",), ("new",)]
    session.revert(edit)
    assert {row[3] for row in states(store)} == {"suggested"}
    assert on_disk(store, "SELECT status FROM articles ORDER BY id") == [("new",)] * 3
    # The open article is shown as the file holds it.
    assert len(session.suggestions) == 3 and session.spans == []  # two Baghdads, one Basra


def test_an_edit_in_words_quotes_its_text(store, tmp_path):
    session = project(store, tmp_path)
    text = session.article.text
    start = text.index("Kataib")
    edit = session.plan_add_span(start, start + len("Kataib Hezbollah"), "ORG")
    assert edit_text(edit, edit.description, text) == "Add ORG 'Kataib Hezbollah'"
    assert edit_text(edit, edit.description, None) == "Add ORG"
    long = session.plan_add_span(0, len(text), "ORG")
    said = edit_text(long, long.description, text)
    assert said.startswith("Add ORG 'Kataib Hezbollah fighters") and said.endswith("…'")
