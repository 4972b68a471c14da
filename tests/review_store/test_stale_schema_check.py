"""The store checks a new span's label against the schema it cached, not the one on disk
under the write lock: a label another process removed (`annotator schema --remove`) can still
be written by a window that has not reloaded yet, leaving a span whose label the project's
schema lacks (and `--remove` promised nothing in use is dropped)."""
from annotator.core.model import Span
from annotator.store import open_project


def test_a_label_removed_elsewhere_is_refused_by_the_next_edit(tmp_path):
    window = open_project(tmp_path / "p.db")
    aid = window.insert_article_row("Alice met Bob in Basra.", title="t", ext_id=None,
                                    digest="d", meta={}, source="test")
    label = window.schema.entities[-1].name
    cli = open_project(window.path)
    cli.remove_schema_name(label)  # nothing uses it yet: allowed
    cli.close()
    try:
        window.insert_span(Span(None, aid, 0, 5, label))
    except Exception as refused:  # EditRefused is what should happen
        print("refused:", refused)
        return
    stored = [t.name for t in open_project(window.path).schema.entities]
    assert label in stored, f"span with label {label!r} saved, but the schema on disk lacks it"
