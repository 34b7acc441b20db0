from django.db import models


class BaseModel(models.Model):
    """A foundation model the studio can fine-tune. Site-wide: every team may use it."""

    class Source(models.TextChoices):
        EMBEDDED = "embedded", "Embedded (shipped with the studio)"
        LOCAL = "local", "Local directory"
        HUB = "hub", "Hugging Face Hub id"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        CONVERTING = "converting", "Converting"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    name = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    location = models.CharField(
        max_length=500, help_text="GGUF file name (embedded), directory path (local) or hub id (hub)."
    )
    license = models.CharField(max_length=100, blank=True)
    architecture = models.CharField(max_length=64, blank=True)
    parameter_count = models.BigIntegerField(null=True, blank=True)
    linear_module_names = models.JSONField(default=list, blank=True)
    config = models.JSONField(default=dict, blank=True, help_text="The model's transformers config.")
    local_path = models.CharField(max_length=500, blank=True, help_text="The HF directory workers load.")
    weights_sha256 = models.CharField(max_length=64, blank=True, help_text="sha256 of the weights file(s).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
