"""Review of issue 14: a knowledge-base id typed in the side panel may hold a space (a
Wikipedia title, "en:Barack Obama", a URL pasted with a space); the brat export writes it into
the N line's space-separated head, which brat and our own import can't read back."""

import json

from annotator.core.meta_intents import plan_kb_id, span_target
from annotator.core.session import Session
from annotator.formats.brat.writer import export_brat
from annotator.formats.importer import import_paths
from annotator.store import open_project
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"


def test_a_kb_id_with_a_space_survives_a_brat_round_trip(store, tmp_path):
    import_paths(store, [SEED])
    session = Session(store)
    session.open_article(1)
    text = session.article.text
    start = text.index("Kataib Hezbollah")
    session.apply(session.plan_add_span(start, start + 16, "ORG"))
    span = next(s for s in session.spans if s.start == start)
    session.apply(plan_kb_id(session, span_target(session, span), "Wikipedia:Kataib Hezbollah"))
    export_brat(store, tmp_path / "brat")
    again = open_project(tmp_path / "again.db")
    report = import_paths(again, [tmp_path / "brat"])
    metas = [json.loads(m) for (m,) in again.conn.execute(
        "SELECT meta FROM spans WHERE meta != '{}'")]
    again.close()
    assert metas and metas[0]["normalizations"][0]["ref"] == "Wikipedia:Kataib Hezbollah", (
        metas, report.summary() if hasattr(report, "summary") else report)
