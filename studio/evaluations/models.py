from django.conf import settings
from django.db import models

from studio.core.models import Progress
from studio.core.scoping import TeamOwned


class Evaluation(TeamOwned, Progress):
    """Held-out evaluation of a base model, alone or against a run's tuned adapter (SPEC.md §8).

    `report` holds the report as JSON (see services.evaluation_report_data): "table" rows
    {metric, base, tuned, delta, improved}, "gates", "passed", "pairs", "efficiency", "labels";
    for a base model alone, every tuned value is None and no gate is applied.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    run = models.ForeignKey("runs.Run", null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations")
    base_model = models.ForeignKey("basemodels.BaseModel", on_delete=models.PROTECT, related_name="+")
    # The report quotes the version's rows: it goes when the data is deleted.
    dataset_version = models.ForeignKey("datasets.DatasetVersion", on_delete=models.CASCADE, related_name="evaluations")
    template = models.ForeignKey(
        "industry.IndustryTemplate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    max_examples = models.PositiveIntegerField(
        null=True, blank=True, help_text="Evaluate at most this many eval rows; empty = the EVAL_MAX_EXAMPLES setting."
    )
    max_new_tokens = models.PositiveIntegerField(
        null=True, blank=True, help_text="Tokens generated per answer; empty = the EVAL_MAX_NEW_TOKENS setting."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=64, blank=True, help_text="What the worker is doing now.")
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Kept fresh while a worker evaluates.")
    error = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)
    report_dir = models.CharField(max_length=500, blank=True, help_text="Holds report.json and report.html.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        subject = f"run #{self.run_id}" if self.run_id else self.base_model.name
        return f"Evaluation #{self.pk} of {subject}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def compares(self) -> bool:
        """Base against a tuned adapter (a run's), rather than a base model alone."""
        return self.run_id is not None
