"""srsly's msgpack encoders looked up once while the spaCy export writes a shard
(annotator.formats.spacy.packing): the same bytes as srsly packs them, one look-up instead of
one a call, and srsly as it was once the block ends, whatever the way out."""

import numpy
import pytest
import spacy
import srsly
from catalogue import Registry
from spacy.tokens import DocBin
from srsly.msgpack import msgpack_encoders

from annotator.formats.spacy.packing import encoders_read_once

# What DocBin.add packs of a Doc of the export: its user_data (plain values, and a numpy
# array, which srsly's own encoder packs) and its span groups.
USER_DATA = {
    "article_id": 7,
    "title": "Drone strike near Baghdad",
    "events": [{"id": 1, "type": "Attack", "arguments": [{"role": "Target", "label": None}]}],
    "annotator": {"version": 1, "spans": {"0:6:ORG": {"notes": ["checked"]}}},
    "scores": numpy.arange(4, dtype="float32"),
}


@pytest.fixture
def looked_up(monkeypatch):
    """How many times srsly asked catalogue for its msgpack encoders."""
    calls = []
    original = Registry.get_all

    def counting(self):
        if self is msgpack_encoders:
            calls.append(1)
        return original(self)

    monkeypatch.setattr(Registry, "get_all", counting)
    return calls


def test_the_same_bytes_with_one_look_up(looked_up):
    expected = [srsly.msgpack_dumps(USER_DATA) for _ in range(3)]
    assert len(looked_up) == 3  # srsly asks on every call
    looked_up.clear()
    with encoders_read_once():
        packed = [srsly.msgpack_dumps(USER_DATA) for _ in range(3)]
    assert packed == expected
    assert len(looked_up) == 1
    numbers = srsly.msgpack_loads(packed[0])["scores"]
    assert numbers.tolist() == [0.0, 1.0, 2.0, 3.0]  # numpy's encoder still in the chain


def test_a_docbin_is_the_same_bytes(looked_up):
    nlp = spacy.blank("en")

    def docbin() -> bytes:
        doc = nlp.make_doc("Kataib Hezbollah fighters left Baghdad on Sunday.")
        doc.ents = [doc.char_span(0, 16, label="ORG"), doc.char_span(31, 38, label="GPE")]
        doc.spans["sc"] = list(doc.ents)
        doc.user_data.update({k: v for k, v in USER_DATA.items() if k != "scores"})
        docs = DocBin(store_user_data=True)
        docs.add(doc)
        return docs.to_bytes()

    plain = docbin()
    looked_up.clear()
    with encoders_read_once():
        once = docbin()
    assert once == plain
    assert len(looked_up) == 1  # not three a Doc and one for the file


def test_srsly_as_it_was_after_the_block_even_on_an_error(looked_up):
    with pytest.raises(RuntimeError), encoders_read_once():
        with encoders_read_once():  # nested: the inner block leaves the answer kept
            pass
        assert "get_all" in vars(msgpack_encoders)
        raise RuntimeError("a shard failed")
    assert "get_all" not in vars(msgpack_encoders)
    looked_up.clear()
    srsly.msgpack_dumps({"a": 1})
    srsly.msgpack_dumps({"a": 1})
    assert len(looked_up) == 2  # asks on every call again
