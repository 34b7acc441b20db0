from django.conf import settings
from django.db import models

from studio.core.models import Progress
from studio.core.scoping import TeamOwned


class Run(TeamOwned, Progress):
    """A fine-tuning run: its frozen configuration, where it stands, and what it produced."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Kind(models.TextChoices):
        TRAIN = "train", "Training"
        SEARCH = "search", "Hyperparameter search"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TRAIN)
    template = models.ForeignKey("industry.IndustryTemplate", on_delete=models.PROTECT, related_name="+")
    base_model = models.ForeignKey("basemodels.BaseModel", on_delete=models.PROTECT, related_name="+")
    dataset_versions = models.ManyToManyField("datasets.DatasetVersion", related_name="runs")
    continued_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    config = models.JSONField(help_text="The frozen RunConfig (jobs.pipeline.config).")
    search_space = models.JSONField(
        default=dict, blank=True, help_text="kind=search: the SearchSpace (jobs.pipeline.search); config is the base."
    )
    frozen = models.JSONField(
        default=dict, help_text="What the config points at, fixed at launch: template version, hashes."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    priority = models.PositiveSmallIntegerField(default=5, help_text="0 (low) to 9 (high).")
    stage = models.CharField(max_length=32, blank=True)
    cancel_requested = models.BooleanField(default=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_kind = models.CharField(max_length=32, blank=True)
    failure_reason = models.TextField(blank=True)
    failure_fix = models.TextField(blank=True)
    latest = models.JSONField(default=dict, blank=True, help_text="Latest step: loss, lr, tokens/s, eval loss.")
    output_dir = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED)
