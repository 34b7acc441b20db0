"""Hyperparameter search: the space refuses bad ranges in words, trials stay within it, a study of
tiny trials with pruning completes in an SQLite storage, and a stopped or crashed search continues."""

import time
from dataclasses import replace

import optuna
import pytest
from optuna.trial import TrialState

from jobs.pipeline.config import RunConfig, config_errors
from jobs.pipeline.search import (
    CANCELLED,
    PARAMS,
    SearchRequest,
    SearchSpace,
    apply_params,
    open_storage,
    run_search,
    suggest_config,
)
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)
from tests.jobs.pipeline.train.helpers import CHAT_ROWS, RecordingHooks, chat_row, make_request, write_jsonl

BASE = RunConfig(
    name="base",
    template="general",
    base_model="test",
    stages=[{"kind": "sft", "dataset_version": 1}],
    hyperparameters={"per_device_batch_size": 4, "max_steps": 500, "eval_every_steps": 100},
)


@pytest.mark.parametrize(
    "space,field,message",
    [
        ({"learning_rate_low": 1e-3, "learning_rate_high": 1e-4}, "learning_rate_high", "below the low end (0.001)"),
        ({"dropout_low": 0.2, "dropout_high": 0.1}, "dropout_high", "below the low end (0.2)"),
        ({"steps_per_trial": 5, "eval_every_steps": 5}, "eval_every_steps", "must be below steps_per_trial (5)"),
        ({"lora_r_choices": [8, 8]}, "lora_r_choices", "each value once"),
        ({"lora_r_choices": []}, "lora_r_choices", "at least 1 item"),
        ({"effective_batch_sizes": [8, "many"]}, "effective_batch_sizes.1", "valid integer"),
        ({"learning_rate_low": 0}, "learning_rate_low", "greater than 0"),
        ({"n_trials": 0}, "n_trials", "greater than or equal to 1"),
        ({"trials": 3}, "trials", "unknown key 'trials'"),
    ],
)
def test_it_refuses_bad_spaces_in_words(space, field, message):
    with pytest.raises(ValueError) as raised:
        SearchSpace.model_validate(space)
    errors = config_errors(raised.value)
    assert message in errors[field], errors


def test_it_allows_equal_evals_and_steps_without_pruning():
    assert SearchSpace(pruning=False, steps_per_trial=5, eval_every_steps=5).steps_per_trial == 5


def test_suggested_configs_stay_within_the_ranges():
    space = SearchSpace(
        learning_rate_low=1e-5,
        learning_rate_high=1e-3,
        lora_r_choices=[4, 8],
        lora_alpha_multipliers=[0.5, 2],
        dropout_low=0.05,
        dropout_high=0.2,
        warmup_ratio_low=0.01,
        warmup_ratio_high=0.1,
        weight_decay_low=0.0,
        weight_decay_high=0.05,
        effective_batch_sizes=[2, 6, 16],
        steps_per_trial=12,
        eval_every_steps=3,
    )
    seen = []

    def objective(trial):
        config = suggest_config(trial, BASE, space)
        lora, hp = config.lora, config.hyperparameters
        assert 1e-5 <= hp.learning_rate <= 1e-3
        assert lora.r in (4, 8) and lora.alpha == round(lora.r * trial.params["lora_alpha_multiplier"])
        assert 0.05 <= lora.dropout <= 0.2 and 0.01 <= hp.warmup_ratio <= 0.1 and 0 <= hp.weight_decay <= 0.05
        assert hp.effective_batch_size == trial.params["effective_batch_size"]
        assert hp.per_device_batch_size <= 4  # never above the base's per-device batch (memory)
        assert (hp.max_steps, hp.eval_every_steps) == (12, 3)
        assert set(trial.params) == set(PARAMS)
        seen.append((hp.effective_batch_size, lora.r))
        return hp.learning_rate

    optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1)).optimize(objective, n_trials=40)
    assert {b for b, _ in seen} == {2, 6, 16} and {r for _, r in seen} == {4, 8}


def test_applying_params_keeps_everything_else():
    params = dict(
        learning_rate=3e-4,
        lora_r=16,
        lora_alpha_multiplier=2.0,
        lora_dropout=0.05,
        warmup_ratio=0.06,
        weight_decay=0.02,
        effective_batch_size=32,
    )
    config = apply_params(BASE, params)
    assert (config.lora.r, config.lora.alpha, config.lora.dropout) == (16, 32, 0.05)
    assert (config.hyperparameters.per_device_batch_size, config.hyperparameters.gradient_accumulation) == (4, 8)
    assert config.hyperparameters.max_steps == 500 and config.stages == BASE.stages


class SearchRecorder(RecordingHooks):
    """Records trial starts; stops the search once `stop_at_trial` starts."""

    def __init__(self, stop_at_trial=None):
        super().__init__()
        self.trials, self.stop_at_trial = [], stop_at_trial

    def on_trial(self, number, finished, total):
        self.trials.append((number, finished, total))

    def should_stop(self):
        return self.stop_at_trial is not None and any(n == self.stop_at_trial for n, _, _ in self.trials)


def search_request(tmp_path, model_dir, space, **settings) -> SearchRequest:
    rows = write_jsonl(tmp_path / "train.jsonl", [chat_row(turns) for turns in CHAT_ROWS * 4])
    stage = make_request(
        model_dir,
        rows,
        tmp_path / "unused",
        eval_file=rows,
        per_device_batch_size=4,
        max_seq_length=64,
        precision="fp32",
        target_modules=["q_proj", "v_proj"],
        **settings,
    )
    return SearchRequest(
        stage=stage,
        space=space,
        work_dir=tmp_path / "search",
        storage_url=f"sqlite:///{tmp_path / 'optuna.sqlite3'}",
        study_name="test-study",
    )


FIXED = dict(lora_r=4, lora_alpha_multiplier=2.0, lora_dropout=0.0, warmup_ratio=0.0, weight_decay=0.0)


@pytest.mark.slow
def test_a_study_of_tiny_trials_with_pruning_completes_in_the_storage(tmp_path, smollm2_dir):  # noqa: F811
    space = SearchSpace(
        n_trials=3,
        subsample_rows=8,
        eval_rows=4,
        steps_per_trial=4,
        eval_every_steps=2,
        pruning_startup_trials=1,
        learning_rate_low=1e-8,
        learning_rate_high=3e-3,
        lora_r_choices=[4, 8],
        effective_batch_sizes=[4],
    )
    request = search_request(tmp_path, smollm2_dir, space)
    # The first trial learns (lr 3e-3); the second barely moves (lr 1e-8): its eval loss at step 2
    # trails the median of the finished trials, so the median pruner stops it there.
    with open_storage(request.storage_url) as storage:
        study = optuna.create_study(storage=storage, study_name=request.study_name)
        study.enqueue_trial(FIXED | {"learning_rate": 3e-3, "effective_batch_size": 4})
        study.enqueue_trial(FIXED | {"learning_rate": 1e-8, "effective_batch_size": 4})

    hooks = SearchRecorder()
    result = run_search(request, hooks)

    assert not result.cancelled and result.finished_trials == 3
    assert [(n, f) for n, f, _ in hooks.trials] == [(0, 0), (1, 1), (2, 2), (None, 3)]
    with open_storage(request.storage_url) as storage:  # a fresh connection: the study is in the file
        trials = optuna.load_study(study_name="test-study", storage=storage).get_trials()
    states = [t.state for t in trials]
    assert states[:2] == [TrialState.COMPLETE, TrialState.PRUNED], states
    assert states[2] in (TrialState.COMPLETE, TrialState.PRUNED)
    assert list(trials[0].intermediate_values) == [2, 4] and list(trials[1].intermediate_values) == [2]
    assert trials[1].intermediate_values[2] > trials[0].intermediate_values[2]
    assert result.best_trial in (0, 2) and result.best_params.keys() == set(PARAMS)
    assert result.best_value == min(t.value for t in trials if t.state == TrialState.COMPLETE)
    assert (request.work_dir / "trials" / "trial-0" / "adapter").is_dir()
    assert len((request.work_dir / "train-subsample.jsonl").read_text().splitlines()) == 8


def test_a_stopped_search_continues_to_n_trials(tmp_path, tiny_model_dir):  # noqa: F811
    space = SearchSpace(n_trials=3, subsample_rows=8, eval_rows=4, steps_per_trial=4, eval_every_steps=2)
    request = search_request(tmp_path, tiny_model_dir("llama"), space)

    first = run_search(request, SearchRecorder(stop_at_trial=1))
    assert first.cancelled and first.finished_trials == 1

    second = run_search(request, SearchRecorder())
    assert not second.cancelled and second.finished_trials == 3
    with open_storage(request.storage_url) as storage:
        trials = optuna.load_study(study_name="test-study", storage=storage).get_trials()
    assert [t.state for t in trials][1] == TrialState.FAIL and trials[1].user_attrs["failure"] == CANCELLED
    finished = [t for t in trials if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    assert len(finished) == 3
    # The restarted sampler draws new points, not the first worker's again.
    assert len({t.params["learning_rate"] for t in trials}) == len(trials)


def test_a_trial_left_running_by_a_dead_worker_is_retried(tmp_path, tiny_model_dir):  # noqa: F811
    space = SearchSpace(n_trials=1, subsample_rows=8, eval_rows=4, steps_per_trial=4, eval_every_steps=2)
    request = search_request(tmp_path, tiny_model_dir("llama"), space)
    request = replace(request, heartbeat_seconds=1)
    with open_storage(request.storage_url, heartbeat_seconds=1) as storage:
        study = optuna.create_study(storage=storage, study_name=request.study_name)
        lost = study.ask()
        suggest_config(lost, BASE, space)
        storage.record_heartbeat(lost._trial_id)
    # Past the grace period of three beats, on SQLite's whole-second clock: that worker is gone.
    time.sleep(4.5)

    result = run_search(request, SearchRecorder())

    assert result.finished_trials == 1
    with open_storage(request.storage_url) as storage:
        trials = optuna.load_study(study_name="test-study", storage=storage).get_trials()
    assert [t.state for t in trials] == [TrialState.FAIL, TrialState.COMPLETE]
    assert trials[1].params == trials[0].params  # the same point, trained in the lost trial's directory
    assert trials[1].system_attrs["failed_trial"] == 0  # Optuna's mark of a retry
    assert (request.work_dir / "trials" / "trial-0" / "adapter").is_dir()
    assert not (request.work_dir / "trials" / "trial-1").exists()
