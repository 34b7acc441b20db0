"""Celery tasks: the only part of `jobs/` that touches Django.

Each task takes ids, claims its row with a conditional update (so a redelivered task does
the work once), calls the plain-Python pipeline and records the outcome on the row.
Heavy imports (torch, transformers) happen inside the pipeline call, never at start-up.
"""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def prepare_base_model(base_model_id: int) -> None:
    """Make a registered base model loadable by workers: convert the embedded GGUF once into a
    safetensors HF directory, or read the facts of a local HF directory."""
    from jobs.pipeline import model as pipeline_model
    from studio.basemodels.models import BaseModel
    from studio.basemodels.services import (
        base_model_claim,
        base_model_dir,
        base_model_mark_failed,
        base_model_mark_ready,
    )

    if not base_model_claim(base_model_id=base_model_id):
        logger.info("Base model %s is ready or being prepared elsewhere; nothing to do.", base_model_id)
        return
    base_model = BaseModel.objects.get(pk=base_model_id)
    try:
        if base_model.source == BaseModel.Source.EMBEDDED:
            local_path = base_model_dir(base_model)
            gguf = pipeline_model.embedded_gguf_path()
            facts = pipeline_model.convert_gguf_to_hf(gguf, local_path)
        elif base_model.source == BaseModel.Source.LOCAL:
            local_path = base_model.location
            facts = pipeline_model.describe_hf_dir(local_path)
        else:
            local_path = base_model_dir(base_model)
            facts = pipeline_model.download_hub_model(base_model.location, local_path)
    except Exception as exc:  # Recorded on the row for the user; the task itself does not retry.
        logger.exception("Preparing base model %s failed", base_model_id)
        base_model_mark_failed(base_model_id=base_model_id, error=f"{type(exc).__name__}: {exc}")
        return
    base_model_mark_ready(base_model_id=base_model_id, local_path=local_path, facts=facts.to_dict())


@shared_task(acks_late=True)
def run_dataset_job(job_id: int) -> None:
    """Import, clean or augment a dataset on a CPU worker (the job row records the outcome)."""
    from studio.datasets.services import dataset_job_claim, dataset_job_run

    if not dataset_job_claim(job_id=job_id):
        logger.info("Dataset job %s is not queued any more; nothing to do.", job_id)
        return
    dataset_job_run(job_id=job_id)


@shared_task(acks_late=True)
def train_run(run_id: int) -> None:
    """Train a run's stages on a `train` worker (GPU when there is one)."""
    from studio.runs.training import run_train

    run_train(run_id=run_id)


@shared_task(acks_late=True)
def evaluate(evaluation_id: int) -> None:
    """Evaluate a base model (and a run's adapter) on held-out rows on a `cpu` worker."""
    from studio.evaluations.services import evaluation_claim, evaluation_execute

    if not evaluation_claim(evaluation_id=evaluation_id):
        logger.info("Evaluation %s is not queued any more; nothing to do.", evaluation_id)
        return
    evaluation_execute(evaluation_id=evaluation_id)


@shared_task
def recover_stale_runs() -> dict[str, list[int]]:
    """Periodic (beat) and at worker start: resume runs, and restart evaluations, whose worker
    stopped beating."""
    from studio.evaluations.services import evaluations_recover_stale
    from studio.runs.training import runs_recover_stale

    return {"runs": runs_recover_stale(), "evaluations": evaluations_recover_stale()}
