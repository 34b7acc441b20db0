"""Hyperparameter search runs (seed 2.3.2): validation, the worker's side, the page's reads and
launching the best configuration.

A run of kind "search" keeps its base RunConfig in `config` and its SearchSpace in
`search_space`. Its worker runs `jobs.pipeline.search` on the study `studio-run-<id>`, kept by
Optuna's RDB storage in the studio's own database (Optuna's tables beside Django's): the study
outlives the worker, and the page reads the trials from there.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone
from pydantic import ValidationError

from jobs.pipeline.config import RunConfig, config_errors
from jobs.pipeline.search import SearchSpace, apply_params, lora_alpha, open_storage
from jobs.pipeline.train.types import Progress, StageRequest
from studio.accounts.models import Team
from studio.audit.services import audit_record
from studio.datasets.models import DatasetVersion
from studio.runs.models import Run
from studio.runs.services import RunActionRefused, RunConfigInvalid, run_config_validate, run_create
from studio.runs.training import RunHooks, run_dir

# Parameter importances need a few completed trials; below this the page says so.
MIN_TRIALS_FOR_IMPORTANCE = 3
# Short names of jobs.pipeline.search.PARAMS, for the importance chart's axis.
PARAM_LABELS = {
    "learning_rate": "lr",
    "lora_r": "r",
    "lora_alpha_multiplier": "alpha/r",
    "lora_dropout": "dropout",
    "warmup_ratio": "warmup",
    "weight_decay": "decay",
    "effective_batch_size": "batch",
}
# Trial state -> the run status whose badge colour it shares.
STATE_BADGES = {"complete": "succeeded", "running": "running", "pruned": "queued", "fail": "failed"}


def study_name(run: Run) -> str:
    return f"studio-run-{run.pk}"


def optuna_storage_url(db: dict | None = None) -> str:
    """SQLAlchemy URL of a Django database's settings (default: the default database; under pytest, its test one)."""
    from sqlalchemy.engine import URL

    db = db or connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"].endswith("postgresql"):
        url = URL.create(
            "postgresql+psycopg",
            username=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=int(db["PORT"]) if db["PORT"] else None,
            database=db["NAME"],
        )
        return url.render_as_string(hide_password=False)
    raise ImproperlyConfigured(f"Hyperparameter search keeps its study in SQLite or PostgreSQL, not {db['ENGINE']}.")


def search_config_validate(data: dict, space_data: dict, *, team: Team) -> tuple[RunConfig, SearchSpace]:
    """The base configuration and the search space, or RunConfigInvalid with every problem of both.

    Space problems are keyed "search.<field>"."""
    errors: dict[str, str] = {}
    config = space = None
    try:
        config = run_config_validate(data, team=team)
    except RunConfigInvalid as invalid:
        errors |= invalid.errors
    try:
        space = SearchSpace.model_validate(space_data)
    except ValidationError as exc:
        errors |= {f"search.{key}": message for key, message in config_errors(exc).items()}
    if len(stages := data.get("stages") or []) > 1:
        errors["stages"] = f"A search tunes one stage; {len(stages)} are chosen."
    elif config is not None:
        version = DatasetVersion.objects.get(team=team, pk=config.stages[0].dataset_version)
        if not version.eval_count:
            errors["stages.0.dataset_version"] = (
                f"{version} has no eval rows: a search minimises the eval loss. Pick a larger version."
            )
    if errors:
        raise RunConfigInvalid(errors)
    return config, space


class SearchRunHooks(RunHooks):
    """The run row counts finished trials; `latest` holds the current trial's step."""

    def __init__(self, run: Run):
        super().__init__(run, 0, 1)
        self.trial: int | None = None

    def on_trial(self, number: int | None, finished: int, total: int) -> None:
        self.trial = number
        Run.objects.filter(pk=self.run.pk).update(
            progress_done=finished, progress_total=total, progress_unit="trials", heartbeat_at=timezone.now()
        )

    def progress_fields(self, progress: Progress) -> dict:
        return {"latest": progress.to_dict() | {"trial": self.trial}}


def search_train(run: Run, stage: StageRequest) -> tuple[str, dict]:
    """Run the search of a claimed run (called by run_train); returns the end status and its audit details."""
    from jobs.pipeline.search import SearchRequest, run_search

    space = SearchSpace.model_validate(run.search_space)
    request = SearchRequest(
        stage=stage,
        space=space,
        work_dir=run_dir(run) / "search",
        storage_url=optuna_storage_url(),
        study_name=study_name(run),
        heartbeat_seconds=max(1, round(settings.RUN_HEARTBEAT_SECONDS)),
    )
    hooks = SearchRunHooks(run)
    hooks.log(f"search: {space.n_trials} trials of {space.steps_per_trial} steps on {space.subsample_rows} rows")
    result = run_search(request, hooks)
    details = {
        "finished_trials": result.finished_trials,
        "best_trial": result.best_trial,
        "best_eval_loss": result.best_value,
    }
    return (Run.Status.CANCELLED if result.cancelled else Run.Status.SUCCEEDED), details


def _load_study(run: Run, storage):
    import optuna

    try:
        return optuna.load_study(study_name=study_name(run), storage=storage)
    except KeyError:  # the worker has not started the search yet
        return None


def search_overview(run: Run) -> dict:
    """What the search page shows: the trials, the best trial, best value over trials, importances."""
    from optuna.importance import PedAnovaImportanceEvaluator, get_param_importances
    from optuna.trial import TrialState

    from jobs.pipeline.search import best_trial

    facts = {"min_trials": MIN_TRIALS_FOR_IMPORTANCE}
    with open_storage(optuna_storage_url()) as storage:
        study = _load_study(run, storage)
        if study is None:
            return {"trials": [], "best": None, "best_series": [], "importances": None, "completed": 0} | facts
        trials = study.get_trials(deepcopy=False)
        best = best_trial(study)
        completed = [t for t in trials if t.state == TrialState.COMPLETE]
        importances = None
        if len(completed) >= MIN_TRIALS_FOR_IMPORTANCE:
            # PED-ANOVA needs only numpy (fANOVA, the default, would need scikit-learn).
            shares = get_param_importances(study, evaluator=PedAnovaImportanceEvaluator())
            importances = {
                "labels": [PARAM_LABELS.get(name, name) for name in shares],
                "values": [round(share, 3) for share in shares.values()],
            }
    best_so_far, points, values = None, [], []
    for trial in completed:
        best_so_far = trial.value if best_so_far is None else min(best_so_far, trial.value)
        points.append((trial.number, best_so_far))
        values.append((trial.number, trial.value))
    return {
        "trials": [_trial_row(t) for t in reversed(trials)],
        "best": _trial_row(best) if best else None,
        "best_series": [
            {"name": "best eval loss so far", "points": points},
            {"name": "trial eval loss", "points": values},
        ],
        "importances": importances,
        "completed": len(completed),
    } | facts


def _trial_row(trial) -> dict:
    from optuna.trial import TrialState

    last_step = max(trial.intermediate_values, default=None)
    end = trial.datetime_complete or (timezone.now() if trial.state == TrialState.RUNNING else None)
    duration = end - trial.datetime_start if end and trial.datetime_start else None
    state = trial.state.name.lower()
    params = trial.params
    return {
        "number": trial.number,
        "state": state,
        "badge": STATE_BADGES.get(state, ""),
        "params": params,
        "alpha": lora_alpha(params["lora_r"], params["lora_alpha_multiplier"]) if "lora_r" in params else None,
        "last_step": last_step,
        "last_intermediate": trial.intermediate_values[last_step] if last_step is not None else None,
        "reports": len(trial.intermediate_values),
        "value": trial.value,
        "seconds": duration / timedelta(seconds=1) if duration else None,
        "failure": trial.user_attrs.get("failure", ""),
    }


def search_launch_best(*, run: Run, user: AbstractBaseUser) -> Run:
    """A normal training run on the full dataset with the best trial's parameters, queued."""
    from jobs.pipeline.search import best_trial

    if run.kind != Run.Kind.SEARCH:
        raise RunActionRefused(f"Run #{run.pk} is not a hyperparameter search.")
    with open_storage(optuna_storage_url()) as storage:
        study = _load_study(run, storage)
        best = best_trial(study) if study is not None else None
    if best is None:
        raise RunActionRefused(
            f"No trial of search #{run.pk} has completed yet: there is no best configuration to launch."
        )
    base = RunConfig.model_validate(run.config)
    name = f"{run.name} · best of search #{run.pk}"[:100]
    data = apply_params(base, best.params).model_dump(mode="json") | {"name": name}
    try:
        config = run_config_validate(data, team=run.team)
    except RunConfigInvalid as invalid:
        raise RunActionRefused(f"The best configuration cannot run now: {invalid}") from None
    with transaction.atomic():
        launched = run_create(team=run.team, user=user, config=config, priority=run.priority)
        audit_record(
            actor=user,
            team=run.team,
            action="run.search_best_launched",
            target=run,
            details={"trial": best.number, "eval_loss": best.value, "params": best.params, "run": launched.pk},
        )
    return launched
