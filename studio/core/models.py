from datetime import timedelta

from django.db import models
from django.utils import timezone


class Progress(models.Model):
    """Progress of long work, written by workers at a bounded rate and read by pages for the bar and ETA."""

    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    progress_unit = models.CharField(max_length=16, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def progress_percent(self) -> float:
        if not self.progress_total:
            return 0.0
        return min(100.0, 100.0 * self.progress_done / self.progress_total)

    @property
    def eta(self) -> timedelta | None:
        """Remaining time at the average speed so far; None until there is a speed to go by."""
        if not (self.started_at and self.progress_done and self.progress_total) or self.finished_at:
            return None
        elapsed = timezone.now() - self.started_at
        remaining = max(0, self.progress_total - self.progress_done)
        return elapsed * (remaining / self.progress_done)
