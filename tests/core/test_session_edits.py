"""Session edits as the GUI and the CLI make them: each lands in SQLite at once, and reverting
it puts every row back exactly as it was (ids, counts and statuses included)."""

from pathlib import Path

import pytest

from annotator.core.errors import EditRefused
from annotator.core.session import ARTICLE, SPANS, STATUS, Session
from annotator.formats.importer import import_paths
from annotator.store import open_project
from annotator.core.model import ArticleFilter

SEED = Path(__file__).resolve().parents[2] / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"
SECOND = "Talks in Geneva\n\nThe foreign ministers of France and Iran met in Geneva on Monday.\n"


@pytest.fixture
def session(store, tmp_path):
    (tmp_path / "second.txt").write_text(SECOND, encoding="utf-8")
    report = import_paths(store, [SEED, tmp_path / "second.txt"])
    assert report.articles == 2, report.summary()
    session = Session(store)
    session.open_first()
    return session


def where(session, word, nth=0):
    """(start, end) of the nth occurrence of word in the open article."""
    text = session.article.text
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def snapshot(store):
    """Everything an edit may touch, as stored."""
    conn = store.conn
    spans = conn.execute("SELECT id, article_id, start, end, label, kind, origin, state "
                         "FROM spans ORDER BY id").fetchall()
    articles = conn.execute("SELECT id, status, n_spans FROM articles ORDER BY id").fetchall()
    return spans, articles


def stored_spans(store, article_id):
    text = store.article(article_id).text
    return [(text[s.start:s.end], s.label) for s in store.spans(article_id)]


def test_labelling_a_drag_saves_whole_tokens_and_starts_the_article(session):
    start, end = where(session, "Kataib Hezbollah")
    edit = session.apply(session.plan_add_span(start + 3, end - 2, "ORG"))  # "aib Hezboll"
    article_id = session.article.id
    assert stored_spans(session.store, article_id) == [("Kataib Hezbollah", "ORG")]
    assert edit.span.id is not None and session.spans == [edit.span]
    row = session.store.article_row(article_id)
    assert (row.status, row.n_spans) == ("in_progress", 1)
    assert session.article.status == "in_progress"


def test_relabel_remove_and_status_are_saved_at_once(session):
    span = session.apply(session.plan_add_span(*where(session, "Pentagon"), "PERSON")).span
    session.apply(session.plan_relabel(span, "ORG"))
    assert stored_spans(session.store, session.article.id) == [("Pentagon", "ORG")]
    session.apply(session.plan_remove(session.spans[0]))
    assert session.store.spans(session.article.id) == []
    assert session.store.article_row(session.article.id).n_spans == 0
    session.apply(session.plan_set_status("done"))
    assert session.store.status_of(session.article.id) == "done"


def test_reverting_every_edit_restores_the_file_exactly_and_redoing_restores_the_same_ids(session):
    before = snapshot(session.store)
    edits = [
        session.apply(session.plan_add_span(*where(session, "Baghdad"), "GPE")),
        session.apply(session.plan_add_span(*where(session, "Kataib Hezbollah"), "ORG")),
        session.apply(session.plan_add_span(*where(session, "Joe Biden"), "PERSON")),
    ]
    edits.append(session.apply(session.plan_relabel(session.store.span(edits[1].span.id), "NORP")))
    edits.append(session.apply(session.plan_remove(session.store.span(edits[0].span.id))))
    edits.append(session.apply(session.plan_set_status("done")))
    after = snapshot(session.store)
    assert after != before
    for edit in reversed(edits):
        session.revert(edit)
    assert snapshot(session.store) == before
    assert session.article.status == "new" and session.spans == []
    for edit in edits:  # redo
        session.apply(edit)
    assert snapshot(session.store) == after


def test_reverting_a_removal_brings_back_the_span_with_its_id_and_the_count(session):
    kept = session.apply(session.plan_add_span(*where(session, "Iraq"), "GPE")).span
    gone = session.apply(session.plan_add_span(*where(session, "Syria"), "GPE")).span
    removal = session.apply(session.plan_remove(gone))
    assert session.store.article_row(session.article.id).n_spans == 1
    session.revert(removal)
    assert {s.id for s in session.spans} == {kept.id, gone.id}
    assert session.store.span(gone.id) == gone
    assert session.store.article_row(session.article.id).n_spans == 2


def test_reverting_a_status_change_restores_the_status_it_replaced(session):
    session.apply(session.plan_add_span(*where(session, "Jordan"), "GPE"))
    assert session.article.status == "in_progress"
    skip = session.apply(session.plan_set_status("skipped"))
    done = session.apply(session.plan_set_status("done"))
    session.revert(done)
    assert session.store.status_of(session.article.id) == "skipped"
    session.revert(skip)
    assert session.store.status_of(session.article.id) == "in_progress"
    assert session.article.status == "in_progress"


def test_undo_after_switching_article_opens_the_edited_article_first(session):
    heard = []
    session.subscribe(lambda what, article_id: heard.append((what, article_id)))
    first = session.article.id
    edit = session.apply(session.plan_add_span(*where(session, "Baghdad"), "GPE"))
    assert session.go(+1)
    second = session.article.id
    assert second != first
    heard.clear()
    session.revert(edit)
    assert session.article.id == first
    assert session.spans == [] and session.store.spans(first) == []
    assert heard == [(ARTICLE, first), (SPANS, first)]
    # A status undo also lands on its own article.
    session.go(+1)
    status = session.apply(session.plan_set_status("done"))
    session.go(-1)
    heard.clear()
    session.revert(status)
    assert session.article.id == second and session.article.status == "new"
    assert heard == [(ARTICLE, second), (STATUS, second)]


def test_the_same_label_twice_on_the_same_text_is_refused_but_other_labels_may_nest(session):
    span = where(session, "Kataib Hezbollah")
    session.apply(session.plan_add_span(*span, "ORG"))
    before = snapshot(session.store)
    with pytest.raises(EditRefused, match="already labelled ORG"):
        session.apply(session.plan_add_span(span[0] + 1, span[1] - 1, "ORG"))  # snaps to the same tokens
    assert snapshot(session.store) == before
    session.apply(session.plan_add_span(*span, "NORP"))  # same text, another label: allowed
    session.apply(session.plan_add_span(*where(session, "Kataib"), "PERSON"))  # nested inside: allowed
    labels = sorted(label for _, label in stored_spans(session.store, session.article.id))
    assert labels == ["NORP", "ORG", "PERSON"]


def test_relabelling_into_a_duplicate_is_refused(session):
    span = where(session, "Pentagon")
    session.apply(session.plan_add_span(*span, "ORG"))
    other = session.apply(session.plan_add_span(*span, "FAC")).span
    with pytest.raises(EditRefused, match="already labelled ORG"):
        session.apply(session.plan_relabel(other, "ORG"))
    assert sorted(label for _, label in stored_spans(session.store, session.article.id)) == [
        "FAC", "ORG"]


@pytest.mark.parametrize("label", ["NOPE", "org", ""])
def test_a_label_the_schema_lacks_is_refused_and_nothing_is_written(session, label):
    before = snapshot(session.store)
    with pytest.raises(EditRefused, match="not in the project's schema"):
        session.apply(session.plan_add_span(*where(session, "Baghdad"), label))
    assert snapshot(session.store) == before


def test_a_selection_of_only_spaces_is_refused(session):
    gap = session.article.text.index(" ", 10)
    with pytest.raises(EditRefused, match="no text"):
        session.apply(session.plan_add_span(gap, gap + 1, "ORG"))


def test_with_snapping_off_the_span_keeps_the_dragged_characters_minus_spaces(session):
    session.snap_to_tokens = False
    start, end = where(session, "Hezbollah")
    edit = session.apply(session.plan_add_span(start - 1, start + 3, "ORG"))  # " Hez"
    assert session.article.text[edit.span.start:edit.span.end] == "Hez"


def test_an_unknown_status_is_refused(session):
    with pytest.raises(EditRefused, match="unknown status"):
        session.apply(session.plan_set_status("finished"))
    assert session.store.status_of(session.article.id) == "new"


def test_moving_between_articles_follows_the_list_filter(session):
    first = session.article.id
    assert not session.go(-1)  # at the start
    session.go(+1)
    session.apply(session.plan_set_status("done"))
    session.go(-1)
    assert session.article.id == first
    session.filter = ArticleFilter(status="done")
    assert session.go(+1) and session.article.status == "done"
    assert not session.go(+1)



def test_redoing_a_first_span_on_an_article_marked_done_meanwhile_leaves_it_done(session):
    edit = session.apply(session.plan_add_span(*where(session, "Baghdad"), "GPE"))
    session.revert(edit)
    assert session.article.status == "new"
    session.apply(session.plan_set_status("done"))
    session.apply(edit)  # redo: the article was already started, so its status stays
    session.revert(edit)
    assert session.store.status_of(session.article.id) == "done"
