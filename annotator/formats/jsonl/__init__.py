"""Prodigy-style JSONL: reader, the events key (events), writer."""
