"""Review of issue 14: the training guard's counts in a project with several annotators and a
gold layer. The counts are meant to be "the examples the run would see" (train_check's
docstring); they add up every layer, gold included, while the spaCy export the run trains on
puts each place into doc.ents once."""

import spacy

from annotator.formats.spacy.writer import export_spacy
from annotator.suggest.train_check import training_counts, training_layer
from tests.agreement_helpers import two_layers
from tests.spacy_shards import shard_docs


def test_the_counts_are_the_entities_the_training_export_holds(store, tmp_path):
    two_layers(store)
    store.fill_article_gold(1)
    counts = training_counts(store, dev_share=0.0)
    with training_layer(store):  # as train_into exports: the layer trained on (gold here)
        export_spacy(store, tmp_path / "spacy", dev_share=0.0)
    ents = {}
    for doc in shard_docs(tmp_path / "spacy", vocab=spacy.blank("en").vocab):
        for ent in doc.ents:
            ents[ent.label_] = ents.get(ent.label_, 0) + 1
    assert counts.train == ents
