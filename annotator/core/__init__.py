"""The domain: articles, spans, label schemas, edits and token snapping. No Qt here."""
