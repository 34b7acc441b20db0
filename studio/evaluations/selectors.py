"""Evaluation reads: a team's evaluations, a run's latest one, and the stored report cut up for its page."""

from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jobs.pipeline.config import RunConfig
from jobs.pipeline.evaluate.report import LOWER_IS_BETTER, is_improvement
from studio.core.scoping import team_queryset
from studio.datasets.models import DatasetVersion
from studio.evaluations.models import Evaluation
from studio.runs.models import Run

EXAMPLES_PER_PAGE = 10
# A run that succeeded this recently but has no evaluation yet is about to get one: its page waits for it.
EVALUATION_START_GRACE = timedelta(seconds=60)
# How the page names the efficiency figures of the report's table.
FIGURES = {
    "tokens_per_second_batched": ("Tokens/s, batched", ""),
    "tokens_per_second_batch1": ("Tokens/s, one request", ""),
    "latency_p50_s": ("Latency p50", " s"),
    "latency_p95_s": ("Latency p95", " s"),
    "ttft_p50_s": ("Time to first token p50", " s"),
    "ttft_p95_s": ("Time to first token p95", " s"),
    "cost_per_1k_tokens_batched": ("Cost per 1k tokens, batched", " USD"),
    "cost_per_1k_tokens_batch1": ("Cost per 1k tokens, one request", " USD"),
}
GATE_RULES = {"min": "at least", "max": "at most", "min_delta": "gain at least", "max_delta": "change at most"}


def evaluation_list(request: HttpRequest) -> QuerySet[Evaluation]:
    return team_queryset(request, Evaluation).select_related(
        "run", "base_model", "dataset_version__dataset", "template", "created_by"
    )


def run_evaluation_state(run: Run) -> dict:
    """The run page's Evaluation section: the latest evaluation, and whether the page should keep
    asking (one is queued or running, or the run succeeded a moment ago and its evaluation is on its way)."""
    evaluation = run.evaluations.order_by("-created_at", "-pk").first()
    if evaluation is not None:
        pending = not evaluation.is_finished
    else:
        recently = run.finished_at and timezone.now() - run.finished_at < EVALUATION_START_GRACE
        pending = run.status == Run.Status.SUCCEEDED and bool(recently)
    return {"evaluation": evaluation, "evaluation_pending": pending}


def run_eval_version(run: Run) -> DatasetVersion:
    """The held-out rows a run is judged on: its last SFT stage's version (chat rows with answers),
    else its last stage's."""
    stages = RunConfig.model_validate(run.config).stages
    stage = ([s for s in stages if s.kind == "sft"] or stages)[-1]
    return DatasetVersion.objects.get(pk=stage.dataset_version, team_id=run.team_id)


def evaluable_versions(request: HttpRequest) -> QuerySet[DatasetVersion]:
    """The team's approved chat versions that have held-out rows."""
    return (
        team_queryset(request, DatasetVersion)
        .filter(approved_at__isnull=False, kind=DatasetVersion.Kind.CHAT, eval_count__gt=0)
        .select_related("dataset")
    )


def report_quality_rows(report: dict) -> list[dict]:
    """The suite's rows of the report table (the rest are efficiency figures)."""
    return [row for row in report.get("table", []) if row["metric"] in report.get("suite", [])]


def report_efficiency_rows(report: dict) -> list[dict]:
    return [
        row | {"label": FIGURES[row["metric"]][0], "unit": FIGURES[row["metric"]][1]}
        for row in report.get("table", [])
        if row["metric"] in FIGURES
    ]


def report_charts(report: dict) -> list[dict]:
    """Bar charts of the suite's metrics: one per metric (base and tuned bars), so that perplexity's
    scale does not flatten the 0–1 scores; a base model alone gets one chart of its 0–1 scores."""
    rows = [r for r in report_quality_rows(report) if r["base"] is not None]
    if report.get("labels", {}).get("tuned") is None:
        scores = [r for r in rows if r["metric"] not in LOWER_IS_BETTER]
        return [{"title": "Scores", "labels": [r["metric"] for r in scores], "values": [r["base"] for r in scores]}]
    return [
        {"title": r["metric"], "labels": ["base", "tuned"], "values": [r["base"], r["tuned"]]}
        for r in rows
        if r["tuned"] is not None
    ]


def report_gates(report: dict) -> list[dict]:
    return [g | {"rule_words": GATE_RULES.get(g["rule"], g["rule"])} for g in report.get("gates", [])]


def example_page(report: dict, *, metric: str, order: str, page: str | int | None) -> Page:
    """The per-example pairs, best first (`order="gain"`) or worst first (`"loss"`) by `metric`
    (tuned − base when the report compares two models, else the base score), paginated; pairs the
    metric does not score come last. A metric where lower is better sorts the other way round."""
    compared = report.get("labels", {}).get("tuned") is not None

    def score(pair):
        base = pair["base"].get(metric)
        if not compared:
            return base
        tuned = pair["tuned"].get(metric)
        return None if base is None or tuned is None else tuned - base

    pairs = report.get("pairs", [])
    better_first = order != "loss"
    descending = better_first != (metric in LOWER_IS_BETTER)
    scored = sorted((p for p in pairs if score(p) is not None), key=score, reverse=descending)
    rows = [_example_row(p, report["suite"], metric, score(p)) for p in scored]
    rows += [_example_row(p, report["suite"], metric, None) for p in pairs if score(p) is None]
    return Paginator(rows, EXAMPLES_PER_PAGE).get_page(page)


def _example_row(pair: dict, suite: list[str], metric: str, sort_value) -> dict:
    scores = []
    for name in suite:
        base, tuned = pair["base"].get(name), pair["tuned"].get(name)
        delta = None if base is None or tuned is None else tuned - base
        scores.append(
            {"metric": name, "base": base, "tuned": tuned, "delta": delta, "improved": is_improvement(name, delta)}
        )
    return pair | {"scores": scores, "sort_value": sort_value, "sort_metric": metric}
