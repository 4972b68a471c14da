"""Import and export, one module per format. No Qt here."""

# The formats `annotator import --format` and File › Import with options offer.
IMPORT_FORMATS = ("txt", "jsonl", "brat", "conll", "doccano", "spacy", "spacy-json", "csv", "tsv")
