"""The Celery app as the test worker loads it: the studio's own, plus a file that says "ready"."""

import os
from pathlib import Path

from celery.signals import worker_ready

from studio.celery import app

__all__ = ["app"]


@worker_ready.connect
def _say_ready(**kwargs):
    Path(os.environ["STUDIO_TEST_WORKER_READY_FILE"]).touch()
