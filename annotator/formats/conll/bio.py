"""Token tags and spans: IOB1, BIO (IOB2), BILUO and BIOES, read leniently and written exactly.

Reading accepts every scheme at once, because files rarely say which one they use: an I- that
doesn't continue an entity of its label starts one (IOB1, and BIO written carelessly), L-/E-
end one, U-/S- are one token long. Writing produces strict BIO or BILUO.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"^([BIELUS])-(\S+)$")
SCHEMES = ("bio", "biluo")


def parse_tag(tag: str) -> tuple[str, str | None] | None:
    """("O", None), (prefix, label), or None for something that is no tag."""
    if tag == "O":
        return "O", None
    match = _TAG.match(tag)
    return (match.group(1), match.group(2)) if match else None


def is_tag(tag: str) -> bool:
    return parse_tag(tag) is not None


def decode(tags: list[tuple[str, str | None]]) -> list[tuple[int, int, str]]:
    """Entities as (first token, token after the last, label) from parsed tags."""
    spans: list[tuple[int, int, str]] = []
    start, label = None, None

    def close(end: int) -> None:
        nonlocal start, label
        if start is not None:
            spans.append((start, end, label))
        start, label = None, None

    for i, (prefix, name) in enumerate(tags):
        if prefix == "O":
            close(i)
        elif prefix == "B" or prefix in "US":
            close(i)
            start, label = i, name
            if prefix in "US":
                close(i + 1)
        elif prefix == "I":
            if start is None or label != name:
                close(i)
                start, label = i, name
        else:  # L or E: the end of an entity, or one on its own
            if start is None or label != name:
                close(i)
                start, label = i, name
            close(i + 1)
    close(len(tags))
    return spans


def encode(n_tokens: int, spans: list[tuple[int, int, str]], scheme: str = "bio") -> list[str]:
    """Tags for n tokens from non-overlapping (first token, token after the last, label)."""
    tags = ["O"] * n_tokens
    for start, end, label in spans:
        if scheme == "biluo" and end - start == 1:
            tags[start] = f"U-{label}"
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
        if scheme == "biluo":
            tags[end - 1] = f"L-{label}"
    return tags
