from django.conf import settings
from django.db import models


class IndustryTemplate(models.Model):
    """One version of a template. Versions are never changed: an edit saves a new one."""

    name = models.SlugField(max_length=40)
    version = models.PositiveIntegerField()
    spec = models.JSONField(help_text="The template as validated by studio.industry.spec.TemplateSpec.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="template_version_unique")]

    def __str__(self) -> str:
        return f"{self.spec.get('title', self.name)} (v{self.version})"

    @property
    def title(self) -> str:
        return self.spec.get("title", self.name)
