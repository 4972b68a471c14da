"""A worker's chunk handed to the writing process through a file (formats.chunk_files): its
bytes land after what the target holds, in order, the file is gone once copied, and a file
system that refuses the kernel's copy gets the same bytes by reading and writing."""

import errno
import os

from annotator.formats.chunk_files import (
    append_chunk_file,
    chunk_file_prefix,
    remove_chunk_files,
    write_chunk_file,
)


def _export(tmp_path, pieces_by_chunk):
    target = tmp_path / "out.jsonl"
    prefix = chunk_file_prefix(target)
    chunks = [write_chunk_file(prefix, key, pieces) for key, pieces in pieces_by_chunk]
    with open(target, "xb") as handle:
        handle.write(b"held in the handle's buffer; ")
        for chunk in chunks:
            append_chunk_file(handle, chunk)
            handle.write(b"| ")
    return target


def test_chunks_land_in_order_after_what_the_handle_holds_and_are_deleted(tmp_path):
    target = _export(tmp_path, [(7, [b"seven ", bytearray(b"and more ")]), (3, [b"three "])])
    assert target.read_bytes() == b"held in the handle's buffer; seven and more | three | "
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_file_system_without_copy_file_range_gets_the_same_bytes(tmp_path, monkeypatch):
    def refused(*args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refused)
    target = _export(tmp_path, [(1, [b"x" * 3_000_000]), (2, [b"tail"])])
    assert target.read_bytes() == b"held in the handle's buffer; " + b"x" * 3_000_000 + b"| tail| "
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_kernel_copy_that_stops_short_is_finished_by_reading_and_writing(tmp_path, monkeypatch):
    """Some file systems (FUSE, network ones) copy part of a file, then nothing: the rest is
    read and written, never left out while the export counts the chunk as written."""
    real = os.copy_file_range

    def stalls(source, target, count, *args):
        if os.lseek(source, 0, os.SEEK_CUR) >= 1_000_000:
            return 0
        return real(source, target, min(count, 1_000_000), *args)

    monkeypatch.setattr(os, "copy_file_range", stalls)
    target = _export(tmp_path, [(1, [b"x" * 3_000_000]), (2, [b"tail"])])
    assert target.read_bytes() == b"held in the handle's buffer; " + b"x" * 3_000_000 + b"| tail| "
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.jsonl"]


def test_what_a_stopped_export_left_is_removed_and_nothing_else(tmp_path):
    target = tmp_path / "out.jsonl"
    mine, other = chunk_file_prefix(target), chunk_file_prefix(target)
    assert mine != other  # two exports to one file don't take each other's chunks
    write_chunk_file(mine, 1, [b"a"])
    write_chunk_file(mine, 2, [b"b"])
    kept = write_chunk_file(other, 1, [b"c"])
    target.write_bytes(b"an older export")
    remove_chunk_files(mine)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == sorted(["out.jsonl", os.path.basename(kept.path)])
