"""annotator: label entities and events in news articles and export them for spaCy."""

__version__ = "0.1.0"
