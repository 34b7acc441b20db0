"""A run trained on a real Celery worker is evaluated there next, on the `cpu` queue: the report
holds base and tuned figures for every metric of the finance template's suite, per example too."""

import json
import time

import pytest

from studio.audit.models import AuditEvent
from studio.evaluations.models import Evaluation
from studio.industry.selectors import template_latest
from tests.factories import make_version
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)
from tests.jobs.test_train_worker import FINANCE_DEMO, launch, register, wait

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def wait_for_evaluation(run, *, worker, timeout=300) -> Evaluation:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        evaluation = run.evaluations.first()
        if evaluation is not None and evaluation.is_finished:
            return evaluation
        time.sleep(0.5)
    pytest.fail(f"run {run.pk} was not evaluated in time. Worker log:\n{worker.log_path.read_text()[-4000:]}")


def test_a_succeeded_run_is_evaluated_on_the_worker(start_worker, team, smollm2_dir):  # noqa: F811
    worker = start_worker(EVAL_MAX_EXAMPLES=4, EVAL_MAX_NEW_TOKENS=16)
    rows = [json.loads(line) for line in FINANCE_DEMO.read_text(encoding="utf-8").splitlines()[:40]]
    version = make_version(team, rows, name="Finance sample", approved=True)  # 5 held-out rows
    base_model = register(smollm2_dir, "SmolLM2 (test cache)")
    run = launch(team, base_model, version, max_steps=4, eval_every_steps=100, checkpoint_every_steps=100)

    run = wait(run, lambda r: r.is_finished, workers=[worker])
    assert run.status == "succeeded", f"{run.failure_kind}: {run.failure_reason}"
    evaluation = wait_for_evaluation(run, worker=worker)
    assert evaluation.status == "succeeded", evaluation.error
    run.refresh_from_db()
    assert run.status == "succeeded"

    report = evaluation.report
    suite = template_latest("finance").spec["evaluation"]["suite"]
    assert report["suite"] == suite
    rows = {row["metric"]: row for row in report["table"]}
    for metric in suite:
        assert rows[metric]["base"] is not None and rows[metric]["tuned"] is not None, metric
        assert rows[metric]["delta"] == pytest.approx(rows[metric]["tuned"] - rows[metric]["base"])
    assert rows["perplexity"]["base"] != rows["perplexity"]["tuned"]  # four steps moved the model
    assert len(report["pairs"]) == 4  # EVAL_MAX_EXAMPLES of the worker
    for pair in report["pairs"]:
        assert pair["prompt"] and pair["reference"].splitlines()[-1].startswith(("Answer:", "答案："))
        assert isinstance(pair["base_answer"], str) and isinstance(pair["tuned_answer"], str)
        assert set(pair["base"]) == set(pair["tuned"]) == set(suite)
    assert report["settings"]["tuned"]["max_new_tokens"] == 16
    assert report["efficiency"]["base"]["tokens_per_second_batched"] > 0
    assert {g["metric"] for g in report["gates"]} == {"numeric_em", "rouge_l", "perplexity"}
    assert (evaluation.progress_done, evaluation.template) == (evaluation.progress_total, run.template)
    assert evaluation.report_dir.endswith(f"runs/{run.pk}/evaluation-{evaluation.pk}")
    assert AuditEvent.objects.filter(action="evaluation.succeeded", object_id=str(evaluation.pk)).exists()
