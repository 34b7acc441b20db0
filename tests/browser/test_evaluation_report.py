"""A domain expert reads a run's evaluation report: gates, metric table, charts, and the examples
sorted by the largest loss of a metric."""

import json
import random

import pytest

from jobs.pipeline.evaluate.evaluate import ExampleResult, ModelEvaluation, score_example
from jobs.pipeline.evaluate.generate import split_chat
from jobs.pipeline.evaluate.report import compare
from studio.core.demo import DEMO_ACCOUNTS, demo_setup
from studio.evaluations.services import evaluation_report_data
from tests.browser.conftest import log_in
from tests.factories import make_evaluation, make_run, make_version
from tests.jobs.test_train_worker import FINANCE_DEMO

pytestmark = [pytest.mark.browser]
SUITE = ["perplexity", "rouge_l", "bleu", "exact_match", "numeric_em"]
GATES = {"numeric_em": {"min_delta": 0.05}, "rouge_l": {"min_delta": 0.0}, "perplexity": {"max_delta": 0.0}}


def finance_evaluation(rows, answer, *, ppl: float, tps: float) -> ModelEvaluation:
    """An evaluation of finance rows whose answers come from `answer(reference)`, scored by the pipeline's metrics."""
    examples = []
    for i, row in enumerate(rows):
        prompt, reference = split_chat(row)
        text = answer(i, reference)
        scores = {"perplexity": ppl * (1 + i % 3 / 10)} | score_example(text, reference, SUITE[1:])
        prompt_text = "\n".join(f"{t['role']}: {t['content']}" for t in prompt)
        examples.append(ExampleResult(index=i, prompt=prompt_text, reference=reference, answer=text, metrics=scores))
    scored = {m: [e.metrics[m] for e in examples if e.metrics[m] is not None] for m in SUITE}
    metrics = {m: sum(values) / len(values) for m, values in scored.items()}
    return ModelEvaluation(
        model_dir="SmolLM2",
        adapter_dir=None,
        eval_file="eval.jsonl",
        suite=SUITE,
        metrics=metrics,
        applicable={m: len(values) for m, values in scored.items()},
        efficiency={
            "batch_size": 8,
            "tokens_per_second_batched": tps,
            "tokens_per_second_batch1": tps / 5,
            "latency_p50_s": 128 / (tps / 5),
            "latency_p95_s": 140 / (tps / 5),
            "ttft_p50_s": 0.04,
            "ttft_p95_s": 0.06,
            "gpu_hour_price": 2.0,
            "cost_per_1k_tokens_batched": 2.0 / 3.6 / tps,
            "cost_per_1k_tokens_batch1": 2.0 / 3.6 / (tps / 5),
        },  # fmt: skip
        settings={"max_new_tokens": 128, "batch_size": 8, "n_examples": len(examples)},
        examples=examples,
    )


def test_it_shows_an_evaluation_report(page, screenshot):
    team, _ = demo_setup(with_datasets=False)
    rows = [json.loads(line) for line in FINANCE_DEMO.read_text(encoding="utf-8").splitlines()[:14]]
    run = make_run(team, version=make_version(team, rows, name="Finance demo", approved=True), status="succeeded")
    rng = random.Random(0)
    base = finance_evaluation(rows, lambda i, ref: "The ratio is within limits.", ppl=31.7, tps=126.0)
    tuned = finance_evaluation(
        rows, lambda i, ref: ref if rng.random() < 0.5 else ref.rsplit("\n", 1)[0], ppl=9.4, tps=103.0
    )
    report = compare(base, tuned, GATES)
    report.base_label, report.tuned_label = "SmolLM2-135M-Instruct", f"#{run.pk} {run.name}"
    evaluation = make_evaluation(team, run=run, report=evaluation_report_data(report, {"base": base, "tuned": tuned}))

    expert = DEMO_ACCOUNTS[0]
    log_in(page, expert.username, expert.password)
    page.goto(f"/runs/{run.pk}/")
    page.get_by_role("link", name=f"Open the report (#{evaluation.pk})").click()
    page.locator('[data-gates="passed"]').wait_for()
    assert page.locator("table.metrics tbody tr").count() == len(SUITE)
    assert page.locator('[data-metric="perplexity"] [data-delta]').get_attribute("class") == "num better"
    assert page.locator("section.charts svg.chart").count() == len(SUITE)

    page.locator('select[name="metric"]').select_option("rouge_l")
    page.locator('select[name="order"]').select_option("loss")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_url("**order=loss**")
    gains = [p["tuned"]["rouge_l"] - p["base"]["rouge_l"] for p in evaluation.report["pairs"]]
    values = page.locator("[data-example]").evaluate_all("rows => rows.map(r => r.dataset.sortValue)")
    assert [float(v) for v in values] == pytest.approx(sorted(gains)[:10])
    screenshot("evaluation-report")
