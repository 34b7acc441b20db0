"""Running a run on a training worker: claim the row, train each stage through the plain-Python
pipeline, report progress, honour cancel, explain failures, and recover runs whose worker died.

The Run row is the source of truth. A task claims it with a conditional update; a heartbeat
thread keeps `heartbeat_at` fresh while the worker lives, so a run whose heartbeat went stale
belongs to a dead worker and may be claimed again: the pipeline resumes it from its last
checkpoint (finished stages are skipped).
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs.pipeline.config import RunConfig
from jobs.pipeline.data.versions import EVAL, TRAIN
from jobs.pipeline.train.types import Progress, StageRequest, StageResult, TrainingFailure
from studio.audit.services import audit_record
from studio.core.heartbeat import Heartbeat, stale_after
from studio.datasets.models import DatasetVersion
from studio.evaluations.services import evaluation_after_run
from studio.runs.models import Run

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 2.0  # database writes of progress, at most this often
CANCEL_CHECK_INTERVAL_S = 1.0
LOG_TAIL_LINES = 40


def run_dir(run: Run) -> Path:
    return Path(settings.ARTIFACTS_ROOT) / "runs" / str(run.pk)


def run_log_path(run: Run) -> Path:
    return run_dir(run) / "run.log"


def run_claim(*, run_id: int) -> bool:
    """Queued → running when the team has room; or take over a running run whose worker died."""
    now = timezone.now()
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id).select_related("team").first()
        if run is None:
            return False
        stale = run.status == Run.Status.RUNNING and (
            run.heartbeat_at is None or run.heartbeat_at < now - stale_after()
        )
        if run.status == Run.Status.QUEUED:
            running = Run.objects.filter(team=run.team, status=Run.Status.RUNNING).exclude(pk=run.pk).count()
            if running >= run.team.max_concurrent_runs:
                return False
        elif not stale:
            return False
        Run.objects.filter(pk=run.pk).update(
            status=Run.Status.RUNNING,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            started_at=run.started_at or now,
            output_dir=str(run_dir(run)),
        )
        if stale:
            audit_record(
                actor=None,
                team=run.team,
                action="run.resumed",
                target=run,
                details={"reason": "worker lost; resuming from the last checkpoint"},
            )
    return True


class RunHooks:
    """How the pipeline reports to the run row: throttled progress, cancel checks, the log file."""

    def __init__(self, run: Run, stage_index: int, stage_count: int):
        self.run, self.stage_index, self.stage_count = run, stage_index, stage_count
        self.last_progress = self.last_cancel_check = 0.0
        self.cancel = False
        self.log_file = run_log_path(run)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)

    def on_progress(self, progress: Progress) -> None:
        now = time.monotonic()
        last = progress.step >= progress.total_steps
        if now - self.last_progress < PROGRESS_INTERVAL_S and not last and progress.eval_loss is None:
            return
        self.last_progress = now
        Run.objects.filter(pk=self.run.pk).update(**self.progress_fields(progress), heartbeat_at=timezone.now())

    def progress_fields(self, progress: Progress) -> dict:
        """What a step writes to the run row (a search counts trials instead: studio.runs.search)."""
        return {
            "progress_done": progress.step,
            "progress_total": progress.total_steps,
            "progress_unit": "steps",
            "latest": progress.to_dict() | {"stage_index": self.stage_index, "stage_count": self.stage_count},
        }

    def should_stop(self) -> bool:
        now = time.monotonic()
        if not self.cancel and now - self.last_cancel_check >= CANCEL_CHECK_INTERVAL_S:
            self.last_cancel_check = now
            self.cancel = Run.objects.filter(pk=self.run.pk, cancel_requested=True).exists()
        return self.cancel

    def log(self, line: str) -> None:
        with open(self.log_file, "a", encoding="utf-8") as f:
            f.write(f"{timezone.now():%H:%M:%S} {line.rstrip()}\n")


def _stage_requests(run: Run) -> list[StageRequest]:
    """One request per stage; each stage starts from the previous stage's adapter."""
    config = RunConfig.model_validate(run.config)
    base_dir = Path(run.base_model.local_path) if run.base_model.local_path else Path("/nonexistent")
    start_adapter, replay_file = None, None
    if config.continual.from_run:
        source = Run.objects.get(pk=config.continual.from_run, team=run.team)
        start_adapter = final_adapter_dir(source)
        source_config = RunConfig.model_validate(source.config)
        source_version = DatasetVersion.objects.filter(pk=source_config.stages[-1].dataset_version).first()
        if config.continual.replay_fraction and source_version:
            replay_file = Path(source_version.path) / TRAIN
    requests = []
    for index, stage in enumerate(config.stages):
        version = DatasetVersion.objects.get(pk=stage.dataset_version, team=run.team)
        eval_file = Path(version.path) / EVAL
        output_dir = run_dir(run) / f"stage-{index}-{stage.kind}"
        requests.append(
            StageRequest(
                config=config,
                stage_index=index,
                base_model_dir=base_dir,
                train_file=Path(version.path) / TRAIN,
                eval_file=eval_file if eval_file.stat().st_size else None,
                output_dir=output_dir,
                start_adapter_dir=start_adapter,
                replay_file=replay_file if index == len(config.stages) - 1 else None,
            )
        )
        start_adapter = output_dir / "adapter"
    return requests


def final_adapter_dir(run: Run) -> Path:
    config = RunConfig.model_validate(run.config)
    last = len(config.stages) - 1
    return run_dir(run) / f"stage-{last}-{config.stages[last].kind}" / "adapter"


def train_stage(request: StageRequest, hooks: RunHooks) -> StageResult:
    """One stage in this process, or data-parallel in TRAIN_PROCESSES processes through torchrun
    (DPO stages always train in this process)."""
    if settings.TRAIN_PROCESSES > 1 and request.stage.kind != "dpo":
        from jobs.pipeline.train.launch import run_stage_in_processes

        return run_stage_in_processes(request, hooks, processes=settings.TRAIN_PROCESSES)
    from jobs.pipeline.train.loop import run_stage

    return run_stage(request, hooks)


def run_train(*, run_id: int) -> None:
    """Claim the run and train it to an end state (called by the Celery task)."""
    if not run_claim(run_id=run_id):
        logger.info("Run %s is not claimable now (finished, running elsewhere, or its team is at its limit).", run_id)
        _requeue_if_waiting(run_id)
        return
    run = Run.objects.select_related("base_model", "team").get(pk=run_id)
    heartbeat = Heartbeat(Run, run.pk)
    heartbeat.start()
    try:
        requests = _stage_requests(run)
        if run.kind == Run.Kind.SEARCH:
            from studio.runs.search import search_train

            status, details = search_train(run, requests[0])
            _finish(run, status, details=details)
            _enqueue_waiting(run)
            return
        result: StageResult | None = None
        for index, request in enumerate(requests):
            Run.objects.filter(pk=run.pk).update(stage=request.stage.kind)
            hooks = RunHooks(run, index, len(requests))
            hooks.log(f"stage {index + 1}/{len(requests)}: {request.stage.kind} on {request.train_file.parent.name}")
            result = train_stage(request, hooks)
            if result.cancelled:
                _finish(run, Run.Status.CANCELLED, details={"step": result.steps})
                _enqueue_waiting(run)  # a cancelled run frees its team's slot too
                return
        _finish(
            run,
            Run.Status.SUCCEEDED,
            details={
                "final_loss": result.final_loss,
                "first_loss": result.first_loss,
                "final_eval_loss": result.final_eval_loss,
            },
        )
        _enqueue_waiting(run)
        evaluation_after_run(run=run)  # never raises: the run has succeeded whatever the evaluation does
    except TrainingFailure as failure:
        _finish(run, Run.Status.FAILED, kind=failure.kind, reason=failure.reason, fix=failure.fix)
        _enqueue_waiting(run)
    except Exception as exc:
        logger.exception("Run %s failed", run.pk)
        _finish(
            run,
            Run.Status.FAILED,
            kind="unknown",
            reason=f"{type(exc).__name__}: {exc}",
            fix="Read the log below; if the cause is not clear, report the run id to your site admin.",
        )
        _enqueue_waiting(run)
    finally:
        heartbeat.stopped.set()


def _finish(run: Run, status: str, *, kind: str = "", reason: str = "", fix: str = "", details=None) -> None:
    with transaction.atomic():
        Run.objects.filter(pk=run.pk).update(
            status=status,
            finished_at=timezone.now(),
            failure_kind=kind,
            failure_reason=reason,
            failure_fix=fix,
        )
        audit_record(
            actor=None,
            team=run.team,
            action=f"run.{status}",
            target=run,
            details=(details or {}) | ({"reason": reason} if reason else {}),
        )
    RunHooks(run, 0, 0).log(f"run {status}" + (f": {reason}" if reason else ""))


def _requeue_if_waiting(run_id: int) -> None:
    """A queued run that found its team at the limit waits in the queue and tries again later."""
    from jobs.tasks import train_run

    run = Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).first()
    if run is not None:
        train_run.apply_async((run.pk,), countdown=settings.RUN_WAIT_RETRY_SECONDS, priority=run.priority)


def _enqueue_waiting(finished: Run) -> None:
    """A slot of the team is free: hand the next queued run (highest priority, oldest) to a worker."""
    from jobs.tasks import train_run

    waiting = Run.objects.filter(team=finished.team, status=Run.Status.QUEUED).order_by("-priority", "created_at")
    if run := waiting.first():
        train_run.apply_async((run.pk,), priority=run.priority)


def runs_recover_stale() -> list[int]:
    """Queue again every running run whose worker stopped beating; a worker resumes it."""
    from jobs.tasks import train_run

    cutoff = timezone.now() - stale_after()
    stale = list(
        Run.objects.filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True), status=Run.Status.RUNNING
        ).values_list("pk", "priority")
    )
    for run_id, priority in stale:
        train_run.apply_async((run_id,), priority=priority)
    return [run_id for run_id, _ in stale]


def run_log_tail(run: Run, lines: int = LOG_TAIL_LINES) -> str:
    path = run_log_path(run)
    if not path.exists():
        return ""
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-lines:])
