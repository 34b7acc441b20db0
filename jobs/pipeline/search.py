"""Hyperparameter search (seed 2.3.2): Optuna's TPE sampler over chosen ranges, each trial a short
training on a subsample, the objective its final eval loss, median pruning of trials whose
intermediate eval losses trail the others'.

    run_search(request, hooks) -> SearchResult

The study lives in an Optuna RDB storage named by the caller (the studio's own database), so it
survives the worker: a restarted worker continues it, and several processes may share it, each
running trials until the study holds `n_trials` finished (complete or pruned) ones. A trial left
running by a dead worker stops beating; the next worker marks it failed and retries its parameters
in the same directory, from the trial's last checkpoint if it made one.
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from jobs.pipeline.config import RunConfig
from jobs.pipeline.train.outputs import write_text_atomic
from jobs.pipeline.train.types import Hooks, Progress, StageRequest, TrainingFailure

if TYPE_CHECKING:
    import optuna

CANCELLED = "cancelled"  # the `failure` of a trial the caller stopped
PARAMS = (
    "learning_rate",
    "lora_r",
    "lora_alpha_multiplier",
    "lora_dropout",
    "warmup_ratio",
    "weight_decay",
    "effective_batch_size",
)
# Optuna's TPE samples at random for its first trials; with few trials, model sooner.
MAX_RANDOM_STARTUP_TRIALS = 10


class SearchSpace(BaseModel):
    """What to search over, and how much each trial trains. Defaults follow the seed's ranges for LoRA."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_trials: Annotated[int, Field(ge=1, le=500, description="Trials that finish (complete or pruned).")] = 20
    subsample_rows: Annotated[int, Field(ge=1, description="Training rows each trial sees (a seeded sample).")] = 256
    eval_rows: Annotated[int, Field(ge=1, description="Held-out rows the eval loss is measured on.")] = 64
    steps_per_trial: Annotated[int, Field(ge=1, le=100_000, description="Optimizer steps of one trial.")] = 30
    pruning: Annotated[bool, Field(description="Stop trials whose eval loss trails the median of earlier ones.")] = True
    pruning_startup_trials: Annotated[
        int, Field(ge=0, description="Finished trials before pruning starts (the median needs some).")
    ] = 3
    eval_every_steps: Annotated[int, Field(ge=1, description="Eval loss during a trial, for pruning.")] = 5
    learning_rate_low: Annotated[float, Field(gt=0, le=1, description="Sampled on a log scale.")] = 1e-5
    learning_rate_high: Annotated[float, Field(gt=0, le=1)] = 5e-4
    lora_r_choices: Annotated[
        list[Annotated[int, Field(ge=1, le=1024)]], Field(min_length=1, description="LoRA ranks to try.")
    ] = [8, 16, 32]
    lora_alpha_multipliers: Annotated[
        list[Annotated[float, Field(gt=0, le=16)]], Field(min_length=1, description="alpha = r × multiplier.")
    ] = [1.0, 2.0]
    dropout_low: Annotated[float, Field(ge=0, lt=1, description="LoRA dropout.")] = 0.0
    dropout_high: Annotated[float, Field(ge=0, lt=1)] = 0.1
    warmup_ratio_low: Annotated[float, Field(ge=0, lt=1, description="Share of steps spent warming up.")] = 0.0
    warmup_ratio_high: Annotated[float, Field(ge=0, lt=1)] = 0.1
    weight_decay_low: Annotated[float, Field(ge=0, le=1, description="AdamW weight decay.")] = 0.0
    weight_decay_high: Annotated[float, Field(ge=0, le=1)] = 0.1
    effective_batch_sizes: Annotated[
        list[Annotated[int, Field(ge=1, le=4096)]],
        Field(min_length=1, description="Rows per optimizer step (batch × accumulation)."),
    ] = [8, 16, 32]

    @field_validator("eval_every_steps")
    @classmethod
    def _evals_within_a_trial(cls, value: int, info: ValidationInfo) -> int:
        steps = info.data.get("steps_per_trial")
        if info.data.get("pruning") and steps is not None and value >= steps:
            raise ValueError(
                f"must be below steps_per_trial ({steps}): pruning compares the eval losses measured during a trial"
            )
        return value

    @field_validator("learning_rate_high", "dropout_high", "warmup_ratio_high", "weight_decay_high")
    @classmethod
    def _high_not_below_low(cls, value: float, info: ValidationInfo) -> float:
        low = info.data.get(info.field_name.replace("_high", "_low"))
        if low is not None and value < low:
            raise ValueError(f"the high end ({value:g}) is below the low end ({low:g})")
        return value

    @field_validator("lora_r_choices", "lora_alpha_multipliers", "effective_batch_sizes")
    @classmethod
    def _each_once(cls, values: list) -> list:
        if len(set(values)) != len(values):
            raise ValueError(f"list each value once (got {', '.join(f'{v:g}' for v in values)})")
        return sorted(values)


def apply_params(base: RunConfig, params: dict) -> RunConfig:
    """`base` with a trial's parameters (as named in PARAMS) put in.

    The effective batch keeps the base's per-device batch where it divides the effective batch
    (their greatest common divisor otherwise) and makes up the rest with gradient accumulation.
    """
    r = int(params["lora_r"])
    per_device = math.gcd(int(params["effective_batch_size"]), base.hyperparameters.per_device_batch_size)
    data = base.model_dump()
    data["lora"] |= {
        "r": r,
        "alpha": lora_alpha(r, params["lora_alpha_multiplier"]),
        "dropout": params["lora_dropout"],
    }
    data["hyperparameters"] |= {
        "learning_rate": params["learning_rate"],
        "warmup_ratio": params["warmup_ratio"],
        "weight_decay": params["weight_decay"],
        "per_device_batch_size": per_device,
        "gradient_accumulation": int(params["effective_batch_size"]) // per_device,
    }
    return RunConfig.model_validate(data)


def lora_alpha(r: int, multiplier: float) -> int:
    return max(1, round(r * multiplier))


def suggest_config(trial: optuna.Trial, base: RunConfig, space: SearchSpace) -> RunConfig:
    """The configuration of one trial: parameters drawn by the sampler, a short training with frequent evals."""
    params = {
        "learning_rate": trial.suggest_float(
            "learning_rate", space.learning_rate_low, space.learning_rate_high, log=True
        ),
        "lora_r": trial.suggest_categorical("lora_r", space.lora_r_choices),
        "lora_alpha_multiplier": trial.suggest_categorical("lora_alpha_multiplier", space.lora_alpha_multipliers),
        "lora_dropout": trial.suggest_float("lora_dropout", space.dropout_low, space.dropout_high),
        "warmup_ratio": trial.suggest_float("warmup_ratio", space.warmup_ratio_low, space.warmup_ratio_high),
        "weight_decay": trial.suggest_float("weight_decay", space.weight_decay_low, space.weight_decay_high),
        "effective_batch_size": trial.suggest_categorical("effective_batch_size", space.effective_batch_sizes),
    }
    config = apply_params(base, params)
    short = config.hyperparameters.model_copy(
        update={"max_steps": space.steps_per_trial, "eval_every_steps": space.eval_every_steps}
    )
    return config.model_copy(update={"hyperparameters": short})


class SearchHooks(Hooks, Protocol):
    def on_trial(self, number: int | None, finished: int, total: int) -> None: ...  # before each trial; None at the end


@dataclass(frozen=True)
class SearchRequest:
    stage: StageRequest  # the stage to tune: base config, base model, full train and eval files
    space: SearchSpace
    work_dir: Path  # the subsample files and one directory per trial
    storage_url: str  # SQLAlchemy URL of the Optuna storage
    study_name: str
    heartbeat_seconds: int | None = None  # trials beat this often; None: no stale-trial detection


@dataclass
class SearchResult:
    cancelled: bool
    finished_trials: int
    best_trial: int | None
    best_value: float | None
    best_params: dict | None


@contextmanager
def open_storage(url: str, heartbeat_seconds: int | None = None) -> Iterator[optuna.storages.RDBStorage]:
    """An Optuna RDB storage whose connections are closed on exit (a test database can then be dropped)."""
    from optuna.storages import RDBStorage, RetryHeartbeatStaleTrialCallback

    engine_kwargs = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {"pool_pre_ping": True}
    beats = {}
    if heartbeat_seconds:
        beats = dict(
            heartbeat_interval=heartbeat_seconds,
            grace_period=3 * heartbeat_seconds,
            heartbeat_stale_trial_callback=RetryHeartbeatStaleTrialCallback(
                max_retry=2, inherit_intermediate_values=True
            ),
        )
    storage = RDBStorage(url, engine_kwargs=engine_kwargs, **beats)
    try:
        yield storage
    finally:
        storage.remove_session()
        storage.engine.dispose()


def finished_count(study: optuna.Study) -> int:
    from optuna.trial import TrialState

    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.PRUNED)))


def run_search(request: SearchRequest, hooks: SearchHooks) -> SearchResult:
    """Run trials until the study holds `n_trials` finished ones (or the caller cancels).

    A trial whose loss diverges is marked failed and does not count; any other training failure
    ends the search with that failure.
    """
    import optuna
    from optuna.trial import TrialState

    from jobs.pipeline.train.loop import run_stage

    space, base = request.space, request.stage.config
    if request.stage.eval_file is None:
        raise TrainingFailure(
            "bad_data",
            "The dataset version has no eval rows: a search minimises the eval loss.",
            "Pick a dataset version with an eval split (a larger import gets one).",
        )
    request.work_dir.mkdir(parents=True, exist_ok=True)
    seed = base.hyperparameters.seed
    stage = replace(
        request.stage,
        train_file=_subsample(
            request.stage.train_file, request.work_dir / "train-subsample.jsonl", space.subsample_rows, seed
        ),
        eval_file=_subsample(request.stage.eval_file, request.work_dir / "eval-subsample.jsonl", space.eval_rows, seed),
    )

    def objective(trial: optuna.Trial) -> float:
        config = suggest_config(trial, base, space)
        # A retried trial continues in the directory (and from the checkpoint) of the one it retries.
        number = _retried_trial_number(trial)
        output_dir = request.work_dir / "trials" / f"trial-{trial.number if number is None else number}"
        trial_hooks = _TrialHooks(trial, hooks)
        hooks.on_trial(trial.number, finished_count(trial.study), space.n_trials)
        hooks.log(f"trial {trial.number}: " + ", ".join(f"{k} {_short(v)}" for k, v in trial.params.items()))
        try:
            result = run_stage(replace(stage, config=config, output_dir=output_dir), trial_hooks)
        except TrainingFailure as failure:
            if failure.kind != "nan_loss":
                raise
            trial.set_user_attr("failure", failure.reason)
            hooks.log(f"trial {trial.number} failed: {failure.reason}")
            return math.nan  # Optuna marks the trial failed; the search goes on
        if trial_hooks.pruned:
            hooks.log(f"trial {trial.number} pruned at step {result.steps}")
            raise optuna.TrialPruned()
        if result.cancelled:
            trial.set_user_attr("failure", CANCELLED)
            raise _Cancelled()
        hooks.log(f"trial {trial.number}: eval loss {result.final_eval_loss:.4f}")
        return result.final_eval_loss

    with open_storage(request.storage_url, request.heartbeat_seconds) as storage:
        study = _study(storage, request)
        while (finished := finished_count(study)) < space.n_trials:
            failed = study.get_trials(deepcopy=False, states=(TrialState.FAIL,))
            diverged = [t for t in failed if t.user_attrs.get("failure") not in (None, CANCELLED)]
            if len(diverged) >= space.n_trials:
                raise TrainingFailure(
                    "nan_loss",
                    f"{len(diverged)} trials diverged (NaN or infinite loss).",
                    "Lower learning_rate_high, or keep some warmup.",
                )
            if hooks.should_stop():
                return _result(study, cancelled=True)
            try:
                study.optimize(objective, n_trials=1)
            except _Cancelled:
                return _result(study, cancelled=True)
        hooks.on_trial(None, finished, space.n_trials)
        return _result(study, cancelled=False)


def _study(storage, request: SearchRequest) -> optuna.Study:
    import optuna

    space = request.space
    pruner = (
        optuna.pruners.MedianPruner(n_startup_trials=space.pruning_startup_trials)
        if space.pruning
        else optuna.pruners.NopPruner()
    )
    study = optuna.create_study(
        storage=storage, study_name=request.study_name, direction="minimize", pruner=pruner, load_if_exists=True
    )
    study.sampler = optuna.samplers.TPESampler(
        # Offset by the trials already there: a restarted or second worker must not redraw the same startup points.
        seed=request.stage.config.hyperparameters.seed + len(study.get_trials(deepcopy=False)),
        n_startup_trials=min(MAX_RANDOM_STARTUP_TRIALS, max(2, space.n_trials // 3)),
    )
    return study


class _Cancelled(Exception):
    """The caller asked to stop: raised out of the objective so that Optuna ends the trial."""


class _TrialHooks:
    """The caller's hooks for one trial: eval losses go to Optuna, and a pruned trial stops at its next step."""

    def __init__(self, trial: optuna.Trial, outer: Hooks):
        self.trial, self.outer, self.pruned = trial, outer, False

    def on_progress(self, progress: Progress) -> None:
        if progress.eval_loss is not None:
            self.trial.report(progress.eval_loss, progress.step)
            self.pruned = self.trial.should_prune()
        self.outer.on_progress(progress)

    def should_stop(self) -> bool:
        return self.pruned or self.outer.should_stop()

    def log(self, line: str) -> None:
        self.outer.log(f"trial {self.trial.number}: {line}")


def _retried_trial_number(trial: optuna.Trial) -> int | None:
    import optuna

    frozen = next(t for t in trial.study.get_trials(deepcopy=False) if t.number == trial.number)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.storages.RetryHeartbeatStaleTrialCallback.retried_trial_number(frozen)


def _subsample(source: Path, target: Path, rows: int, seed: int) -> Path:
    """A seeded sample of `rows` lines of `source`, written once (the same sample for every trial and worker).

    Reservoir sampling: memory holds the sample, not the file."""
    if not target.exists():
        rng, sample = random.Random(f"search-{seed}"), []
        with open(source, encoding="utf-8") as f:
            for index, line in enumerate(f):
                if index < rows:
                    sample.append(line)
                elif (slot := rng.randrange(index + 1)) < rows:
                    sample[slot] = line
        write_text_atomic(target, "".join(sample))
    return target


def _result(study: optuna.Study, *, cancelled: bool) -> SearchResult:
    best = best_trial(study)
    return SearchResult(
        cancelled=cancelled,
        finished_trials=finished_count(study),
        best_trial=best.number if best else None,
        best_value=best.value if best else None,
        best_params=dict(best.params) if best else None,
    )


def best_trial(study: optuna.Study) -> optuna.trial.FrozenTrial | None:
    """The complete trial with the lowest eval loss, or None while no trial has completed."""
    try:
        return study.best_trial
    except ValueError:
        return None


def _short(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
