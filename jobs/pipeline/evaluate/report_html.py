"""The static HTML page of a `Report`: inline CSS, no scripts, every piece of text escaped."""

from __future__ import annotations

import math
from html import escape

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#176f2c;font-weight:600}.fail{color:#b00020;font-weight:600}
.up{color:#176f2c}.down{color:#b00020}
pre{white-space:pre-wrap;word-break:break-word;margin:0;font:12px/1.4 ui-monospace,monospace}
.bar{height:.5rem;background:#8ab4f8;display:block}.bar.t{background:#34a853}
"""


def _num(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return escape(str(value))


def _bars(base, tuned) -> str:
    """Two small bars for 0–1 figures (base blue, tuned green); nothing for other scales."""
    if not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in (base, tuned)):
        return ""
    return (
        f'<span class="bar" style="width:{base * 100:.1f}%"></span>'
        f'<span class="bar t" style="width:{tuned * 100:.1f}%"></span>'
    )


def render(report, title: str) -> str:
    """The page for `report` (a jobs.pipeline.evaluate.report.Report)."""
    e = escape
    compared = report.tuned_label is not None  # else one model alone: no tuned column, no gates
    if compared:
        verdict = '<span class="pass">PASS</span>' if report.passed else '<span class="fail">FAIL</span>'
        summary = f"Release gates: {verdict} · suite: {e(', '.join(report.suite))}"
        heads = f"<th>{e(report.base_label)}</th><th>{e(report.tuned_label)}</th><th>delta</th><th></th>"
    else:
        summary = (
            f"{e(report.base_label)} alone (no tuned model, no release gates) · suite: {e(', '.join(report.suite))}"
        )
        heads = f"<th>{e(report.base_label)}</th>"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{summary}</p>",
        f"<h2>Metrics</h2><table><tr><th>metric</th>{heads}</tr>",
    ]
    for row in report.table:
        cells = f"<td>{e(row['metric'])}</td><td class=num>{_num(row['base'])}</td>"
        if compared:
            cls = {True: "up", False: "down"}.get(row["improved"], "")
            cells += (
                f"<td class=num>{_num(row['tuned'])}</td><td class='num {cls}'>{_num(row['delta'])}</td>"
                f"<td style='width:20%'>{_bars(row['base'], row['tuned'])}</td>"
            )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    if report.gates:
        out.append(
            "<h2>Release gates</h2><table><tr><th>metric</th><th>rule</th><th>threshold</th>"
            "<th>value</th><th>result</th></tr>"
        )
        for g in report.gates:
            res = '<span class="pass">pass</span>' if g.passed else '<span class="fail">fail</span>'
            out.append(
                f"<tr><td>{e(g.metric)}</td><td>{e(g.rule)}</td><td class=num>{_num(g.threshold)}</td>"
                f"<td class=num>{_num(g.value)}</td><td>{res}</td></tr>"
            )
        out.append("</table>")
    metrics = [m for m in report.suite if m != "perplexity"]
    if compared:
        out.append(
            f"<h2>Examples, by {e(report.gain_metric)} gain</h2><table><tr><th>#</th><th>prompt</th>"
            f"<th>reference</th><th>{e(report.base_label)}</th><th>{e(report.tuned_label)}</th>"
            "<th>scores (base → tuned)</th><th>gain</th></tr>"
        )
    else:
        out.append(
            "<h2>Examples</h2><table><tr><th>#</th><th>prompt</th>"
            f"<th>reference</th><th>{e(report.base_label)}</th><th>scores</th></tr>"
        )
    for p in report.pairs_by_gain():
        row = (
            f"<tr><td class=num>{p['index']}</td><td><pre>{e(p['prompt'])}</pre></td>"
            f"<td><pre>{e(p['reference'])}</pre></td><td><pre>{e(p['base_answer'])}</pre></td>"
        )
        if compared:
            scores = "<br>".join(f"{e(m)}: {_num(p['base'].get(m))} → {_num(p['tuned'].get(m))}" for m in metrics)
            row += f"<td><pre>{e(p['tuned_answer'])}</pre></td><td>{scores}</td><td class=num>{_num(p['gain'])}</td>"
        else:
            row += "<td>" + "<br>".join(f"{e(m)}: {_num(p['base'].get(m))}" for m in metrics) + "</td>"
        out.append(row + "</tr>")
    out.append("</table></body></html>")
    return "\n".join(out)
