"""srsly's msgpack encoders looked up once, not on every call, while the spaCy export writes.

srsly makes a new Packer for each msgpack_dumps, and each Packer asks catalogue for every
msgpack encoder (Registry.get_all): a scan of every entry point of every installed package
(importlib.metadata's select), then of every function registered in catalogue (thousands once
spaCy is loaded). DocBin.add packs three times a Doc (user_data, the span groups and each group
in them), so on 10,000 news articles that look-up took a third of the export's time, more than
spaCy's tokenizer. The answer cannot change while nothing registers an encoder (catalogue reads
the entry points once, when it is imported), so inside the block get_all answers with what it
found on entry: the same encoders in the same order, so the same Packers and the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def encoders_read_once() -> Iterator[None]:
    """Within the block, srsly's Packers take the msgpack encoders found on entry. Nested or
    concurrent blocks are harmless: a block that finds the answer already kept leaves it to the
    block that kept it."""
    from srsly.msgpack import msgpack_encoders as registry

    if "get_all" in vars(registry):  # kept by an enclosing block
        yield
        return
    found = registry.get_all()
    # An attribute of the instance hides the class's method; deleting it brings it back.
    registry.get_all = lambda: dict(found)  # type: ignore[method-assign]
    try:
        yield
    finally:
        del registry.get_all
