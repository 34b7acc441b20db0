from django.conf import settings
from django.db import models

from studio.core.models import Progress
from studio.core.scoping import TeamOwned


class Dataset(TeamOwned):
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="dataset_name_unique_per_team")]

    def __str__(self) -> str:
        return self.name


class DatasetVersion(TeamOwned):
    """An immutable set of rows, identified by the sha256 of its content, with a fixed split."""

    class Origin(models.TextChoices):
        UPLOAD = "upload", "Uploaded"
        CLEANING = "cleaning", "Cleaned"
        AUGMENTATION = "augmentation", "Augmented"

    class Kind(models.TextChoices):
        CHAT = "chat", "Chat / instruction"
        TEXT = "text", "Raw text"
        PREFERENCE = "preference", "Preference pairs"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    origin = models.CharField(max_length=16, choices=Origin.choices)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source_format = models.CharField(max_length=32, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    row_count = models.PositiveIntegerField()
    train_count = models.PositiveIntegerField()
    eval_count = models.PositiveIntegerField()
    augmented_count = models.PositiveIntegerField(default=0)
    split_seed = models.PositiveIntegerField()
    eval_fraction = models.FloatField()
    token_stats = models.JSONField(default=dict, blank=True)
    tokenizer = models.CharField(max_length=100, blank=True, help_text="Base model whose tokenizer counted tokens.")
    report = models.JSONField(default=dict, blank=True, help_text="What made this version: cleaning/augmentation.")
    path = models.CharField(max_length=500)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "sha256"], name="dataset_version_content_unique_per_team"),
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.name} v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class DatasetJob(TeamOwned, Progress):
    """Long dataset work on a CPU worker: importing a file, cleaning or augmenting a version."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        CLEAN = "clean", "Cleaning"
        AUGMENT = "augment", "Augmentation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    dataset_name = models.CharField(max_length=100, blank=True)
    requested_format = models.CharField(max_length=16, default="auto")
    original_filename = models.CharField(max_length=255, blank=True)
    staged_path = models.CharField(max_length=500, blank=True)
    source_version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    config = models.JSONField(default=dict, blank=True)
    stage = models.CharField(max_length=64, blank=True, help_text="What the worker is doing now.")
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    result_version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.REFUSED, self.Status.FAILED)
