"""Reading the spaCy export's shards back with real spaCy: every .spacy file of OUTDIR/train/
and dev/, in name order (as spacy train's corpus reader takes them)."""

from pathlib import Path

import spacy
from spacy.tokens import DocBin


def shard_files(outdir: Path, split: str) -> list[Path]:
    return sorted((Path(outdir) / split).glob("*.spacy"))


def shard_docs(outdir: Path, splits=("train", "dev"), vocab=None) -> list:
    vocab = vocab or spacy.blank("en").vocab
    return [
        doc
        for split in splits
        for path in shard_files(outdir, split)
        for doc in DocBin(store_user_data=True).from_disk(path).get_docs(vocab)
    ]
