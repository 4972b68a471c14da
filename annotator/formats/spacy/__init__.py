"""spaCy: DocBin reader (docbin), v2 JSON training files (v2json), the train/dev exporter (writer).

Import spaCy only inside these modules: this package's __init__ stays light.
"""
