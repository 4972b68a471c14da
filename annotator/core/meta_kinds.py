"""The kinds of what a span or an event carries beside its label, as keys of its meta, and the
normalization type of a knowledge-base id. The edits (core.meta_edits) and the exporters
(formats.annotation_meta) share them; a module of their own, so that the spaCy export's shard
processes, which only read metas, need not load the editing machinery and the schema.
"""

from __future__ import annotations

KB_TYPE = "Reference"  # what brat's N lines call a link to a knowledge base
KINDS = ("attributes", "notes", "normalizations")
