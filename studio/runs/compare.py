"""Several runs of a team side by side: configuration differences, evaluation metrics, loss curves."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from studio.core.scoping import team_queryset
from studio.runs.models import Run
from studio.runs.selectors import run_loss_series

MIN_RUNS, MAX_RUNS = 2, 5


class CompareRefused(ValueError):
    """The chosen runs cannot be compared; the message says why."""


@dataclass
class ConfigRow:
    key: str  # dotted path in the run config, e.g. "lora.r"
    values: list[str]

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1


@dataclass
class MetricRow:
    metric: str
    base: float | None  # the base model's value (same base and data: the first run that has one)
    values: list[float | None]  # each run's tuned value
    best: int | None  # index of the best tuned value, by the metric's direction


def compare_runs(request: HttpRequest, raw_ids: list[str]) -> list[Run]:
    """The requested runs of the current team, in the order asked; another team's id is not found (404)."""
    from django.http import Http404

    try:
        ids = list(dict.fromkeys(int(raw) for raw in raw_ids))
    except ValueError:
        raise CompareRefused("Run ids must be whole numbers.") from None
    if not MIN_RUNS <= len(ids) <= MAX_RUNS:
        raise CompareRefused(f"Pick {MIN_RUNS} to {MAX_RUNS} runs to compare; {len(ids)} picked.")
    runs: QuerySet[Run] = team_queryset(request, Run).select_related("template", "base_model")
    found = {run.pk: run for run in runs.filter(pk__in=ids)}
    if len(found) != len(ids):
        raise Http404("No such run.")
    return [found[pk] for pk in ids]


def _flatten(value, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        flat = {}
        for key, inner in value.items():
            flat |= _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return flat
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        flat = {}
        for index, inner in enumerate(value):
            flat |= _flatten(inner, f"{prefix}[{index}]")
        return flat
    if isinstance(value, list):
        return {prefix: ", ".join(str(item) for item in value)}
    return {prefix: "—" if value is None else str(value)}


def config_rows(runs: list[Run]) -> list[ConfigRow]:
    """Every configuration key of any of the runs, one value per run ("" where a run lacks it)."""
    flat = [_flatten(run.config) for run in runs]
    keys = list(dict.fromkeys(key for config in flat for key in config if key not in ("name", "schema_version")))
    return [ConfigRow(key, [config.get(key, "") for config in flat]) for key in keys]


def latest_report(run: Run) -> dict | None:
    """The report of the run's latest finished evaluation, if any."""
    evaluation = run.evaluations.filter(status="succeeded").order_by("-created_at").first()
    return evaluation.report if evaluation else None


def metric_rows(runs: list[Run]) -> list[MetricRow]:
    """Tuned values of every metric any run's evaluation reports, with the base model's for reference."""
    from jobs.pipeline.evaluate.report import LOWER_IS_BETTER

    tables = []
    for run in runs:
        report = latest_report(run) or {}
        tables.append({row["metric"]: row for row in report.get("table", [])})
    metrics = list(dict.fromkeys(metric for table in tables for metric in table))
    rows = []
    for metric in metrics:
        values = [table.get(metric, {}).get("tuned") for table in tables]
        base = next((table[metric].get("base") for table in tables if metric in table), None)
        scored = [(value, i) for i, value in enumerate(values) if value is not None]
        best = None
        if len(scored) > 1:
            best = (min(scored) if metric in LOWER_IS_BETTER else max(scored))[1]
        rows.append(MetricRow(metric, base, values, best))
    return rows


def loss_series(runs: list[Run]) -> tuple[list[dict], list[dict]]:
    """(train loss, eval loss) of every run, one line per run, for two charts."""
    train, held_out = [], []
    for run in runs:
        series = {s["name"]: s["points"] for s in run_loss_series(run)}
        label = f"#{run.pk} {run.name}"
        train.append({"name": label, "points": series["train loss"]})
        held_out.append({"name": label, "points": series["eval loss"]})
    return train, held_out
