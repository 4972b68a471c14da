"""The formats annotator ships, registered once each (annotator.formats.registry is the
mechanism; the formats package imports this module, so the registry is full whoever asks).

The order here is the order of the command line's choices, its help and the menus.
"""

from __future__ import annotations

from annotator.formats.registry import (
    Exporter,
    Option,
    Reader,
    import_option,
    register_exporter,
    register_reader,
)


def dev_share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    if not 0.0 <= share < 1.0:
        raise ValueError(f"must be at least 0 and below 1, not {value}")
    return share


def jobs(value: str) -> int:
    """A number of processes: 1 or more (the default, every core, is an empty field)."""
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"not a whole number: {value!r}") from None
    if count < 1:
        raise ValueError(f"must be 1 or more, not {value}")
    return count


def column_number(value: str) -> int:
    try:
        column = int(value)
    except ValueError:
        raise ValueError(f"not a column number: {value!r}") from None
    if column == 0:
        raise ValueError("columns count from 1 (or from -1 for the last)")
    return column


_FORMATS = "annotator.formats."
CONLL_SUFFIXES = (
    ".conll",
    ".conll03",
    ".conll2003",
    ".bio",
    ".iob",
    ".iob2",
    ".bioes",
    ".iobes",
    ".biluo",
    ".bilou",
)
TABLE_SUFFIXES = (".csv", ".tsv", ".tab")
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")

# The options readers take, in the order the command line's help and the dialog list them.
import_option(
    Option(
        "--conll-column",
        "CoNLL: the column holding the tags, counted from 1 (negative: from the end, -1 is "
        "the last); default: the last column, or the first NER column after the token when "
        "the first column is a token index (GermEval)",
        type=column_number,
        metavar="N",
        label="CoNLL &tag column",
        placeholder="detect; or a column from 1, -1 for the last",
    )
)
import_option(
    Option(
        "--text-column",
        "CSV/TSV: the column holding the article text (default: text)",
        "text",
        metavar="NAME",
        label="CSV/TSV &text column",
    )
)
import_option(
    Option(
        "--offsets",
        "JSONL and doccano: what span offsets count: characters (default; Python, Prodigy, "
        "spaCy) or UTF-16 code units (JavaScript: doccano and other browser tools, where an "
        "emoji counts two)",
        "chars",
        choices=("chars", "utf16"),
        label="&Offsets count",
        choice_labels=(
            "Characters (Python, Prodigy, spaCy)",
            "UTF-16 units (doccano, browser tools: an emoji counts two)",
        ),
    )
)

# The order here is the order of the command line's choices and of the menus.
for _reader in (
    Reader(
        "txt",
        _FORMATS + "text.txt:read_txt",
        ("a .txt file is one article, its first line the title",),
        suffixes=(".txt",),
        dialog_only=(".text",),
    ),
    Reader(
        "jsonl",
        _FORMATS + "jsonl.reader:read_jsonl",
        (
            "Prodigy-style JSONL: text, id, title, meta, status, spans, tokens, relations,",
            "answer (reject and ignore are left out), and the events our export writes",
        ),
        suffixes=JSON_SUFFIXES,
        options={"offsets": "offsets"},
        utf16_hint=True,
        title="JSONL",
    ),
    Reader(
        "brat",
        _FORMATS + "brat.reader:read_brat",
        (
            "DOC.txt with DOC.ann beside it: entities, events, relations, attributes,",
            "notes; the folder's annotation.conf is merged into the schema",
        ),
        claims=(".ann",),
        setup=_FORMATS + "brat.setup:BratSetup",
    ),
    Reader(
        "conll",
        _FORMATS + "conll.reader:read_conll",
        (
            "CoNLL 2003 / BIO / BILUO / IOB token files (.conll, .bio, .iob, or a .txt or",
            ".tsv laid out so): -DOCSTART- document breaks, blank lines between sentences,",
            "# comments; the text is rebuilt from the tokens",
        ),
        suffixes=CONLL_SUFFIXES,
        claims=CONLL_SUFFIXES,
        dialog_only=(".conllu",),
        options={"conll_column": "column"},
        title="CoNLL",
    ),
    Reader(
        "doccano",
        _FORMATS + "doccano.reader:read_doccano",
        (
            'doccano JSONL ("label": [[start, end, label]] or entities/relations), one',
            "record a line or pretty-printed",
        ),
        suffixes=JSON_SUFFIXES,
        options={"offsets": "offsets"},
        # The project's event types tell triggers from entities in doccano's spans.
        schema="types",
        utf16_hint=True,
    ),
    Reader(
        "spacy",
        _FORMATS + "spacy.docbin:read_docbin",
        ("spaCy DocBin (.spacy): doc.ents, span groups, events in user_data",),
        suffixes=(".spacy",),
        claims=(".spacy",),
        title="spaCy",
    ),
    Reader(
        "spacy-json",
        _FORMATS + "spacy.v2json:read_spacy_json",
        ('spaCy v2 JSON training files (paragraphs, tokens with BILUO "ner" tags)',),
        suffixes=(".json",),
        title="spaCy",
    ),
    Reader(
        "csv",
        _FORMATS + "text.tables:read_csv",
        (),
        suffixes=TABLE_SUFFIXES,
        options={"text_column": "text_column"},
        title="CSV/TSV",
    ),
    Reader(
        "tsv",
        _FORMATS + "text.tables:read_csv",
        (
            "a table of articles with a header row: the text column (--text-column), id",
            "and title columns if present, every other column into meta",
        ),
        suffixes=TABLE_SUFFIXES,
        options={"text_column": "text_column"},
        fixed={"delimiter": "\t"},
        title="CSV/TSV",
    ),
):
    register_reader(_reader)

for _exporter in (
    Exporter(
        "spacy",
        _FORMATS + "spacy.writer:export_spacy",
        True,
        "OUTDIR",
        "train/ and dev/ (DocBin shards) and config.cfg for `spacy train`",
        "Write OUTDIR/train/ and dev/, folders of DocBin shards of 1,000 articles each, made "
        "on every core (--jobs), which `spacy train` reads as they are (entities in doc.ents "
        "and every "
        "entity span, overlaps included, in doc.spans['sc']; event triggers in "
        "doc.spans['triggers'] and the events with their arguments in "
        "doc.user_data['events']), a config.cfg that `python -m spacy train "
        "OUTDIR/config.cfg` runs as is, and export-report.txt listing every span not on "
        "token boundaries.",
        "&Export for spaCy…",
        "Write train/, dev/ and config.cfg",
        None,  # its key: file.export.spacy in the one key map (core/key_table.py)
        (
            Option(
                "--dev-share",
                "share of the articles for dev/ (default: 0.2)",
                0.2,
                type=dev_share,
                metavar="SHARE",
                label="Share of articles for dev",
            ),
            Option(
                "--seed",
                "seed of the train/dev split (default: 0)",
                0,
                type=int,
                label="Random seed of the split",
            ),
            Option(
                "--jobs",
                "processes that tokenize and write the shards (default: every core); the "
                "files are the same whatever the number",
                None,
                type=jobs,
                metavar="N",
                label="Processes",
                placeholder="every core",
            ),
            Option(
                "--span-groups",
                "yes: also every annotator's layer as a span group, "
                "doc.spans['annotator:NAME'] (doc.ents stays the layer exported: gold when "
                "the project has one); default: no",
                "no",
                choices=("no", "yes"),
                label="Annotators' layers",
                choice_labels=(
                    "only the exported layer",
                    "also each as a span group (annotator:NAME)",
                ),
            ),
        ),
        title="spaCy",
    ),
    Exporter(
        "jsonl",
        _FORMATS + "jsonl.writer:export_jsonl",
        False,
        "OUT.jsonl",
        "Prodigy-style JSONL with tokens, spans, relations and events",
        "Write one JSON object a line: text, id, title, meta, status, tokens, spans with "
        "character and token offsets (triggers with kind 'trigger'), event arguments as "
        "Prodigy `relations` (head = trigger, child = argument, label = role) and the "
        "whole events in `events`. `annotator import` reads it back.",
        "Export &JSONL…",
        "Write Prodigy-style JSONL",
        None,  # its key: file.export.jsonl in the one key map (core/key_table.py)
        suffix=".jsonl",
        file_filter="JSONL (*.jsonl)",
        title="JSONL",
        jobs=True,
    ),
    Exporter(
        "brat",
        _FORMATS + "brat.writer:export_brat",
        True,
        "OUTDIR",
        "brat standoff: NAME.txt + NAME.ann per article, and annotation.conf",
        "Write OUTDIR/NAME.txt and NAME.ann for each article (NAME from its external id, "
        "else article-ID): T lines for entities and event triggers, E lines for events, "
        "R lines for relations, * for equivalences, A lines for attributes, # lines for "
        "notes; and an annotation.conf generated from the schema. What brat can't express "
        "is listed, not dropped silently. `annotator import PROJECT.db OUTDIR` reads it "
        "back.",
        "Export &brat standoff…",
        "Write .txt/.ann pairs and annotation.conf",
        unlabelled=True,
    ),
    Exporter(
        "conll",
        _FORMATS + "conll.writer:export_conll",
        False,
        "OUT.conll",
        "CoNLL 2003 style: one token a line with its BIO tag",
        "Write '-DOCSTART- -X- O O' before each article, then one spaCy token a line with "
        "its tag ('Baghdad B-GPE'), a blank line between sentences (spaCy's rule-based "
        "sentencizer, and line breaks in the text). Overlapping entities can't all be "
        "tagged: the spaCy export's doc.ents choice is written (longest first) and the "
        "rest listed; spans off token boundaries are widened and listed; events can't be "
        "written. `spacy convert` and `annotator import` read it.",
        "Export &CoNLL (BIO)…",
        "Write one token a line with BIO tags",
        options=(
            Option(
                "--scheme",
                "tag scheme: bio (B-, I-, O; the default) or biluo (also L-, U-)",
                "bio",
                ("bio", "biluo"),
                label="Tag &scheme",
                choice_labels=("BIO (B-, I-, O)", "BILUO (also L-, U-)"),
            ),
            Option(
                "--tokens",
                "spacy (default): spaCy's tokens and sentences; "
                "whitespace: a token between spaces and a sentence a "
                "line, for texts that came from a CoNLL file (the "
                "same tokens go back out)",
                "spacy",
                ("spacy", "whitespace"),
                label="&Tokens",
                choice_labels=(
                    "spaCy's tokens and sentences",
                    "Between spaces, a sentence a line (texts from CoNLL files)",
                ),
            ),
        ),
        suffix=".conll",
        file_filter="CoNLL (*.conll *.txt)",
        title="CoNLL",
    ),
    Exporter(
        "doccano",
        _FORMATS + "doccano.writer:export_doccano",
        False,
        "OUT.jsonl",
        "doccano JSONL, for a sequence-labelling or relation project",
        "Write one JSON object a line with text, id (the external id), title and meta, "
        'and the spans, overlaps included: as "label": [[start, end, label]] (--form '
        'label, doccano\'s sequence labelling), or as "entities" with "relations" '
        "(--form entities, doccano's relation extraction: event arguments become "
        "relations from the trigger, type = role). `annotator import` reads both back.",
        "Export &doccano JSONL…",
        "Write doccano's JSONL",
        options=(
            Option(
                "--form",
                "label (default) or entities (with relations)",
                "label",
                ("label", "entities"),
                label="&Form",
                choice_labels=("Sequence labelling (label)", "Relations (entities, relations)"),
            ),
        ),
        unlabelled=True,
        suffix=".jsonl",
        file_filter="doccano JSONL (*.jsonl)",
    ),
):
    register_exporter(_exporter)
