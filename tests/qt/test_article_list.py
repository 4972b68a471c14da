"""The lazy article list model: pages by key, passes Qt's model tester."""

from annotator.formats.record_writer import write_records
from annotator.formats.records import ArticleRecord, ImportReport
from annotator.qt.models.article_list import PAGE_SIZE, ArticleListModel
from annotator.store import open_project
from annotator.core.model import ArticleFilter


def big_project(path, n):
    store = open_project(path)
    records = [ArticleRecord(text=f"Headline {i}\n\nBody of article number {i}.", where=f"x:{i}")
               for i in range(n)]
    write_records(store, records, ImportReport(), source="test")
    return store


def test_model_passes_qtmodeltester_while_paging(qtmodeltester, tmp_path):
    store = big_project(tmp_path / "big.db", PAGE_SIZE * 2 + 17)
    model = ArticleListModel(store)
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore()
    # The tester stays connected and checks every insert and reset that follows.
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == PAGE_SIZE * 2 + 17
    model.set_filter(ArticleFilter(query="number 42"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Headline 42"]
    model.refresh_article(43)


def test_row_of_fetches_a_page_or_two_but_not_the_whole_corpus(tmp_path):
    store = big_project(tmp_path / "big.db", PAGE_SIZE * 6)
    model = ArticleListModel(store)
    assert model.row_of(PAGE_SIZE + 5) == PAGE_SIZE + 4
    assert model.rowCount() == PAGE_SIZE * 2
    assert model.row_of(PAGE_SIZE * 5 + 1) is None
    assert model.rowCount() == PAGE_SIZE * 4
