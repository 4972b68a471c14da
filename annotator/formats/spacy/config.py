"""The spaCy export's config.cfg: what `spacy init config` writes for the project's language,
reading the export's train and dev folders; streamed for a large corpus.

A module of its own, with nothing of the store: the export has a pool process make the config
(it has spaCy loaded; the export's own process need not), and that process then imports this
and spaCy only.
"""

from __future__ import annotations

import functools
from pathlib import Path

# Above the writer's STREAM_ABOVE train Docs the config streams the corpus (spaCy's
# max_epochs = -1) rather than holding every Example in memory, and evaluates on the first
# DEV_LIMIT dev Docs, EVAL_BATCH at a time.
DEV_LIMIT = 200
EVAL_BATCH = 16


@functools.lru_cache(maxsize=8)
def _init_config(language: str):
    """spaCy's config for the language, made once a process: init_config builds the whole
    pipeline to fill it in (about 0.6 s), and it is the same for every export."""
    from spacy.cli.init_config import init_config

    return init_config(
        lang=language, pipeline=["ner"], optimize="efficiency", gpu=False, silent=True
    )


def training_config(language: str, train: Path, dev: Path, stream: bool = False):
    """What `spacy init config --lang L --pipeline ner --optimize efficiency` writes (CPU),
    reading the train and dev folders; for a large corpus (the writer's STREAM_ABOVE), streamed."""
    config = _init_config(language).copy()  # a deep copy: the cached one stays as made
    config["paths"]["train"] = str(train.resolve())
    config["paths"]["dev"] = str(dev.resolve())
    if stream:
        # spaCy's training loop makes a list of every train Example when max_epochs >= 0,
        # and evaluation one of every dev Example: 2.7 GB for 10,000 news articles.
        config["training"]["max_epochs"] = -1
        config["corpora"]["dev"]["limit"] = DEV_LIMIT
        # Evaluation runs nlp.pipe with nlp.batch_size docs at once (1,000 by default): 600,000
        # tokens of news articles through tok2vec took spacy train to 9 GB on 10,000 articles.
        config["nlp"]["batch_size"] = EVAL_BATCH
    return config


def config_text(language: str, train: Path, dev: Path, stream: bool) -> str:
    return training_config(language, train, dev, stream).to_str()
