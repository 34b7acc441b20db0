import json
import logging

import pytest

from studio.basemodels.models import BaseModel
from studio.datasets.models import DatasetVersion
from studio.evaluations.models import Evaluation
from studio.evaluations.selectors import run_eval_version
from studio.evaluations.services import (
    EvaluationRefused,
    evaluation_after_run,
    evaluation_claim,
    evaluation_create,
    evaluation_create_for_run,
    evaluation_dir,
    evaluation_execute,
    evaluations_recover_stale,
)
from studio.industry.selectors import template_latest
from studio.runs.models import Run
from studio.runs.training import final_adapter_dir
from tests.factories import make_evaluation, make_ready_base_model, make_run, make_version
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)
from tests.studio.evaluations.conftest import save_adapter, tiny_base_model, train_only_version


def test_it_refuses_a_base_model_that_is_not_ready(team):
    base_model = make_ready_base_model()
    BaseModel.objects.filter(pk=base_model.pk).update(status="converting")
    base_model.refresh_from_db()
    with pytest.raises(EvaluationRefused, match="is not ready yet \\(converting\\)"):
        evaluation_create(team=team, user=None, base_model=base_model, dataset_version=make_version(team))


def test_it_refuses_a_version_without_held_out_rows(team):
    with pytest.raises(EvaluationRefused, match="has no held-out \\(eval\\) rows"):
        evaluation_create(
            team=team, user=None, base_model=make_ready_base_model(), dataset_version=train_only_version(team)
        )


def test_it_refuses_rows_without_answers(team):
    version = make_version(team)
    DatasetVersion.objects.filter(pk=version.pk).update(kind="text")
    version.refresh_from_db()
    with pytest.raises(EvaluationRefused, match="holds raw text rows"):
        evaluation_create(team=team, user=None, base_model=make_ready_base_model(), dataset_version=version)


def test_it_refuses_a_run_that_did_not_succeed(team):
    with pytest.raises(EvaluationRefused, match="has not succeeded"):
        evaluation_create_for_run(run=make_run(team, status="cancelled"), user=None)


def test_a_run_is_judged_on_its_sft_stage_data(team):
    chat = make_version(team, approved=True)
    preference = make_version(team, [{"prompt": "p", "chosen": "c", "rejected": "r"}] * 2, name="Pairs")
    run = make_run(team, version=chat, status="succeeded")
    stages = [{"kind": "sft", "dataset_version": chat.pk}, {"kind": "dpo", "dataset_version": preference.pk}]
    Run.objects.filter(pk=run.pk).update(config=run.config | {"stages": stages})
    run.refresh_from_db()
    assert run_eval_version(run) == chat


def test_it_claims_a_queued_evaluation_once(team):
    evaluation = make_evaluation(team)
    assert evaluation_claim(evaluation_id=evaluation.pk)
    assert not evaluation_claim(evaluation_id=evaluation.pk)
    evaluation.refresh_from_db()
    assert evaluation.status == "running" and evaluation.started_at is not None


def test_a_worker_takes_over_an_evaluation_whose_worker_died(team):
    from datetime import timedelta

    from django.utils import timezone

    from studio.core.heartbeat import stale_after

    alive, dead = make_evaluation(team), make_evaluation(team)
    for evaluation in (alive, dead):
        evaluation_claim(evaluation_id=evaluation.pk)
    Evaluation.objects.filter(pk=dead.pk).update(heartbeat_at=timezone.now() - stale_after() - timedelta(seconds=1))
    assert evaluations_recover_stale() == [dead.pk]  # queued again for the next worker
    assert not evaluation_claim(evaluation_id=alive.pk)  # its worker still beats
    assert evaluation_claim(evaluation_id=dead.pk)
    dead.refresh_from_db()
    assert dead.status == "running" and dead.heartbeat_at > timezone.now() - timedelta(seconds=5)
    assert evaluations_recover_stale() == []


def test_it_queues_the_evaluation_of_a_run_that_just_succeeded(team, django_capture_on_commit_callbacks):
    run = make_run(team, status="running")  # the training worker's copy, from before it finished
    Run.objects.filter(pk=run.pk).update(status="succeeded")
    with django_capture_on_commit_callbacks() as callbacks:
        evaluation = evaluation_after_run(run=run)
    assert (evaluation.run, evaluation.status, evaluation.created_by) == (run, "queued", None)
    assert len(callbacks) == 1


def test_queuing_after_a_run_never_fails_the_run(team, caplog):
    run = make_run(team, version=train_only_version(team), status="succeeded")
    with caplog.at_level(logging.WARNING):
        assert evaluation_after_run(run=run) is None
    assert "has no held-out" in caplog.text and not Evaluation.objects.exists()


def test_it_says_when_the_base_model_files_are_missing(team):
    evaluation = make_evaluation(team)
    evaluation_claim(evaluation_id=evaluation.pk)
    evaluation = evaluation_execute(evaluation_id=evaluation.pk)
    assert evaluation.status == "failed" and evaluation.finished_at
    assert evaluation.error.startswith(f"The files of base model {evaluation.base_model} are missing")


def test_it_says_when_the_tuned_adapter_is_missing(team, tiny_model_dir):  # noqa: F811
    run = make_run(team, status="succeeded")
    Run.objects.filter(pk=run.pk).update(base_model=tiny_base_model(tiny_model_dir("llama")))
    run.refresh_from_db()
    evaluation = evaluation_create_for_run(run=run, user=None, enqueue=False)
    evaluation_claim(evaluation_id=evaluation.pk)
    evaluation = evaluation_execute(evaluation_id=evaluation.pk)
    assert evaluation.status == "failed"
    assert f"The tuned adapter of run #{run.pk} is missing" in evaluation.error


@pytest.mark.slow
def test_it_evaluates_a_run_and_writes_its_report_atomically(team, tiny_model_dir, artifacts_root):  # noqa: F811
    base_dir = tiny_model_dir("llama")
    run = make_run(team, status="succeeded")
    Run.objects.filter(pk=run.pk).update(base_model=tiny_base_model(base_dir))
    run.refresh_from_db()
    save_adapter(base_dir, final_adapter_dir(run))
    evaluation = evaluation_create_for_run(run=run, user=None, max_new_tokens=4, enqueue=False)
    assert evaluation_claim(evaluation_id=evaluation.pk)

    evaluation = evaluation_execute(evaluation_id=evaluation.pk)
    assert evaluation.status == "succeeded", evaluation.error
    target = artifacts_root / "runs" / str(run.pk) / f"evaluation-{evaluation.pk}"
    assert evaluation.report_dir == str(target) == str(evaluation_dir(evaluation))
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        ["stage-0-sft", f"evaluation-{evaluation.pk}"]
    )  # no temporary folder left behind
    assert json.loads((target / "report.json").read_text()) == evaluation.report
    assert (target / "report.html").read_text().startswith("<!DOCTYPE html>")
    report = evaluation.report
    suite = template_latest("finance").spec["evaluation"]["suite"]
    rows = {r["metric"]: r for r in report["table"]}
    assert report["suite"] == suite
    for metric in suite:
        assert rows[metric]["base"] is not None and rows[metric]["tuned"] is not None, metric
    assert rows["perplexity"]["delta"] != 0  # the adapter changed the model
    assert {(g["metric"], g["rule"]) for g in report["gates"]} == {
        ("numeric_em", "min_delta"), ("rouge_l", "min_delta"), ("perplexity", "max_delta")
    }  # fmt: skip
    assert len(report["pairs"]) == evaluation.dataset_version.eval_count
    assert report["efficiency"]["tuned"]["tokens_per_second_batched"] > 0
    assert report["labels"] == {"base": "tiny llama", "tuned": f"#{run.pk} {run.name}"}
    assert evaluation.progress_done == evaluation.progress_total > 0 and evaluation.phase == ""
