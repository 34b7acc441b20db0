from django.db.models import QuerySet
from django.http import HttpRequest

from studio.basemodels.models import BaseModel
from studio.core.scoping import team_queryset
from studio.runs.models import Run

RUN_FILTERS = ("status", "template", "base_model", "created_by")


def run_list(request: HttpRequest, filters: dict) -> QuerySet[Run]:
    runs = team_queryset(request, Run).select_related("template", "base_model", "created_by")
    if status := filters.get("status"):
        runs = runs.filter(status=status)
    if template := filters.get("template"):
        runs = runs.filter(template__name=template)
    if base_model := filters.get("base_model"):
        runs = runs.filter(base_model__name=base_model)
    if created_by := filters.get("created_by"):
        runs = runs.filter(created_by__username=created_by)
    return runs.prefetch_related("dataset_versions__dataset")


def ready_base_models() -> QuerySet[BaseModel]:
    return BaseModel.objects.filter(status=BaseModel.Status.READY)
