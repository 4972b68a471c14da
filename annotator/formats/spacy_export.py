"""Where export_spacy used to live; annotator.suggest.train still imports it from here.

Kept only until that module (owned by another change) imports annotator.formats.spacy.writer.
"""

from annotator.formats.spacy.writer import export_spacy

__all__ = ["export_spacy"]
