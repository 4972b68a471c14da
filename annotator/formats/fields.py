"""The keys a JSON reader reads, and what it says about the rest.

Each JSON format's reader declares the keys it knows (a set beside the reader, so that reading
one more key is a one-line change there) and checks every record through a FieldCheck:

- a key it does not know is counted, per file, and named in the import report ("field 'foo'
  not read in 372 records"): nothing is dropped without a word. The lines come in the order
  the keys were first met in the file, as a person reading it would meet them (the same on
  every run: a set's order would change with the hash seed);
- a record whose unknown keys are another format's annotations (doccano's "label" read as
  Prodigy JSONL, Prodigy's "spans" read as doccano) refuses the whole file, naming the
  --format that reads them: importing the text without its annotations would look like
  success;
- a file none of whose records has a text (a JSON object of some other shape, another tool's
  export) is refused with one message, rather than one skipped record a line and exit 0.

The same signatures tell detection (annotator.formats.detect) which format a record is in.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.formats.records import ImportReport


def _list_of(value, kind: type) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], kind)


def annotation_format(data: dict) -> tuple[str, str] | None:
    """(format, the key that says so) for a record carrying some format's annotations, the
    format being a reader's name or "label-studio"; None for a record without any."""
    if isinstance(data.get("paragraphs"), list):
        return "spacy-json", "paragraphs"
    if isinstance(data.get("spans"), list) or isinstance(data.get("events"), list):
        return "jsonl", "spans" if "spans" in data else "events"
    for key in ("annotations", "predictions"):
        # Label Studio: {"data": {"text": ...}, "annotations": [{"result": [...]}]}
        if _list_of(data.get(key), dict) and "result" in data[key][0]:
            return "label-studio", key
    if _list_of(data.get("label"), dict) and "labels" in data["label"][0]:
        # Label Studio's JSON-MIN: "label": [{"start", "end", "text", "labels": [...]}]
        return "label-studio", "label"
    entities = data.get("entities")
    if isinstance(entities, list) and (
        not entities
        or isinstance(entities[0], dict)
        and "start_offset" in entities[0]
        or isinstance(entities[0], list)  # spaCy v2's training tuples [start, end, label]
    ):  # an empty list too: doccano writes one for a text nobody labelled
        return "doccano", "entities"
    ents = data.get("ents")
    if isinstance(ents, list) and (not ents or isinstance(ents[0], dict) and "start" in ents[0]):
        return "doccano", "ents"  # spaCy's Doc.to_json(), which the doccano reader reads
    if isinstance(data.get("label"), list) or isinstance(data.get("labels"), list):
        return "doccano", "label" if "label" in data else "labels"
    if _list_of(data.get("relations"), dict) and "from_id" in data["relations"][0]:
        return "doccano", "relations"
    return None


# Keys whose annotations a reader of another name reads: said as what they are.
_SHAPES = {"ents": "spaCy Doc.to_json() entities (read by the doccano reader)"}


class ForeignFormat(ImportFailed):
    """A file read as one format holds another's annotations; .fmt names that format. An
    import that detected the format (none was named) reads the file again in this one."""

    def __init__(self, message: str, fmt: str, where: str, key: str, what: str = ""):
        super().__init__(message)
        self.fmt, self.where, self.key = fmt, where, key
        self.what = what or f"{fmt} annotations"  # "spaCy Doc.to_json() entities"

    def __reduce__(self):
        # Raised in an import's reading process (formats/reader_process.py) and raised again
        # in the importing one: pickled with what the import reads the file again by.
        return (type(self), (str(self), self.fmt, self.where, self.key, self.what))


def refusal(path: Path | str, where: str, fmt: str, key: str, reading: str) -> ImportFailed:
    if fmt == "label-studio":
        return ImportFailed(
            f"{where}: a Label Studio export (its {key!r}), which annotator does not read; "
            "export the project from Label Studio as CONLL2003 and import that"
        )
    whose = _SHAPES.get(key, f"{fmt} annotations")
    return ForeignFormat(
        f"{where}: {key!r} holds {whose}, which --format {reading} does not "
        f"read; import {Path(path).name} with --format {fmt}",
        fmt,
        where,
        key,
        whose,
    )


class FieldCheck:
    """One file's records checked against the keys its reader knows (see the module's doc).

    to_meta: the reader keeps every unknown top-level key in the article's meta (doccano),
    so only another format's annotations are refused and nothing is counted."""

    def __init__(
        self,
        path: Path,
        report: ImportReport,
        fmt: str,
        known: frozenset[str],
        *,
        to_meta: bool = False,
        needs: str = "a 'text'",
    ):
        self.path, self.report, self.fmt, self.known = path, report, fmt, known
        self.to_meta, self.needs = to_meta, needs
        self.records = 0
        self.without_text = 0
        self.keys_seen: dict[str, None] = {}  # of records without a text, for the message

    def record(self, data, where: str) -> None:
        """Check one record's top-level keys: count the unknown, refuse other formats'."""
        self.records += 1
        if not isinstance(data, dict):
            self.without_text += 1
            return
        # The whole record: a key this reader knows may hold another format's shape (Label
        # Studio's JSON-MIN "label" holds objects, doccano's [start, end, label] lists).
        found = annotation_format(data)
        if found is not None and found[0] != self.fmt:
            raise refusal(self.path, where, *found, self.fmt)
        # In the record's own order, not a set's (which changes with the hash seed): the
        # report names them as first met in the file.
        unknown = [key for key in data if key not in self.known]
        if unknown and not self.to_meta:
            self.report.unread_fields(str(self.path), "field", unknown, "record")

    def items(self, what: str, items, known: frozenset[str]) -> None:
        """Count the unknown keys of a record's spans, entities, relations..."""
        if not isinstance(items, list):
            return
        for item in items:
            if isinstance(item, dict):
                unknown = [key for key in item if key not in known]
                if unknown:
                    self.report.unread_fields(str(self.path), f"{what} field", unknown, what)

    def no_text(self, data) -> None:
        """A record (an object) skipped for having no text; the reader reports it as usual."""
        self.without_text += 1
        self.keys_seen.update(dict.fromkeys(list(data)[:12]))

    def finish(self) -> None:
        """Refuse the file when not one of its records had a text."""
        if self.records and self.without_text == self.records:
            keys = ", ".join(repr(k) for k in list(self.keys_seen)[:12]) or "none"
            raise ImportFailed(
                f"{self.path}: not one of its {self.records} JSON value(s) has {self.needs} "
                f"(keys found: {keys}); not {self.fmt} records"
            )
