import json

import pytest

from jobs.pipeline.evaluate.evaluate import ExampleResult, ModelEvaluation
from jobs.pipeline.evaluate.report import compare, describe, dumps, json_ready, validate_gates

SUITE = ["perplexity", "rouge_l", "bleu", "exact_match", "numeric_em"]


def evaluation(answers, metrics, per_example, *, tps=100.0):
    examples = [
        ExampleResult(i, f"user: question {i}", f"Answer: {i}", a, per_example[i]) for i, a in enumerate(answers)
    ]
    return ModelEvaluation(
        model_dir="base",
        adapter_dir=None,
        eval_file="eval.jsonl",
        suite=SUITE,
        metrics=metrics,
        applicable={k: len(answers) for k in metrics},
        efficiency={"tokens_per_second_batched": tps, "latency_p50_s": 1.0},
        settings={},
        examples=examples,
    )


@pytest.fixture
def pair():
    base = evaluation(
        ["Answer: 9", "no idea"],
        {"perplexity": 40.0, "rouge_l": 0.30, "bleu": 0.10, "exact_match": 0.0, "numeric_em": 0.0},
        [{"rouge_l": 0.5, "numeric_em": 0.0}, {"rouge_l": 0.1, "numeric_em": 0.0}],
    )
    tuned = evaluation(
        ["Answer: 0", "<script>alert('x')</script> & done"],
        {"perplexity": 12.0, "rouge_l": 0.45, "bleu": 0.20, "exact_match": 0.5, "numeric_em": 0.5},
        [{"rouge_l": 1.0, "numeric_em": 1.0}, {"rouge_l": 0.05, "numeric_em": 0.0}],
        tps=90.0,
    )
    return base, tuned


def test_it_tabulates_base_tuned_and_deltas(pair):
    report = compare(*pair, {})
    rows = {r["metric"]: r for r in report.table}
    assert rows["rouge_l"]["delta"] == pytest.approx(0.15)
    assert rows["rouge_l"]["improved"] is True
    assert rows["perplexity"]["delta"] == pytest.approx(-28.0)
    assert rows["perplexity"]["improved"] is True  # lower is better
    assert rows["tokens_per_second_batched"]["improved"] is False
    assert report.passed  # no gates


def test_it_applies_release_gates(pair):
    gates = {
        "numeric_em": {"min": 0.3},
        "rouge_l": {"min_delta": 0.05},
        "perplexity": {"max": 30, "max_delta": 0},
        "exact_match": {"min": 0.9},
        "json_validity": {"min": 0.5},  # not measured: fails
    }
    results = {(g.metric, g.rule): g for g in compare(*pair, gates).gates}
    assert results["numeric_em", "min"].passed
    assert results["rouge_l", "min_delta"].passed and results["rouge_l", "min_delta"].value == pytest.approx(0.15)
    assert results["perplexity", "max"].passed and results["perplexity", "max_delta"].passed
    assert not results["exact_match", "min"].passed
    assert not results["json_validity", "min"].passed and results["json_validity", "min"].value is None
    assert not compare(*pair, gates).passed
    assert compare(*pair, {"numeric_em": {"min": 0.3}, "rouge_l": {"min_delta": 0.05}}).passed


@pytest.mark.parametrize(
    "gates", [{"rouge_l": {"above": 0.1}}, {"rouge_l": {"min": "high"}}, {"rouge_l": {}}, {"rouge_l": 0.3}, []]
)
def test_it_refuses_malformed_gates(gates):
    with pytest.raises(ValueError):
        validate_gates(gates)


def test_it_sorts_pairs_by_gain(pair):
    report = compare(*pair, {})
    assert [p["index"] for p in report.pairs_by_gain()] == [0, 1]
    assert [p["index"] for p in report.pairs_by_gain(descending=False)] == [1, 0]
    assert report.pairs_by_gain()[0]["gain"] == pytest.approx(0.5)
    assert [p["index"] for p in report.pairs_by_gain("exact_match")] == [0, 1]  # not scored: kept in order


def test_it_refuses_evaluations_of_different_rows(pair):
    base, tuned = pair
    tuned.examples[1].reference = "something else"
    with pytest.raises(ValueError):
        compare(base, tuned, {})


def test_it_serializes_to_json(pair):
    data = json.loads(dumps(compare(*pair, {"numeric_em": {"min": 0.3}})))
    assert data["passed"] is True
    assert data["gates"][0] == {"metric": "numeric_em", "rule": "min", "threshold": 0.3, "value": 0.5, "passed": True}
    assert data["pairs"][0]["tuned_answer"] == "Answer: 0"


def test_it_renders_escaped_self_contained_html(pair):
    page = compare(*pair, {"exact_match": {"min": 0.9}}).to_html(title="Run <7>")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; done" in page
    assert "Run &lt;7&gt;" in page
    assert "FAIL" in page
    assert "src=" not in page and "href=" not in page  # nothing loaded from elsewhere


def test_it_describes_one_model_alone_in_the_same_shape(pair):
    base, _ = pair
    report = describe(base)
    rows = {r["metric"]: r for r in report.table}
    assert rows["rouge_l"] == {"metric": "rouge_l", "base": 0.30, "tuned": None, "delta": None, "improved": None}
    assert rows["tokens_per_second_batched"]["base"] == 100.0
    assert report.gates == [] and report.passed is None
    data = json.loads(dumps(report))
    assert data["labels"] == {"base": "base", "tuned": None} and data["passed"] is None
    assert data["pairs"][0]["base_answer"] == "Answer: 9" and data["pairs"][0]["tuned"] == {}
    page = report.to_html(title="Base alone")
    assert "no tuned model" in page and "delta" not in page and "Answer: 9" in page


def test_it_replaces_non_finite_numbers_for_json():
    assert json_ready({"a": [float("nan"), 1.0], "b": (float("inf"),)}) == {"a": [None, 1.0], "b": [None]}
