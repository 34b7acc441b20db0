"""A hyperparameter search through a real Celery worker: its trials train, its Optuna study lands
in the studio's database, and the best trial launches as a full training run."""

import optuna
import pytest
from django.urls import reverse
from optuna.trial import TrialState

from jobs.pipeline.config import RunConfig
from jobs.pipeline.search import lora_alpha, open_storage
from studio.audit.models import AuditEvent
from studio.runs.models import Run
from studio.runs.search import optuna_storage_url, search_config_validate, study_name
from studio.runs.services import run_create
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)
from tests.jobs.test_train_worker import finance_rows, register, wait  # noqa: F401 (fixture)

pytestmark = [pytest.mark.worker, pytest.mark.slow]

TINY_SEARCH = {
    "n_trials": 3,
    "subsample_rows": 12,
    "eval_rows": 4,
    "steps_per_trial": 4,
    "eval_every_steps": 2,
    "pruning_startup_trials": 1,
    "lora_r_choices": [2, 4],
    "effective_batch_sizes": [2, 4],
    "learning_rate_low": 1e-4,
    "learning_rate_high": 1e-2,
}


def launch_search(team, base_model, version, **space) -> Run:
    data = {
        "name": "search test",
        "template": "finance",
        "base_model": base_model.name,
        "stages": [{"kind": "sft", "dataset_version": version.pk}],
        "lora": {"target_modules": ["q_proj", "v_proj"]},
        "hyperparameters": {"max_seq_length": 64, "per_device_batch_size": 4, "precision": "fp32", "max_steps": 50},
    }
    config, space = search_config_validate(data, TINY_SEARCH | space, team=team)
    return run_create(team=team, user=None, config=config, search_space=space)


def test_a_search_runs_on_a_worker_and_its_best_trial_launches(
    celery_worker,
    team,
    owner,
    login,
    tiny_model_dir,  # noqa: F811
    finance_rows,  # noqa: F811
):
    base_model = register(tiny_model_dir("llama"), "tiny llama")
    search = launch_search(team, base_model, finance_rows)

    search = wait(search, lambda r: r.is_finished, workers=[celery_worker])
    assert search.status == "succeeded", f"{search.failure_kind}: {search.failure_reason}"
    assert (search.progress_done, search.progress_total, search.progress_unit) == (3, 3, "trials")

    with open_storage(optuna_storage_url()) as storage:  # the studio's own database
        study = optuna.load_study(study_name=study_name(search), storage=storage)
        trials = study.get_trials()
        best = study.best_trial
    finished = [t for t in trials if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    assert len(finished) == 3 and all(t.intermediate_values for t in finished)
    assert 2 in finished[0].intermediate_values  # eval every 2 steps reached the pruner
    event = AuditEvent.objects.get(action="run.succeeded", object_id=str(search.pk))
    assert event.details["best_trial"] == best.number and event.details["finished_trials"] == 3

    response = login(owner).post(reverse("runs:search_launch_best", args=[search.pk]))
    launched = Run.objects.exclude(pk=search.pk).get()
    assert response.url == reverse("runs:detail", args=[launched.pk])
    config = RunConfig.model_validate(launched.config)
    assert launched.kind == "train" and launched.created_by == owner
    assert config.hyperparameters.learning_rate == best.params["learning_rate"]
    assert config.lora.r == best.params["lora_r"]
    assert config.lora.alpha == lora_alpha(best.params["lora_r"], best.params["lora_alpha_multiplier"])
    assert config.lora.dropout == best.params["lora_dropout"]
    assert config.hyperparameters.warmup_ratio == best.params["warmup_ratio"]
    assert config.hyperparameters.weight_decay == best.params["weight_decay"]
    assert config.hyperparameters.effective_batch_size == best.params["effective_batch_size"]
    assert config.hyperparameters.max_steps == 50  # the full run's length, not a trial's
    assert config.stages == RunConfig.model_validate(search.config).stages  # the full dataset version
    event = AuditEvent.objects.get(action="run.search_best_launched")
    assert event.details["run"] == launched.pk and event.details["trial"] == best.number


def test_a_cancelled_search_resumes_to_its_trial_count(
    celery_worker,
    team,
    owner,
    tiny_model_dir,  # noqa: F811
    finance_rows,  # noqa: F811
):
    from studio.runs.services import run_cancel, run_resume

    base_model = register(tiny_model_dir("llama"), "tiny llama")
    search = launch_search(team, base_model, finance_rows, n_trials=2, steps_per_trial=30, eval_every_steps=10)
    search = wait(search, lambda r: r.status == "running" and r.latest.get("step", 0) >= 2, workers=[celery_worker])
    run_cancel(run=search, user=owner)
    search = wait(search, lambda r: r.is_finished, workers=[celery_worker])
    assert search.status == "cancelled"

    run_resume(run=search, user=owner)
    search = wait(search, lambda r: r.is_finished, workers=[celery_worker])
    assert search.status == "succeeded", search.failure_reason
    with open_storage(optuna_storage_url()) as storage:
        trials = optuna.load_study(study_name=study_name(search), storage=storage).get_trials()
    assert sum(t.state in (TrialState.COMPLETE, TrialState.PRUNED) for t in trials) == 2
    assert any(t.user_attrs.get("failure") == "cancelled" for t in trials)
