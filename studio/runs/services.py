"""Run writes: validate a configuration against the team's data, create the run, queue it.

The form, `run_recipe` and the API all call `run_config_validate`, so a mistake gets the same
message wherever it was made.
"""

import importlib.util

import yaml
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from pydantic import ValidationError

from jobs.pipeline.config import STAGE_DATA_KIND, RunConfig, config_errors
from jobs.pipeline.lora import LoraChoiceError, lora_estimate
from jobs.pipeline.search import SearchSpace
from studio.accounts.models import Team
from studio.audit.services import audit_record
from studio.basemodels.models import BaseModel
from studio.datasets.models import DatasetVersion
from studio.industry.selectors import template_latest
from studio.runs.models import Run


class RunConfigInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def qlora_available() -> tuple[bool, str]:
    """QLoRA needs CUDA and bitsandbytes on the machine that trains; this checks the one running this code."""
    import torch

    if not torch.cuda.is_available():
        return False, "QLoRA 4-bit needs a CUDA GPU; this studio has none."
    if importlib.util.find_spec("bitsandbytes") is None:
        return False, "QLoRA 4-bit needs the bitsandbytes package on the GPU workers."
    return True, ""


def run_config_validate(data: dict, *, team: Team) -> RunConfig:
    """A RunConfig from plain data, checked against the team's datasets and the registry.

    Raises RunConfigInvalid with {"dotted.key": "message"}.
    """
    try:
        config = RunConfig.model_validate(data)
    except ValidationError as exc:
        raise RunConfigInvalid(config_errors(exc)) from None
    errors: dict[str, str] = {}
    if template_latest(config.template) is None:
        errors["template"] = f"No template {config.template!r}."
    base_model = BaseModel.objects.filter(name=config.base_model).first()
    if base_model is None:
        errors["base_model"] = f"No base model {config.base_model!r} in the registry."
    elif base_model.status != BaseModel.Status.READY:
        errors["base_model"] = f"{base_model} is not ready yet ({base_model.get_status_display().lower()})."
    else:
        missing = sorted(set(config.lora.target_modules) - set(base_model.linear_module_names))
        if missing:
            errors["lora.target_modules"] = (
                f"{base_model} has no {', '.join(missing)}; it has {', '.join(base_model.linear_module_names)}."
            )
        else:
            try:
                lora_estimate(base_model.config, config.lora)
            except LoraChoiceError as exc:
                errors["lora.target_modules"] = str(exc)
    for index, stage in enumerate(config.stages):
        key = f"stages.{index}.dataset_version"
        version = DatasetVersion.objects.filter(team=team, pk=stage.dataset_version).first()
        if version is None:
            errors[key] = f"No dataset version {stage.dataset_version} in {team}."
        elif not version.is_approved:
            errors[key] = f"{version} is not approved for training yet."
        elif version.kind != STAGE_DATA_KIND[stage.kind]:
            errors[key] = (
                f"The {stage.kind} stage needs {STAGE_DATA_KIND[stage.kind]} data; {version} holds {version.kind} rows."
            )
    if config.continual.from_run is not None:
        source = Run.objects.filter(team=team, pk=config.continual.from_run).first()
        if source is None:
            errors["continual.from_run"] = f"No run {config.continual.from_run} in {team}."
        elif source.status != Run.Status.SUCCEEDED:
            errors["continual.from_run"] = (
                f"Run {source.pk} ({source}) has not succeeded; it has no adapter to start from."
            )
    if config.lora.qlora_4bit and not (available := qlora_available())[0]:
        errors["lora.qlora_4bit"] = available[1]
    if errors:
        raise RunConfigInvalid(errors)
    return config


def run_config_from_yaml(text: str, *, team: Team) -> RunConfig:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RunConfigInvalid({"yaml": f"not valid YAML ({exc})"}) from None
    if not isinstance(data, dict):
        raise RunConfigInvalid({"yaml": "a recipe is a mapping of keys (name, template, base_model, stages, …)"})
    return run_config_validate(data, team=team)


def run_config_to_yaml(config: dict) -> str:
    header = "# Studio run recipe. Run it with: python manage.py run_recipe THIS_FILE --team TEAM\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


@transaction.atomic
def run_create(
    *,
    team: Team,
    user: AbstractBaseUser | None,
    config: RunConfig,
    priority: int = 5,
    search_space: SearchSpace | None = None,
) -> Run:
    """Create a run from a validated configuration, freeze what it points at, and queue it.

    With a `search_space` the run is a hyperparameter search around `config` (studio.runs.search)."""
    template = template_latest(config.template)
    base_model = BaseModel.objects.get(name=config.base_model)
    versions = list(DatasetVersion.objects.filter(team=team, pk__in=[s.dataset_version for s in config.stages]))
    frozen = {
        "template": {"name": template.name, "version": template.version},
        "base_model": {
            "name": base_model.name,
            "architecture": base_model.architecture,
            "parameter_count": base_model.parameter_count,
            "local_path": base_model.local_path,
            "weights_sha256": base_model.weights_sha256,
        },
        "dataset_versions": {
            str(v.pk): {"dataset": v.dataset.name, "number": v.number, "sha256": v.sha256} for v in versions
        },
    }
    run = Run.objects.create(
        team=team,
        name=config.name,
        template=template,
        base_model=base_model,
        config=config.model_dump(mode="json"),
        frozen=frozen,
        priority=priority,
        created_by=user,
        continued_from_id=config.continual.from_run,
        kind=Run.Kind.SEARCH if search_space else Run.Kind.TRAIN,
        search_space=search_space.model_dump(mode="json") if search_space else {},
    )
    run.dataset_versions.set(versions)
    audit_record(
        actor=user,
        team=team,
        action="run.launched",
        target=run,
        details={"template": f"{template.name} v{template.version}", "base_model": base_model.name, "kind": run.kind},
    )
    run_enqueue(run)
    return run


def run_enqueue(run: Run) -> None:
    """Hand the run to the training queue after commit (the training task claims it)."""
    from jobs.tasks import train_run

    transaction.on_commit(lambda: train_run.apply_async((run.pk,), priority=run.priority))


class RunActionRefused(ValueError):
    """The action does not apply to the run in its current state; the message says why."""


def run_cancel(*, run: Run, user: AbstractBaseUser) -> str:
    """Cancel a queued run at once, or ask a running one to stop at its next step boundary."""
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.is_finished:
            raise RunActionRefused(f"Run #{run.pk} has already {run.get_status_display().lower()}; nothing to cancel.")
        if run.cancel_requested:
            raise RunActionRefused(
                f"Cancelling run #{run.pk} was already asked for; the worker stops at its next step."
            )
        if run.status == Run.Status.QUEUED:
            Run.objects.filter(pk=run.pk).update(status=Run.Status.CANCELLED, cancel_requested=True)
            outcome = f"Run #{run.pk} was cancelled before it started."
        else:
            Run.objects.filter(pk=run.pk).update(cancel_requested=True)
            outcome = f"Run #{run.pk} stops at its next step and keeps its last checkpoint."
        audit_record(
            actor=user, team=run.team, action="run.cancel_requested", target=run, details={"status": run.status}
        )
    return outcome


def run_resume(*, run: Run, user: AbstractBaseUser) -> str:
    """Queue a cancelled run again: it resumes from its last checkpoint."""
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.status != Run.Status.CANCELLED:
            raise RunActionRefused(
                f"Run #{run.pk} is {run.get_status_display().lower()}: only a cancelled run can be resumed."
            )
        Run.objects.filter(pk=run.pk).update(status=Run.Status.QUEUED, cancel_requested=False, finished_at=None)
        audit_record(actor=user, team=run.team, action="run.resumed", target=run, details={"by": "user"})
        run.refresh_from_db()
        run_enqueue(run)
    return f"Run #{run.pk} is queued again and resumes from its last checkpoint."
