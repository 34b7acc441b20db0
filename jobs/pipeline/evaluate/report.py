"""Base vs tuned: a metrics table with deltas, per-example pairs, release gates, JSON and HTML.
`describe` gives the same shape for one model alone (tuned side empty, no gates).

Gate schema: `{metric: {rule: threshold, ...}, ...}` where metric is any figure of the table (a
suite metric such as "rouge_l", or an efficiency figure such as "tokens_per_second_batched") and
rule is one of
    min        tuned value >= threshold
    max        tuned value <= threshold
    min_delta  tuned - base >= threshold
    max_delta  tuned - base <= threshold
Deltas are plain differences, whatever the metric's direction: "perplexity must not rise" is
`{"perplexity": {"max_delta": 0}}`. A figure that was not measured fails its gates.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jobs.pipeline.evaluate.evaluate import ModelEvaluation

GATE_RULES = ("min", "max", "min_delta", "max_delta")
# Figures where smaller is better; every other figure is better when larger.
LOWER_IS_BETTER = {
    "perplexity", "latency_p50_s", "latency_p95_s", "ttft_p50_s", "ttft_p95_s",
    "cost_per_1k_tokens_batched", "cost_per_1k_tokens_batch1",
}  # fmt: skip
_EFFICIENCY_FIGURES = (
    "tokens_per_second_batched", "tokens_per_second_batch1", "latency_p50_s", "latency_p95_s",
    "ttft_p50_s", "ttft_p95_s", "cost_per_1k_tokens_batched", "cost_per_1k_tokens_batch1",
)  # fmt: skip


@dataclass
class GateResult:
    metric: str
    rule: str
    threshold: float
    value: float | None  # the tuned value, or the delta for *_delta rules
    passed: bool


@dataclass
class Report:
    suite: list[str]
    table: list[dict]  # {metric, base, tuned, delta, improved}
    gates: list[GateResult]
    pairs: list[dict]  # {index, prompt, reference, base_answer, tuned_answer, base, tuned, gain}
    gain_metric: str
    base_label: str = "base"
    tuned_label: str | None = "tuned"  # None: one model alone (see `describe`)
    settings: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        """All gates passed (True when there are none); None for one model alone: gates judge a tuned model."""
        if self.tuned_label is None:
            return None
        return all(g.passed for g in self.gates)

    def pairs_by_gain(self, metric: str | None = None, *, descending: bool = True) -> list[dict]:
        """Per-example pairs sorted by tuned - base of `metric` (default `gain_metric`); pairs where
        the metric does not apply come last."""
        metric = metric or self.gain_metric

        def gain(p):
            b, t = p["base"].get(metric), p["tuned"].get(metric)
            return None if b is None or t is None else t - b

        scored = [p for p in self.pairs if gain(p) is not None]
        rest = [p for p in self.pairs if gain(p) is None]
        return sorted(scored, key=gain, reverse=descending) + rest

    def to_dict(self) -> dict:
        """JSON-ready: table, gates, pass/fail and the pairs sorted by gain."""
        return {
            "suite": self.suite,
            "passed": self.passed,
            "table": self.table,
            "gates": [asdict(g) for g in self.gates],
            "gain_metric": self.gain_metric,
            "pairs": self.pairs_by_gain(),
            "labels": {"base": self.base_label, "tuned": self.tuned_label},
            "settings": self.settings,
        }

    def to_html(self, title: str = "Evaluation report") -> str:
        """A static, self-contained HTML page (inline CSS, no scripts); every text is escaped."""
        from jobs.pipeline.evaluate.report_html import render

        return render(self, title)


def _figures(evaluation: ModelEvaluation) -> dict[str, float | None]:
    figures = dict(evaluation.metrics)
    figures.update({k: evaluation.efficiency.get(k) for k in _EFFICIENCY_FIGURES})
    return figures


def validate_gates(gates: dict) -> None:
    """Raise ValueError naming the first malformed gate."""
    if not isinstance(gates, dict):
        raise ValueError("gates must be a mapping of metric -> {rule: threshold}")
    for metric, rules in gates.items():
        if not isinstance(rules, dict) or not rules:
            raise ValueError(f"gate {metric!r}: expected a non-empty mapping of rules {GATE_RULES}")
        for rule, threshold in rules.items():
            if rule not in GATE_RULES:
                raise ValueError(f"gate {metric!r}: unknown rule {rule!r}; rules are {GATE_RULES}")
            if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or math.isnan(threshold):
                raise ValueError(f"gate {metric}.{rule}: threshold must be a number, got {threshold!r}")


def apply_gates(base: dict, tuned: dict, gates: dict) -> list[GateResult]:
    """Check each gate rule against the tuned figures (and deltas from the base figures)."""
    validate_gates(gates)
    results = []
    for metric, rules in gates.items():
        for rule, threshold in rules.items():
            t, b = tuned.get(metric), base.get(metric)
            if rule.endswith("_delta"):
                value = None if t is None or b is None else t - b
            else:
                value = t
            if value is None or math.isnan(value):
                passed = False
            elif rule.startswith("min"):
                passed = value >= threshold
            else:
                passed = value <= threshold
            results.append(GateResult(metric, rule, float(threshold), value, passed))
    return results


def is_improvement(metric: str, delta: float | None) -> bool | None:
    """Whether a change of `metric` by `delta` (tuned - base) is for the better; None for no change."""
    return None if not delta else (delta < 0) == (metric in LOWER_IS_BETTER)


def _table_metrics(suite: list[str]) -> list[str]:
    return [*suite, *[k for k in _EFFICIENCY_FIGURES if k not in suite]]


def compare(
    base: ModelEvaluation, tuned: ModelEvaluation, gates: dict | None = None, *, gain_metric: str = "rouge_l"
) -> Report:
    """Set two evaluations of the same eval rows side by side and apply release `gates`.

    Raises ValueError if the evaluations are not of the same examples.
    """
    if [e.reference for e in base.examples] != [e.reference for e in tuned.examples]:
        raise ValueError("base and tuned were evaluated on different examples; compare needs the same rows")
    bf, tf = _figures(base), _figures(tuned)
    table = []
    for metric in _table_metrics(tuned.suite):
        b, t = bf.get(metric), tf.get(metric)
        delta = None if b is None or t is None else t - b
        improved = is_improvement(metric, delta)
        table.append({"metric": metric, "base": b, "tuned": t, "delta": delta, "improved": improved})
    pairs = []
    for be, te in zip(base.examples, tuned.examples, strict=True):
        b, t = be.metrics.get(gain_metric), te.metrics.get(gain_metric)
        pairs.append({
            "index": be.index, "prompt": be.prompt, "reference": be.reference,
            "base_answer": be.answer, "tuned_answer": te.answer,
            "base": be.metrics, "tuned": te.metrics,
            "gain": None if b is None or t is None else t - b,
        })  # fmt: skip
    return Report(
        suite=list(tuned.suite),
        table=table,
        gates=apply_gates(bf, tf, gates or {}),
        pairs=pairs,
        gain_metric=gain_metric,
        settings={
            "base": base.settings,
            "tuned": tuned.settings,
            "base_model": [base.model_dir, base.adapter_dir],
            "tuned_model": [tuned.model_dir, tuned.adapter_dir],
        },
    )


def describe(evaluation: ModelEvaluation, *, gain_metric: str = "rouge_l") -> Report:
    """One model alone, in the shape of `compare`: tuned, delta and improved are None in the table,
    each pair's tuned side is empty, and no gate is applied (gates judge a tuned model)."""
    figures = _figures(evaluation)
    table = [
        {"metric": metric, "base": figures.get(metric), "tuned": None, "delta": None, "improved": None}
        for metric in _table_metrics(evaluation.suite)
    ]
    pairs = [
        {
            "index": e.index,
            "prompt": e.prompt,
            "reference": e.reference,
            "base_answer": e.answer,
            "tuned_answer": None,
            "base": e.metrics,
            "tuned": {},
            "gain": None,
        }  # fmt: skip
        for e in evaluation.examples
    ]
    return Report(
        suite=list(evaluation.suite),
        table=table,
        gates=[],
        pairs=pairs,
        gain_metric=gain_metric,
        tuned_label=None,
        settings={"base": evaluation.settings, "base_model": [evaluation.model_dir, evaluation.adapter_dir]},
    )


def json_ready(value):
    """`value` with every non-finite float replaced by None (JSON has no NaN or infinity)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_ready(x) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(x) for x in value]
    return value


def dumps(report: Report) -> str:
    """`report.to_dict()` as JSON text (non-finite numbers become null)."""
    return json.dumps(json_ready(report.to_dict()), ensure_ascii=False, indent=2)
