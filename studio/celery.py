import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

# Which queue each task goes to. GPU workers consume `train`; CPU workers consume `cpu`.
TASK_QUEUES = {
    "jobs.tasks.prepare_base_model": "cpu",
    "jobs.tasks.run_dataset_job": "cpu",
    "jobs.tasks.train_run": "train",
    "jobs.tasks.evaluate": "cpu",
    "jobs.tasks.recover_stale_runs": "cpu",
}
DEFAULT_QUEUE = "cpu"


def task_routes(prefix: str = "") -> dict:
    """Routes with every queue name prefixed (tests give their worker queues of its own)."""
    return {task: {"queue": prefix + queue} for task, queue in TASK_QUEUES.items()}


app = Celery("studio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["jobs"])


@worker_ready.connect
def _recover_work_of_dead_workers(sender=None, **kwargs):
    """A worker that starts queues again the runs and evaluations whose worker died (stale heartbeat)."""
    from studio.evaluations.services import evaluations_recover_stale
    from studio.runs.training import runs_recover_stale

    logger = sender.app.log.get_default_logger()
    if recovered := runs_recover_stale():
        logger.warning("Resuming runs whose worker was lost: %s", recovered)
    if recovered := evaluations_recover_stale():
        logger.warning("Restarting evaluations whose worker was lost: %s", recovered)
