"""Agreement's own reader and its processes (issue 15, Must show 6): iter_compared gives
the records from_layers.article_layers makes of the store's layers, tricky rows included
(a filler from another layer, an event filling a role, a relation, a trigger still a
suggestion, rows without a name); and the report measured in two processes is the report
measured in one, to the last digit."""

import random

import pytest

from annotator.core.agreement import LayerArgument, LayerEvent, LayerSpan, LayerUnits
from annotator.core.agreement import spacy_tokens as tokens_for
from annotator.core.agreement.from_layers import article_layers
from annotator.core.agreement.run import project_agreement
from annotator.core.model import SUGGESTED, TRIGGER, Argument, Event, Span
from annotator.formats.parallel_agreement import parallel_measure
from annotator.store import open_project

WORDS = "rebels attacked the convoy near Mosul while police in Kidal said the army left Gao".split()
LABELS = ("GPE", "ORG", "PERSON")
NAMES = ["ann", "bob", "cy"]


def words_of(text):
    at, out = 0, []
    for w in text.split(" "):
        out.append((at, at + len(w)))
        at += len(w) + 1
    return out


def random_layer(rng, words):
    picked = sorted(rng.sample(range(len(words)), rng.randint(1, 6)))
    spans = tuple(LayerSpan(*words[i], rng.choice(LABELS)) for i in picked)
    events = ()
    if rng.random() < 0.4 and len(spans) >= 2:
        trigger = words[rng.randrange(len(words))]
        events = (LayerEvent("Conflict.Attack", *trigger,
                             (LayerArgument("Attacker", spans[0].start, spans[0].end),
                              LayerArgument("Place", spans[1].start, spans[1].end))),)  # fmt: skip
    return LayerUnits(spans, events)


@pytest.fixture
def project(tmp_path):
    rng = random.Random(15)
    store = open_project(tmp_path / "three.db")
    layers = []
    for n in range(60):
        text = " ".join(rng.choice(WORDS) for _ in range(30)) + f" story{n}"
        article = store.insert_article_row(text, title=f"t{n}", ext_id=f"a{n}", digest=text,
                                           meta={}, source="t")  # fmt: skip
        words = words_of(text)
        for name in NAMES[: 2 + n % 2]:
            if rng.random() < 0.9:
                layers.append((article, name, random_layer(rng, words)))
    store.write_layers(layers)
    first = layers[0][0]
    text = store.article(first).text
    words = words_of(text)
    with store.write():  # rows stored before names were kept
        store.conn.execute("INSERT INTO spans (article_id, start, end, label, annotator) "
                           "VALUES (?, ?, ?, 'GPE', NULL)", (first, *words[3]))  # fmt: skip
    ann_span = next(s for s in store.spans(first) if s.annotator == "ann" and s.kind != TRIGGER)
    store.annotator = "bob"  # bob's event: a trigger of his, a filler of ann's, an event
    trigger = store.insert_span(Span(None, first, *words[5], "Conflict.Attack", kind=TRIGGER))
    other = store.insert_event(Event(None, first, "Conflict.Attack", trigger.id, ()))
    trigger2 = store.insert_span(Span(None, first, *words[7], "Conflict.Attack", kind=TRIGGER))
    store.insert_event(Event(None, first, "Conflict.Attack", trigger2.id,
                             (Argument(None, None, "Attacker", ann_span.id),
                              Argument(None, None, "Target", None, other.id))))  # fmt: skip
    pending = store.insert_span(Span(None, first, *words[9], "Conflict.Attack", kind=TRIGGER,
                                     state=SUGGESTED))  # fmt: skip
    store.insert_event(Event(None, first, "Conflict.Attack", pending.id, ()))
    yield store
    store.close()


def test_the_reader_gives_what_from_layers_makes(project):
    for names in (NAMES, ["ann", "bob"], ["bob", "cy"]):
        old = [article_layers(a, text, layers, names)
               for a, text, layers in project.iter_layers_with_text()]  # fmt: skip
        new = [article for _, article in project.iter_compared(names) if article is not None]
        assert new == [a for a in old if a.layers]
    # bob's event on the first article, as compared: ann's filler and the event filler found
    first = next(a for _, a in project.iter_compared(NAMES) if a is not None)
    roles = [[a.role for a in e.arguments] for e in first.layers["bob"].events]
    assert ["Attacker", "Target"] in roles


def test_two_processes_give_the_report_of_one(project):
    """Spawning two processes costs a few seconds (each imports spaCy): one case only."""
    label = None
    serial = project_agreement(project, "p", tokens_for("en"), label=label)
    assert serial["pairs"][0]["articles"] > 20  # something to measure
    parts = project.agreement_parts(5)
    assert len(parts) == 5 and parts[0][0] == 0 and parts[-1][1] is None
    measure = parallel_measure(project, "en", label, 2)
    assert project_agreement(project, "p", tokens_for("en"), label=label,
                             measure=measure) == serial  # fmt: skip
