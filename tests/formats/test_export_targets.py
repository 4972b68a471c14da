"""Writing an export's file whole (export_common.written_atomically): two exports to one file
at once don't write into each other's partial file."""

from annotator.formats.export_common import written_atomically


def test_two_exports_to_one_file_at_once_both_finish_and_the_last_is_whole(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("an older export\n")
    with written_atomically(target) as first:
        first.write("first\n" * 1000)
        with written_atomically(target) as second:  # started, and done, meanwhile
            second.write("second\n")
        assert target.read_text() == "second\n"
        first.write("first\n")
    assert target.read_text() == "first\n" * 1001
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_failed_export_keeps_the_older_file_and_leaves_no_partial_one(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("an older export\n")
    try:
        with written_atomically(target) as handle:
            handle.write("half")
            raise RuntimeError("cancelled")
    except RuntimeError:
        pass
    assert target.read_text() == "an older export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
