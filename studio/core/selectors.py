from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from studio.accounts.selectors import membership_permissions
from studio.core.scoping import team_queryset
from studio.datasets.models import Dataset
from studio.runs.models import Run


@dataclass(frozen=True)
class DashboardSection:
    title: str
    count: int
    url: str
    empty_message: str
    first_step: str


def dashboard_sections(request: HttpRequest) -> list[DashboardSection]:
    """The team's datasets, runs and releases, each with what to do first when it is empty."""
    perms = membership_permissions(request.membership)
    return [
        DashboardSection(
            "Datasets",
            team_queryset(request, Dataset).count(),
            reverse("datasets:index"),
            "Your team has no datasets yet.",
            "Upload domain data (instruction, chat, raw text or preference pairs) to start."
            if "manage_datasets" in perms
            else "A dataset admin of your team uploads and approves the first one.",
        ),
        DashboardSection(
            "Runs",
            team_queryset(request, Run).count(),
            reverse("runs:index"),
            "No fine-tuning runs yet.",
            "Pick an industry template, a base model and an approved dataset to launch your first run."
            if "launch_run" in perms
            else "A domain expert of your team launches runs from a template.",
        ),
        DashboardSection(
            "Releases",
            0,
            "",
            "Nothing released yet.",
            "Review release requests here once a run has an evaluation report."
            if "review_release" in perms
            else "A finished run can be put forward for release; a reviewer approves it.",
        ),
    ]
