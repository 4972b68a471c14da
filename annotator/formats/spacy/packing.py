"""srsly's msgpack without its plug-in look-up on every call, while the spaCy export writes.

srsly makes a new Packer for each msgpack_dumps, and each Packer asks catalogue for the
"srsly_msgpack_encoders" entry points: a scan of every entry point of every installed package
(importlib.metadata's select). DocBin.add packs three times a Doc (user_data, the span groups
and each group in them), so on 10,000 news articles that scan was a quarter of the export's
time, more than spaCy's tokenizer. catalogue reads the entry points once, when it is imported
(catalogue.AVAILABLE_ENTRY_POINTS), so the answer cannot change while the process runs: when
no package adds an encoder, asking once is the same as asking every time, and the Packers are
the same (srsly's own numpy encoder, which it registers by name, stays). When some package
does add one, the look-up is left as it is: the encoders' order in the chain would change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def encoders_read_once() -> Iterator[None]:
    """Within the block, srsly's Packers skip the entry-point scan when there is nothing to
    find (checked once, here). Nested or concurrent blocks are harmless: a block that finds
    the scan already off leaves it to the one that turned it off."""
    from srsly.msgpack import msgpack_encoders as registry

    if not registry.entry_points or registry.get_entry_points():
        yield
        return
    registry.entry_points = False
    try:
        yield
    finally:
        registry.entry_points = True
