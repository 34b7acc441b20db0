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


def run_loss_series(run: Run) -> list[dict]:
    """Train and eval loss against the run's global step (stages follow each other), for the chart."""
    import json

    from studio.runs.training import run_dir

    train, held_out, offset = [], [], 0
    for metrics in sorted(run_dir(run).glob("stage-*/metrics.jsonl")):
        last = 0
        with open(metrics, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                step = offset + row["step"]
                last = max(last, row["step"])
                if row.get("loss") is not None:
                    train.append((step, row["loss"]))
                if row.get("eval_loss") is not None:
                    held_out.append((step, row["eval_loss"]))
        offset += last
    return [{"name": "train loss", "points": train}, {"name": "eval loss", "points": held_out}]
