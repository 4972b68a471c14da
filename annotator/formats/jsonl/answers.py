"""Prodigy's answers in a JSONL record, and the knowledge-base ids its entity-linking recipes
write.

A record's "answer" is kept per article (meta["answer"]). "accept" means someone looked at
the record and vouched for its spans, none included: an accepted record without spans is a
negative example, so the article is marked done (and exported, to spaCy as a doc whose tokens
are all outside any entity). "reject" and "ignore" records are kept as skipped articles, their
spans as rejected ones: Prodigy's own `data-to-spacy` trains on accepted answers only, and
so do our exports (a skipped article is left out of them, and the reports count these).

A span's own "answer" (Prodigy's review and binary recipes) is respected the same way: a
rejected or ignored span is stored as a rejected span, never as an accepted entity.

Entity linking: a span's "kb_id", and the option ids in "accept" of a record with one span
and "options" (the choice interface of Prodigy's `entity_linker.manual`), become the span's
normalizations ({"type": "Reference", "ref": id, "text": the option's text}), the shape brat's
N lines have in the store. "accept" of any other record (a text category choice) is kept in
the article's meta.
"""

from __future__ import annotations

import re

from annotator.core.model import ACCEPTED, DONE, NEW, REJECTED, SKIPPED, STATUSES
from annotator.formats.annotation_meta import add_kb_id
from annotator.formats.records import ImportReport, SpanRecord

ACCEPT, REJECT, IGNORE = "accept", "reject", "ignore"
ANSWERS = (ACCEPT, REJECT, IGNORE)
_TAG = re.compile(r"<[^>]*>")


def record_answer(data: dict) -> str | None:
    answer = data.get("answer")
    return answer if answer in ANSWERS else None


def record_status(data: dict, answer: str | None) -> str:
    """Our own export writes "status": it wins, so export -> import is lossless. Otherwise an
    accepted record is done, a rejected or ignored one skipped (not fit for training)."""
    if data.get("status") in STATUSES:
        return data["status"]
    if answer == ACCEPT:
        return DONE
    if answer in (REJECT, IGNORE):
        return SKIPPED
    return NEW


def span_state(raw: dict, answer: str | None) -> str:
    """Rejected when the span itself, or its whole record, was answered reject or ignore."""
    if raw.get("answer") in (REJECT, IGNORE) or answer in (REJECT, IGNORE):
        return REJECTED
    return ACCEPTED


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
) -> None:
    """The ids chosen in "accept": on the record's one span when the record is an entity
    linking task (one span, "options"), else kept in the article's meta."""
    chosen = data.get("accept")
    if not isinstance(chosen, list) or not chosen:
        return
    options = data.get("options")
    if isinstance(options, list) and len(raw_spans) == 1 and len(spans) == 1:
        texts = {str(o.get("id")): _option_text(o) for o in options if isinstance(o, dict)}
        for kb_id in chosen:
            add_kb_id(spans[0], kb_id, texts.get(str(kb_id), ""))
        return
    if isinstance(options, list) and raw_spans:
        report.note(
            where,
            f"'accept' {chosen} with {len(raw_spans)} span(s): not one span to link, kept "
            "in the article's meta",
        )
    meta["accept"] = chosen
