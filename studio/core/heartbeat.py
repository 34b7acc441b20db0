"""Liveness of long work on workers: a thread that keeps a row's `heartbeat_at` fresh while the
worker process lives. A row still marked running whose heartbeat went stale belongs to a dead
worker, and may be claimed again (runs resume from a checkpoint; evaluations start over)."""

import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Model
from django.utils import timezone


def heartbeat_interval() -> float:
    return settings.RUN_HEARTBEAT_SECONDS


def stale_after() -> timedelta:
    """A running row whose heartbeat is older than this lost its worker."""
    return timedelta(seconds=3 * settings.RUN_HEARTBEAT_SECONDS)


class Heartbeat(threading.Thread):
    """Beats for one row of `model` while its status is `running` (its own DB connection)."""

    def __init__(self, model: type[Model], pk: int):
        super().__init__(daemon=True, name=f"heartbeat-{model._meta.model_name}-{pk}")
        self.model, self.pk, self.stopped = model, pk, threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(heartbeat_interval()):
                self.model.objects.filter(pk=self.pk, status="running").update(heartbeat_at=timezone.now())
        finally:
            close_old_connections()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
