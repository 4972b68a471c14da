import pytest

from annotator.formats.importer import import_paths
from annotator.store import open_project
from formats_helpers import HEADLINES, SEED, TRICKY, label_seed, write_jsonl


@pytest.fixture
def project(store, tmp_path):
    """The headline excerpt, the tricky record, and the seed article labelled and done."""
    report = import_paths(store, [HEADLINES, write_jsonl(tmp_path / "tricky.jsonl", [TRICKY]), SEED])
    assert report.ok, report.summary()
    label_seed(store)
    return store
