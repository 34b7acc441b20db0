from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models

from studio.accounts.roles import ROLES


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    max_concurrent_runs = models.PositiveIntegerField(
        default=2, help_text="Runs of this team that may train at once; more wait queued."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    roles = models.ManyToManyField(Group, blank=True, limit_choices_to={"name__in": ROLES})
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_user_and_team")]
        ordering = ["team__name"]
        permissions = [
            ("launch_run", "Create and launch training runs"),
            ("manage_datasets", "Upload, clean, approve and delete datasets"),
            ("view_datasets", "Browse the team's datasets"),
            ("request_release", "Ask for a model release"),
            ("review_release", "Approve, reject and roll back releases"),
            ("view_audit_log", "Browse the team's audit log"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
