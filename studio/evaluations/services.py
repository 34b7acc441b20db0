"""Evaluation writes: create and queue an evaluation, claim it on a worker, run it, record the outcome.

A worker evaluates the base model and, for a run, the base model with the run's final adapter
on the dataset version's held-out split (jobs.pipeline.evaluate), compares them with the
template's release gates, and writes report.json and report.html into a temporary folder that
is then renamed into place. The row holds the same report for the pages.
"""

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs.pipeline.data.versions import EVAL
from studio.accounts.models import Team
from studio.audit.services import audit_record
from studio.basemodels.models import BaseModel
from studio.core.heartbeat import Heartbeat, stale_after
from studio.datasets.models import DatasetVersion
from studio.evaluations.models import Evaluation
from studio.evaluations.selectors import run_eval_version
from studio.industry.models import IndustryTemplate
from studio.runs.models import Run

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 1.0  # database writes of progress, at most this often (and at each new phase)
EFFICIENCY_EXAMPLES = 4  # requests per model timed one by one: batch-1 speed, latency, time to first token
DEFAULT_SUITE_TEMPLATE = "general"  # whose suite an evaluation without a template uses
PHASES = {  # pipeline phase -> words on the page, in the order the pipeline runs them
    "perplexity": "scoring perplexity",
    "generate": "generating answers",
    "efficiency": "timing single requests",
}


class EvaluationRefused(ValueError):
    """A request that cannot be evaluated as asked; the message says why in plain words."""


class EvaluationFailure(Exception):
    """The evaluation could not run; the message is shown on the evaluation as it is."""


def evaluation_check(*, base_model: BaseModel, dataset_version: DatasetVersion) -> None:
    """Raise EvaluationRefused unless the model is ready and the version has held-out chat rows."""
    if base_model.status != BaseModel.Status.READY:
        raise EvaluationRefused(f"{base_model} is not ready yet ({base_model.get_status_display().lower()}).")
    if dataset_version.kind != DatasetVersion.Kind.CHAT:
        raise EvaluationRefused(
            f"{dataset_version} holds {dataset_version.get_kind_display().lower()} rows; "
            "evaluation needs chat or instruction rows with answers to compare."
        )
    if not dataset_version.eval_count:
        raise EvaluationRefused(f"{dataset_version} has no held-out (eval) rows to evaluate on.")


def evaluation_create(
    *,
    team: Team,
    user: AbstractBaseUser | None,
    base_model: BaseModel,
    dataset_version: DatasetVersion,
    template: IndustryTemplate | None = None,
    run: Run | None = None,
    max_examples: int | None = None,
    max_new_tokens: int | None = None,
    enqueue: bool = True,
) -> Evaluation:
    """Create an evaluation (of a run's tuned adapter against its base, or of a base model alone)
    and queue it for a CPU worker after commit."""
    evaluation_check(base_model=base_model, dataset_version=dataset_version)
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            team=team,
            run=run,
            base_model=base_model,
            dataset_version=dataset_version,
            template=template,
            max_examples=max_examples,
            max_new_tokens=max_new_tokens,
            created_by=user,
        )
        audit_record(
            actor=user,
            team=team,
            action="evaluation.requested",
            target=evaluation,
            details={
                "run": run.pk if run else None,
                "base_model": base_model.name,
                "dataset_version": str(dataset_version),
                "template": str(template) if template else None,
            },
        )
        if enqueue:
            evaluation_enqueue(evaluation)
    return evaluation


def evaluation_create_for_run(*, run: Run, user: AbstractBaseUser | None, **options) -> Evaluation:
    """Evaluate a succeeded run's tuned adapter against its base model, with its template's suite and gates."""
    if run.status != Run.Status.SUCCEEDED:
        raise EvaluationRefused(f"Run #{run.pk} ({run}) has not succeeded; it has no tuned adapter to evaluate.")
    return evaluation_create(
        team=run.team,
        user=user,
        base_model=run.base_model,
        dataset_version=run_eval_version(run),
        template=run.template,
        run=run,
        **options,
    )


def evaluation_after_run(*, run: Run) -> Evaluation | None:
    """Queue the evaluation of a run that just succeeded. Never raises: the run succeeded whatever
    happens here, and the run page offers to evaluate again."""
    try:
        # Fresh from the database: the caller's copy predates the status it just wrote.
        run = Run.objects.select_related("team", "base_model", "template").get(pk=run.pk)
        return evaluation_create_for_run(run=run, user=None)
    except EvaluationRefused as refused:
        logger.warning("Run %s is not evaluated: %s", run.pk, refused)
    except Exception:
        logger.exception("Could not queue the evaluation of run %s", run.pk)
    return None


def evaluation_enqueue(evaluation: Evaluation) -> None:
    from jobs.tasks import evaluate

    transaction.on_commit(lambda: evaluate.delay(evaluation.pk))


def evaluation_claim(*, evaluation_id: int) -> bool:
    """Conditional update: only one worker moves a queued evaluation to running, or takes over a
    running one whose worker died (stale heartbeat); that one starts over."""
    now = timezone.now()
    queued = Q(status=Evaluation.Status.QUEUED)
    abandoned = Q(status=Evaluation.Status.RUNNING) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - stale_after())
    )
    return bool(
        Evaluation.objects.filter(queued | abandoned, pk=evaluation_id).update(
            status=Evaluation.Status.RUNNING, started_at=now, heartbeat_at=now, phase="starting", progress_done=0
        )
    )


def evaluations_recover_stale() -> list[int]:
    """Queue again every running evaluation whose worker stopped beating; a worker starts it over."""
    from jobs.tasks import evaluate

    cutoff = timezone.now() - stale_after()
    stale = list(
        Evaluation.objects.filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True), status=Evaluation.Status.RUNNING
        ).values_list("pk", flat=True)
    )
    for evaluation_id in stale:
        evaluate.delay(evaluation_id)
    return stale


def evaluation_dir(evaluation: Evaluation) -> Path:
    root = Path(settings.ARTIFACTS_ROOT)
    if evaluation.run_id:
        return root / "runs" / str(evaluation.run_id) / f"evaluation-{evaluation.pk}"
    return root / "evaluations" / str(evaluation.pk)


def evaluation_execute(*, evaluation_id: int) -> Evaluation:
    """Run a claimed evaluation to its end state (succeeded or failed, with the reason in words)."""
    evaluation = Evaluation.objects.select_related("team", "run", "base_model", "dataset_version", "template").get(
        pk=evaluation_id
    )
    try:
        with Heartbeat(Evaluation, evaluation.pk):
            report = _evaluate(evaluation)
        target = evaluation_dir(evaluation)
        _write_report_files(target, report, _report_html(evaluation, report))
    except Exception as exc:
        if not isinstance(exc, EvaluationFailure):
            logger.exception("Evaluation %s failed", evaluation.pk)
        _finish(evaluation, Evaluation.Status.FAILED, error=_plain_error(evaluation, exc))
    else:
        _finish(evaluation, Evaluation.Status.SUCCEEDED, report=report, report_dir=str(target))
    evaluation.refresh_from_db()
    return evaluation


def _template_evaluation(evaluation: Evaluation) -> dict:
    """Suite, JSON fields and gates of the evaluation's template (release gates without unset rules)."""
    from jobs.pipeline.evaluate import SUITES

    spec = evaluation.template.spec["evaluation"] if evaluation.template else {"suite": SUITES[DEFAULT_SUITE_TEMPLATE]}
    gates = {
        metric: {rule: threshold for rule, threshold in rules.items() if threshold is not None}
        for metric, rules in spec.get("gates", {}).items()
    }
    return {
        "suite": spec["suite"],
        "json_fields": spec.get("json_fields") or None,
        "gates": {metric: rules for metric, rules in gates.items() if rules},
    }


def _evaluate(evaluation: Evaluation) -> dict:
    """Evaluate the model(s) and return the report data stored on the row and in report.json."""
    from jobs.pipeline.evaluate import compare, evaluate_model
    from jobs.pipeline.evaluate.evaluate import load_eval_rows
    from jobs.pipeline.evaluate.report import describe
    from studio.runs.training import final_adapter_dir

    chosen = _template_evaluation(evaluation)
    eval_file = Path(evaluation.dataset_version.path) / EVAL
    base_dir = Path(evaluation.base_model.local_path or "/nonexistent")
    if not (base_dir / "config.json").exists():
        raise EvaluationFailure(
            f"The files of base model {evaluation.base_model} are missing ({base_dir}). "
            "A site admin can prepare the base model again from the admin."
        )
    models = [("base", None)]
    if evaluation.run:
        adapter_dir = final_adapter_dir(evaluation.run)
        if not (adapter_dir / "adapter_config.json").exists():
            raise EvaluationFailure(
                f"The tuned adapter of run #{evaluation.run_id} is missing ({adapter_dir}); "
                "its artifacts were moved or deleted. Train the run again to evaluate it."
            )
        models.append(("tuned", adapter_dir))
    max_examples = evaluation.max_examples or settings.EVAL_MAX_EXAMPLES or None  # 0: the whole split
    max_new_tokens = evaluation.max_new_tokens or settings.EVAL_MAX_NEW_TOKENS
    n_examples = len(load_eval_rows(eval_file, max_examples))
    if not n_examples:
        raise EvaluationFailure(
            f"{evaluation.dataset_version} has no held-out rows with an assistant answer to compare against."
        )
    progress = _ProgressWriter(
        evaluation.pk,
        labels=[label for label, _ in models],
        phase_sizes={
            "perplexity": n_examples if "perplexity" in chosen["suite"] else 0,
            "generate": n_examples,
            "efficiency": min(EFFICIENCY_EXAMPLES, n_examples),
        },
    )
    results = {}
    for index, (label, adapter_dir) in enumerate(models):
        progress.loading(index)
        results[label] = evaluate_model(
            base_dir,
            eval_file,
            adapter_dir=adapter_dir,
            suite=chosen["suite"],
            json_fields=chosen["json_fields"],
            max_examples=max_examples,
            max_new_tokens=max_new_tokens,
            efficiency_examples=EFFICIENCY_EXAMPLES,
            gpu_hour_price=settings.EVAL_GPU_HOUR_PRICE,
            on_progress=progress.reporter(index),
        )
    gain_metric = "rouge_l" if "rouge_l" in chosen["suite"] else chosen["suite"][0]
    base, tuned = results["base"], results.get("tuned")
    if tuned:
        report = compare(base, tuned, chosen["gates"], gain_metric=gain_metric)
        report.tuned_label = f"#{evaluation.run_id} {evaluation.run.name}"
    else:
        report = describe(base, gain_metric=gain_metric)
    report.base_label = evaluation.base_model.name
    return evaluation_report_data(
        report,
        results,
        gate_rules=chosen["gates"],
        dataset_version=str(evaluation.dataset_version),
        template=str(evaluation.template) if evaluation.template else None,
    )


def evaluation_report_data(report, results: dict, **extra) -> dict:
    """The report as stored (row and report.json): `report.to_dict()`, each model's efficiency figures
    and scored-row counts under "efficiency"/"applicable" (keys "base", "tuned"), and `extra`; JSON-ready."""
    from jobs.pipeline.evaluate.report import json_ready

    return json_ready(
        report.to_dict()
        | {
            "efficiency": {label: result.efficiency for label, result in results.items()},
            "applicable": {label: result.applicable for label, result in results.items()},
        }
        | extra
    )


class _ProgressWriter:
    """One progress bar over every phase of every model, written at most once a second."""

    def __init__(self, evaluation_id: int, *, labels: list[str], phase_sizes: dict[str, int]):
        self.evaluation_id, self.labels = evaluation_id, labels
        self.per_model = sum(phase_sizes.values())
        # Examples done before each phase starts, within one model's share of the bar.
        self.offsets = {name: sum(phase_sizes[p] for p in list(PHASES)[:i]) for i, name in enumerate(PHASES)}
        self.phase, self.last = "", 0.0

    def loading(self, index: int) -> None:
        self.write(f"{self.labels[index]} model: loading", index * self.per_model)

    def reporter(self, index: int):
        def on_progress(phase: str, done: int, total: int) -> None:
            done += index * self.per_model + self.offsets[phase]
            self.write(f"{self.labels[index]} model: {PHASES[phase]}", done)

        return on_progress

    def write(self, phase: str, done: int) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < PROGRESS_INTERVAL_S:
            return
        self.phase, self.last = phase, now
        Evaluation.objects.filter(pk=self.evaluation_id).update(
            phase=phase,
            progress_done=done,
            progress_total=self.per_model * len(self.labels),
            progress_unit="examples",
        )


def _report_html(evaluation: Evaluation, data: dict) -> str:
    from jobs.pipeline.evaluate.report import GateResult, Report

    report = Report(
        suite=data["suite"],
        table=data["table"],
        gates=[GateResult(**g) for g in data["gates"]],
        pairs=data["pairs"],
        gain_metric=data["gain_metric"],
        base_label=data["labels"]["base"],
        tuned_label=data["labels"]["tuned"],
        settings=data["settings"],
    )
    return report.to_html(title=f"{evaluation} on {evaluation.dataset_version}")


def _write_report_files(target: Path, data: dict, html: str) -> None:
    """report.json and report.html, written in a temporary folder beside `target`, then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        (work / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        (work / "report.html").write_text(html, encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)  # left by an earlier attempt of this evaluation
        os.rename(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _plain_error(evaluation: Evaluation, exc: Exception) -> str:
    if isinstance(exc, EvaluationFailure):
        return str(exc)
    if isinstance(exc, MemoryError) or "out of memory" in str(exc).lower():
        return (
            "The worker ran out of memory while evaluating. Run the CPU worker on a machine with more "
            "memory, or evaluate shorter answers (EVAL_MAX_NEW_TOKENS)."
        )
    return (
        f"The evaluation stopped on an unexpected error ({type(exc).__name__}: {exc}). "
        f"If the cause is not clear, report evaluation #{evaluation.pk} to your site admin."
    )


def _finish(evaluation: Evaluation, status: str, *, error: str = "", report=None, report_dir: str = "") -> None:
    with transaction.atomic():
        fields = {"status": status, "finished_at": timezone.now(), "error": error, "phase": ""}
        if report is not None:
            fields |= {"report": report, "report_dir": report_dir, "progress_done": F("progress_total")}
        Evaluation.objects.filter(pk=evaluation.pk).update(**fields)
        audit_record(
            actor=None,
            team=evaluation.team,
            action=f"evaluation.{status}",
            target=evaluation,
            details={"passed": report.get("passed")} if report else {"error": error[:500]},
        )
