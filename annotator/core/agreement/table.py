"""The agreement report as a readable table (what `annotator agree` prints)."""

from __future__ import annotations


def number(value: float | None) -> str:
    """A figure to three decimals; "n/a" where it is undefined (nothing to compare)."""
    return "n/a" if value is None else f"{value:.3f}"


def _span_rows(spans: dict) -> list[str]:
    lines = [
        f"  {'spans':<16}{'a':>7}{'b':>7}{'F1 exact':>10}{'F1 overlap':>12}{'kappa':>8}"
        f"{'alpha_u':>9}"
    ]
    rows = [("all labels", spans)] + list(spans["by_label"].items())
    for name, f in rows:
        lines.append(
            f"  {name:<16}{f['a']:>7}{f['b']:>7}{number(f['f1_exact']):>10}"
            f"{number(f['f1_overlap']):>12}{number(f['kappa_tokens']):>8}"
            f"{number(f['alpha_u']):>9}"
        )
    return lines


def _event_rows(events: dict) -> list[str]:
    if not events["a"] and not events["b"]:
        return ["  no events"]
    lines = [f"  {'events':<16}{'a':>7}{'b':>7}{'trigger F1':>12}{'argument F1':>13}"]
    lines.append(
        f"  {'all types':<16}{events['a']:>7}{events['b']:>7}{number(events['trigger_f1']):>12}"
        f"{number(events['argument_f1']):>13}"
    )
    for kind, f in events["by_type"].items():
        lines.append(f"  {kind:<16}{f['a']:>7}{f['b']:>7}{number(f['trigger_f1']):>12}")
    if events["by_role"]:
        lines.append(f"  {'roles':<16}{'a':>7}{'b':>7}{'argument F1':>13}")
        for role, f in events["by_role"].items():
            lines.append(f"  {role:<16}{f['a']:>7}{f['b']:>7}{number(f['argument_f1']):>13}")
    return lines


def report_lines(report: dict) -> list[str]:
    label = f", label {report['label']}" if report.get("label") else ""
    lines = [f"{report['project']}: agreement of {', '.join(report['annotators'])}{label}"]
    for pair in report["pairs"]:
        lines.append("")
        lines.append(
            f"{pair['a']} (a) and {pair['b']} (b): {pair['articles']} shared article(s), "
            f"{pair['spans'].get('tokens', 0)} tokens"
        )
        if not pair["articles"]:
            continue
        lines += _span_rows(pair["spans"]) + _event_rows(pair["events"])
    if len(report["pairs"]) > 1:
        overall = report["overall"]
        lines.append("")
        lines.append(
            "Overall (F1: all pairs pooled; kappa: mean of the pairs'; alpha_u: all "
            f"annotators, {overall['articles_all_annotators']} article(s) all annotated)"
        )
        lines += _span_rows(overall["spans"]) + _event_rows(overall["events"])
    return lines
