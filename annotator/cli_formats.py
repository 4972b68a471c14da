"""`annotator import` and `annotator export FORMAT`: their options, help and commands.

Format modules are imported when a command runs, not when the parser is built, so that
`annotator --help` answers at once (spaCy alone takes a second to import).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from annotator.formats import IMPORT_FORMATS

EXPORT_FORMATS = ("spacy", "jsonl", "brat", "conll", "doccano")
EXIT_STATUS = ("Exit status: 0 when everything worked, 1 when something could not be done "
               "(the message names the file and line), 2 for usage errors.")

IMPORT_DESCRIPTION = """\
Import articles and their annotations. The format of each file comes from its extension and
content, unless --format names it:
  txt         a .txt file is one article, its first line the title
  jsonl       Prodigy-style JSONL: text, id, title, meta, status, spans, tokens, relations,
              answer (reject and ignore are left out), and the events our export writes
  brat        DOC.txt with DOC.ann beside it: entities, events, relations, attributes,
              notes; the folder's annotation.conf is merged into the schema
  conll       CoNLL 2003 / BIO / BILUO / IOB token files (.conll, .bio, .iob, or a .txt or
              .tsv laid out so): -DOCSTART- document breaks, blank lines between sentences,
              # comments; the text is rebuilt from the tokens
  doccano     doccano JSONL ("label": [[start, end, label]] or entities/relations), one
              record a line or pretty-printed
  spacy       spaCy DocBin (.spacy): doc.ents, span groups, events in user_data
  spacy-json  spaCy v2 JSON training files (paragraphs, tokens with BILUO "ner" tags)
  csv, tsv    a table of articles with a header row: the text column (--text-column), id
              and title columns if present, every other column into meta
A folder imports every file of these kinds in it, subfolders included (hidden ones left
out). The project is created if it doesn't exist. Each file (each brat document) is
imported whole or not at all; articles already there (same id, or same text) are left out;
the report lists every record skipped, with file:line and the reason."""


def add_import_parser(commands, schema_help: str) -> None:
    imp = commands.add_parser(
        "import", help="import articles: txt, JSONL, brat, CoNLL, doccano, spaCy, CSV/TSV",
        description=IMPORT_DESCRIPTION, epilog=textwrap.fill(EXIT_STATUS, 88),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("project", metavar="PROJECT.db", help="project file (created if absent)")
    imp.add_argument("paths", metavar="FILE_OR_FOLDER", nargs="+", help="files or folders to import")
    imp.add_argument("--format", choices=IMPORT_FORMATS, dest="fmt",
                     help="read every file as this format (default: by extension and content; "
                          "a .txt with a .ann beside it is brat)")
    imp.add_argument("--encoding", help="text encoding of the files (default: UTF-8, with or "
                                        "without a byte order mark, or UTF-16 with one; other "
                                        "encodings, e.g. latin-1, only when named here)")
    imp.add_argument("--schema", metavar="SCHEMA.toml", help=schema_help)
    imp.add_argument("--unknown-labels", choices=("add", "skip", "error"), default="add",
                     help="labels, event types and roles the schema lacks: add them (default; "
                          "a brat annotation.conf is merged too), skip the annotation, or "
                          "refuse the file")
    imp.add_argument("--conll-column", type=_column, metavar="N",
                     help="CoNLL: the column holding the tags, counted from 1 (negative: from "
                          "the end, -1 is the last); default: the last column, or the first "
                          "NER column after the token when the first column is a token index "
                          "(GermEval)")
    imp.add_argument("--text-column", default="text", metavar="NAME",
                     help="CSV/TSV: the column holding the article text (default: text)")
    imp.add_argument("--offsets", choices=("chars", "utf16"), default="chars",
                     help="JSONL and doccano: what span offsets count: characters (default; "
                          "Python, Prodigy, spaCy) or UTF-16 code units (JavaScript: doccano "
                          "and other browser tools, where an emoji counts two)")
    imp.add_argument("--strict", action="store_true",
                     help="exit with status 1 when any record was skipped, not only when a "
                          "file failed")


def add_export_parser(commands) -> None:
    exp = commands.add_parser(
        "export", help="export annotations: spaCy, JSONL, brat, CoNLL or doccano",
        description="Export the articles that have accepted spans or are marked done (or "
                    "only the done ones with --done-only). Nothing is written when the "
                    "export fails or finds nothing to export. Each report lists what the "
                    "format could not hold.", epilog=EXIT_STATUS)
    formats = exp.add_subparsers(dest="format", metavar="{" + ",".join(EXPORT_FORMATS) + "}",
                                 title="formats", prog="annotator export")
    formats.required = True
    spacy = _format(formats, "spacy", "OUTDIR", "folder to write (created if absent)",
                    "train.spacy, dev.spacy and config.cfg for `spacy train`",
                    "Write OUTDIR/train.spacy and dev.spacy (DocBin; entities in doc.ents and "
                    "every entity span, overlaps included, in doc.spans['sc']; event triggers "
                    "in doc.spans['triggers'] and the events with their arguments in "
                    "doc.user_data['events']), a config.cfg that `python -m spacy train "
                    "OUTDIR/config.cfg` runs as is, and export-report.txt listing every span "
                    "not on token boundaries.")
    spacy.add_argument("--dev-share", type=_share, default=0.2, metavar="SHARE",
                       help="share of the articles for dev.spacy (default: 0.2)")
    spacy.add_argument("--seed", type=int, default=0, help="seed of the train/dev split (default: 0)")
    _format(formats, "jsonl", "OUT.jsonl", "file to write",
            "Prodigy-style JSONL with tokens, spans, relations and events",
            "Write one JSON object a line: text, id, title, meta, status, tokens, spans with "
            "character and token offsets (triggers with kind 'trigger'), event arguments as "
            "Prodigy `relations` (head = trigger, child = argument, label = role) and the whole "
            "events in `events`. `annotator import` reads it back.")
    _format(formats, "brat", "OUTDIR", "folder to write (created if absent)",
            "brat standoff: NAME.txt + NAME.ann per article, and annotation.conf",
            "Write OUTDIR/NAME.txt and NAME.ann for each article (NAME from its external id, "
            "else article-ID): T lines for entities and event triggers, E lines for events, R "
            "lines for relations, * for equivalences, A lines for attributes, # lines for "
            "notes; and an annotation.conf generated from the schema. What brat can't express "
            "is listed, not dropped silently. `annotator import PROJECT.db OUTDIR` reads it back.")
    conll = _format(formats, "conll", "OUT.conll", "file to write",
                    "CoNLL 2003 style: one token a line with its BIO tag",
                    "Write '-DOCSTART- -X- O O' before each article, then one spaCy token a "
                    "line with its tag ('Baghdad B-GPE'), a blank line between sentences "
                    "(spaCy's rule-based sentencizer, and line breaks in the text). Overlapping "
                    "entities can't all be tagged: the spaCy export's doc.ents choice is "
                    "written (longest first) and the rest listed; spans off token boundaries "
                    "are widened and listed; events can't be written. `spacy convert` and "
                    "`annotator import` read it.")
    conll.add_argument("--scheme", choices=("bio", "biluo"), default="bio",
                       help="tag scheme: bio (B-, I-, O; the default) or biluo (also L-, U-)")
    conll.add_argument("--tokens", choices=("spacy", "whitespace"), default="spacy",
                       help="spacy (default): spaCy's tokens and sentences; whitespace: a token "
                            "between spaces and a sentence a line, for texts that came from a "
                            "CoNLL file (the same tokens go back out)")
    doccano = _format(formats, "doccano", "OUT.jsonl", "file to write",
                      "doccano JSONL, for a sequence-labelling or relation project",
                      "Write one JSON object a line with text, id (the external id), title "
                      "and meta, and the spans, overlaps included: as \"label\": [[start, end, "
                      "label]] (--form label, doccano's sequence labelling), or as "
                      "\"entities\" with \"relations\" (--form entities, doccano's relation "
                      "extraction: event arguments become relations from the trigger, type = "
                      "role). `annotator import` reads both back.")
    doccano.add_argument("--form", choices=("label", "entities"), default="label",
                         help="label (default) or entities (with relations)")


def _format(formats, name: str, out: str, out_help: str, short: str, description: str):
    parser = formats.add_parser(name, help=short, description=description, epilog=EXIT_STATUS)
    parser.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    parser.add_argument("out", metavar=out, help=out_help)
    parser.add_argument("--done-only", action="store_true", help="only articles marked done")
    return parser


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= share < 1.0:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, not {value}")
    return share


def _column(value: str) -> int:
    try:
        column = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a column number: {value!r}") from None
    if column == 0:
        raise argparse.ArgumentTypeError("columns count from 1 (or from -1 for the last)")
    return column


def cmd_import(args, new_project_schema) -> int:
    from annotator.formats.importer import import_paths
    from annotator.store.project import ProjectStore

    missing = [p for p in args.paths if not Path(p).exists()]
    if len(missing) == len(args.paths):
        # Nothing to read: say so without creating an empty project as a side effect.
        for path in missing:
            print(f"annotator: {path}: no such file or folder", file=sys.stderr)
        return 1
    store = ProjectStore(args.project, new_project_schema(args.project, args.schema))
    try:
        report = import_paths(store, args.paths, fmt=args.fmt, encoding=args.encoding,
                              unknown_labels=args.unknown_labels,
                              conll_column=args.conll_column, text_column=args.text_column,
                              offsets=args.offsets)
    finally:
        store.close()
    print(report.summary())
    return 0 if report.ok and not (args.strict and report.skipped) else 1


def cmd_export(args, existing_project) -> int:
    store = existing_project(args.project)
    try:
        if args.format == "spacy":
            from annotator.formats.spacy.writer import export_spacy

            report = export_spacy(store, args.out, dev_share=args.dev_share, seed=args.seed,
                                  done_only=args.done_only)
        elif args.format == "brat":
            from annotator.formats.brat.writer import export_brat

            report = export_brat(store, args.out, done_only=args.done_only)
        elif args.format == "conll":
            from annotator.formats.conll.writer import export_conll

            report = export_conll(store, args.out, done_only=args.done_only, scheme=args.scheme,
                                  tokens=args.tokens)
        elif args.format == "doccano":
            from annotator.formats.doccano.writer import export_doccano

            report = export_doccano(store, args.out, done_only=args.done_only, form=args.form)
        else:
            from annotator.formats.jsonl.writer import export_jsonl

            report = export_jsonl(store, args.out, done_only=args.done_only)
    finally:
        store.close()
    print(report.summary())
    return 0
