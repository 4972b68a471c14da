"""Review of issue 14: statistics on a project with two annotators and a gold layer. Gold is
the adjudicated copy of what the annotators agreed on, not a third person's work: the
labels per type count each agreed name once per annotator and once more for gold."""

from annotator.core.layers import GOLD
from annotator.core.statistics import gather
from tests.agreement_helpers import two_layers
from tests.conftest import on_disk


def test_gold_is_not_counted_as_more_labelled_names(store):
    two_layers(store)
    before = gather(store)
    store.fill_article_gold(1)
    after = gather(store)
    gold_spans = on_disk(store, "SELECT count(*) FROM spans WHERE annotator = ? AND kind = 'entity'"
                         " AND state = 'accepted'", GOLD)[0][0]
    assert gold_spans > 0
    # Filling gold adds no labelled name to the corpus; the panel's "Labels per type" grows.
    assert after["spans"] == before["spans"], (before["spans_per_label"], after["spans_per_label"])
    assert after["events"] == before["events"]
