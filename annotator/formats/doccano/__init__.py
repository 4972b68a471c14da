"""doccano JSONL (label or entities/relations form): reader and writer."""
