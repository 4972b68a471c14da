"""Prodigy's answers in a JSONL record, and the knowledge-base ids its entity-linking recipes
write.

A record's "answer" is kept per article (meta["answer"]). "accept" from a manual interface
(`ner_manual`, `spans_manual`, or a record without "_view_id" carrying its full span list)
means someone looked at the whole text and vouched for its spans, none included: such an
article is marked done, and one without spans is a negative example (exported to spaCy as a
doc whose tokens are all outside any entity). "accept" from a binary or choice interface
(`ner.teach`'s "ner", `spans`, `entity_linker.manual`'s "choice": BINARY_VIEWS) vouches
only for its one span: the article is marked in progress, its "_view_id" kept in meta, and
the spaCy export leaves its other tokens missing (unknown), not outside. "reject" and
"ignore" records are kept as skipped articles, their spans as rejected ones: Prodigy's own
`data-to-spacy` trains on accepted answers only, and so do our exports.

A span's own "answer" (Prodigy's review and binary recipes) is respected the same way: a
rejected or ignored span is stored as a rejected span, never as an accepted entity. Several
records answering one input (one per suggested span or mention) become one article:
annotator.formats.jsonl.merge.

Entity linking: a span's "kb_id", and the option ids in "accept" of a record with one span
and "options" (the choice interface of Prodigy's `entity_linker.manual`), become the span's
normalizations ({"type": "Reference", "ref": id, "text": the option's text}), the shape brat's
N lines have in the store. A NIL choice ("NIL_ambiguous", "NIL_otherLink": the mention has
no id among the options) is no id: it stays in the article's meta["accept"], as does
"accept" of any other record (a text category choice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.model import ACCEPTED, DONE, NEW, REJECTED, SKIPPED, STATUSES
from annotator.formats.annotation_meta import add_kb_id
from annotator.formats.records import ArticleRecord, ImportReport, SpanRecord

ACCEPT, REJECT, IGNORE = "accept", "reject", "ignore"
ANSWERS = (ACCEPT, REJECT, IGNORE)
VIEW_KEY = "_view_id"  # Prodigy's name for the interface a record was answered in
# Interfaces whose accept vouches for the shown span (or chosen link) only, not for the rest
# of the text: ner.teach and ner.correct's binary "ner", spans.teach's "spans", the choice
# of entity_linker.manual, textcat's "classification".
BINARY_VIEWS = frozenset({"ner", "spans", "choice", "classification"})
_TAG = re.compile(r"<[^>]*>")


@dataclass(eq=False)
class AnsweredRecord(ArticleRecord):
    """A JSONL record with what merging answers to one input needs (merge.py)."""

    answer: str | None = None
    view: str | None = None
    # Records with the same key answer the same input: ("hash", _input_hash, id) or
    # ("text", text, id); None for a record without an answer (never merged).
    input_key: tuple | None = None
    status_given: bool = False  # our own export's "status", which wins


def record_answer(data: dict) -> str | None:
    answer = data.get("answer")
    return answer if answer in ANSWERS else None


def record_view(data: dict) -> str | None:
    view = data.get(VIEW_KEY)
    return view if isinstance(view, str) and view else None


def input_key(data: dict, text: str, ext_id, answer: str | None) -> tuple | None:
    if answer is None:
        return None
    given = data.get("_input_hash")
    if isinstance(given, (int, str)) and not isinstance(given, bool):
        return ("hash", given, ext_id)
    return ("text", text, ext_id)


def record_status(data: dict, answer: str | None) -> str:
    """Our own export writes "status": it wins, so export -> import is lossless. Otherwise an
    accepted record is done (merge.py makes a binary one in progress), a rejected or ignored
    one skipped (not fit for training)."""
    if data.get("status") in STATUSES:
        return data["status"]
    if answer == ACCEPT:
        return DONE
    if answer in (REJECT, IGNORE):
        return SKIPPED
    return NEW


def spans_only(meta: dict, status: str) -> bool:
    """Whether an article's answers vouch only for its accepted spans (a binary or choice
    answer, not since marked done by someone who read it all): its other tokens are unknown."""
    return meta.get(VIEW_KEY) in BINARY_VIEWS and status != DONE


def span_state(raw: dict, answer: str | None) -> str:
    """Rejected when the span itself, or its whole record, was answered reject or ignore."""
    if raw.get("answer") in (REJECT, IGNORE) or answer in (REJECT, IGNORE):
        return REJECTED
    return ACCEPTED


def is_kb_id(value) -> bool:
    """A chosen option that names an entry: not a NIL choice ("NIL_ambiguous", "NIL", Prodigy
    tutorial's "Link not in options" and "Need more context") and not free text."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return (
        isinstance(value, str)
        and value != ""
        and not value.upper().startswith("NIL")
        and not any(char.isspace() for char in value)
    )


def _option_text(option: dict) -> str:
    text = option.get("text")
    if isinstance(text, str):
        return text
    html = option.get("html")
    return _TAG.sub("", html).strip() if isinstance(html, str) else ""


def linked_choice(
    data: dict,
    spans: list[SpanRecord],
    raw_spans: list,
    meta: dict,
    where: str,
    report: ImportReport,
) -> bool:
    """The ids chosen in "accept": on the record's one span when the record is an entity
    linking task (one span, "options"), else kept in the article's meta. True for an entity
    linking task (a choice answer, whatever its "_view_id")."""
    chosen = data.get("accept")
    if not isinstance(chosen, list) or not chosen:
        return False
    options = data.get("options")
    if isinstance(options, list) and len(raw_spans) == 1 and len(spans) == 1:
        texts = {str(o.get("id")): _option_text(o) for o in options if isinstance(o, dict)}
        nil = [kb_id for kb_id in chosen if not is_kb_id(kb_id)]
        for kb_id in chosen:
            if is_kb_id(kb_id):
                add_kb_id(spans[0], kb_id, texts.get(str(kb_id), ""))
        if nil:
            meta["accept"] = nil
            report.note(
                where,
                f"choice {nil} is no knowledge-base id (NIL): kept in the article's meta",
            )
        return True
    if isinstance(options, list) and raw_spans:
        report.note(
            where,
            f"'accept' {chosen} with {len(raw_spans)} span(s): not one span to link, kept "
            "in the article's meta",
        )
    meta["accept"] = chosen
    return False
