"""Articles longer than spaCy takes, cut into parts for the spaCy export, and joined again on
import.

`spacy train` makes every training text with `nlp.make_doc`, which refuses a text longer than
`nlp.max_length` (1,000,000 characters by default): one such article failed the whole run. The
export cuts such an article into parts at paragraph ends (else line ends, sentence ends,
spaces), never inside a span or between an event's trigger and its arguments, and writes one
Doc per part with `user_data["part"] = {"index", "of", "start"}` (start: the part's first
character in the article). Offsets inside a part's Doc count from its start. An article that
has no such place to cut is left out, with the reason in the report. The DocBin import joins
the parts of an article back into one (join_parts).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from annotator.formats.records import ArticleRecord

MAX_CHARS = 1_000_000  # spaCy's default nlp.max_length, which spacy train's corpus reader uses
PART = "part"  # the user_data key
# Where to cut, best first: after a blank line, a line end, a sentence end, any space.
_PLACES = [re.compile(p) for p in (r"\n[^\S\n]*\n\s*", r"\n\s*", r"[.!?][\"')\]]*\s+", r"\s+")]


def _merged(blocks: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(blocks):
        if starts and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def cut_points(
    text: str, blocks: list[tuple[int, int]], limit: int = MAX_CHARS
) -> list[int] | None:
    """The offsets to cut `text` at so that no part is longer than `limit` and none of
    `blocks` (start, end) is cut; None when there is no such place."""
    starts, ends = _merged(blocks)

    def free(at: int) -> bool:  # no block runs across `at`
        i = bisect.bisect_left(starts, at) - 1
        return i < 0 or ends[i] <= at

    cuts: list[int] = []
    pos = 0
    while len(text) - pos > limit:
        best = None
        for lowest in (pos + limit // 2, pos + 1):  # a long part first, else any
            for place in _PLACES:
                found = [
                    m.end()
                    for m in place.finditer(text, lowest - 1, pos + limit)
                    if lowest <= m.end() <= pos + limit and free(m.end())
                ]
                if found:
                    best = found[-1]
                    break
            if best is not None:
                break
        if best is None:
            return None
        cuts.append(best)
        pos = best
    return cuts


def article_blocks(spans, events) -> list[tuple[int, int]]:
    """What a cut must not go through: each span, and each event from its first character
    (trigger or argument) to its last."""
    by_id = {s.id: s for s in spans}
    triggers = {e.id: e.trigger_id for e in events}
    blocks = [(s.start, s.end) for s in spans]
    for event in events:
        ids = [event.trigger_id] + [
            a.span_id if a.span_id is not None else triggers.get(a.arg_event_id)
            for a in event.arguments
        ]
        places = [by_id[i] for i in ids if i in by_id]
        if places:
            blocks.append((min(s.start for s in places), max(s.end for s in places)))
    return blocks


def split_article(article, spans, events, cuts: list[int]):
    """(part article, its spans, its events, start) per part; span offsets count from the
    part's start. Event ids and span ids stay the article's."""
    bounds = [0, *cuts, len(article.text)]
    out = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        inside = [s for s in spans if start <= s.start and s.end <= end]
        ids = {s.id for s in inside}
        part_events = [
            e for e in events if e.trigger_id in ids or (e.relation and _args_in(e, ids))
        ]
        out.append(
            (
                replace(article, text=article.text[start:end]),
                [replace(s, start=s.start - start, end=s.end - start) for s in inside],
                part_events,
                start,
            )
        )
    return out


def _args_in(event, ids: set[int]) -> bool:
    return any(a.span_id in ids for a in event.arguments)


def join_parts(records: list[ArticleRecord]) -> ArticleRecord:
    """One article from the records of its parts, in order: texts joined, span offsets moved
    back (events point at the very span records, so they follow)."""
    first = records[0]
    text_parts: list[str] = []
    offset = 0
    for record in records:
        for span in record.spans:
            span.start += offset
            span.end += offset
        text_parts.append(record.text)
        offset += len(record.text)
    first.text = "".join(text_parts)
    first.spans = [s for r in records for s in r.spans]
    first.events = [e for r in records for e in r.events]
    return first
