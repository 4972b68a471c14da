"""Two annotators' layers on the seed article, written through the store (before merged
copies exist, this is how a project gets several annotators' spans)."""

from pathlib import Path

from annotator.core.agreement import LayerArgument, LayerEvent, LayerSpan, LayerUnits
from annotator.formats.importer import import_paths

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"


def at(text, word, nth=0, label="X"):
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return LayerSpan(start, start + len(word), label)


def two_layers(store):
    """The seed article with ann's and bob's layers; returns the article's text.

    ann: Baghdad GPE (1st), Baghdad GPE (2nd), Kataib Hezbollah ORG, Pentagon ORG,
         Iraq GPE, drone WEAPON; Attack on "strike" with Place=Baghdad (2nd),
         Target=Kataib Hezbollah, Instrument=drone
    bob: Baghdad GPE (1st), Baghdad LOC (2nd), Kataib Hezbollah ORG, The Pentagon ORG
         (wider), drone WEAPON, no Iraq; Attack on "strike" with Place=Baghdad(2nd), Target=Pentagon.
    """
    assert import_paths(store, [SEED]).articles == 1
    text = store.article(1).text
    baghdad1 = at(text, "Baghdad", 1, "GPE")  # the first in the body (0th is the title's)
    baghdad2 = at(text, "Baghdad", 2, "GPE")
    kataib = at(text, "Kataib Hezbollah", 0, "ORG")
    pentagon = at(text, "Pentagon", 0, "ORG")
    iraq = at(text, "Iraq", 0, "GPE")
    drone = at(text, "drone", 0, "WEAPON")
    strike = at(text, "strike", 0)
    the_pentagon = at(text, "The Pentagon", 0, "ORG")
    attack_ann = LayerEvent(
        "Attack", strike.start, strike.end,
        (LayerArgument("Place", baghdad2.start, baghdad2.end),
         LayerArgument("Target", kataib.start, kataib.end),
         LayerArgument("Instrument", drone.start, drone.end)),
    )
    attack_bob = LayerEvent(
        "Attack", strike.start, strike.end,
        (LayerArgument("Place", baghdad2.start, baghdad2.end),
         LayerArgument("Target", the_pentagon.start, the_pentagon.end)),
    )
    ann = LayerUnits((baghdad1, baghdad2, kataib, pentagon, iraq, drone), (attack_ann,))
    bob = LayerUnits(
        (baghdad1, LayerSpan(baghdad2.start, baghdad2.end, "LOC"), kataib, the_pentagon, drone),
        (attack_bob,),
    )
    store.write_layers([(1, "ann", ann), (1, "bob", bob)])
    return text
