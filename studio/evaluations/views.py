from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from studio.accounts.decorators import team_permission_required, team_required
from studio.core.live import live_partial
from studio.core.scoping import get_team_object_or_404
from studio.evaluations.forms import EvaluationForm
from studio.evaluations.models import Evaluation
from studio.evaluations.selectors import (
    evaluable_versions,
    evaluation_list,
    example_page,
    report_charts,
    report_efficiency_rows,
    report_gates,
    report_quality_rows,
    run_evaluation_state,
)
from studio.evaluations.services import EvaluationRefused, evaluation_create, evaluation_create_for_run
from studio.industry.selectors import templates_latest
from studio.runs.models import Run
from studio.runs.selectors import ready_base_models

REPORT_FILES = {"json": ("report.json", "application/json"), "html": ("report.html", "text/html")}


def _form(request, data=None) -> EvaluationForm:
    return EvaluationForm(
        data, base_models=ready_base_models(), versions=evaluable_versions(request), templates=templates_latest()
    )


@team_required
def evaluation_index(request):
    return render(request, "evaluations/index.html", {"evaluations": evaluation_list(request), "form": _form(request)})


@require_POST
@team_permission_required("launch_run")
def evaluation_new(request):
    """Evaluate a base model alone on a dataset version of the team."""
    form = _form(request, request.POST)
    if form.is_valid():
        try:
            evaluation = evaluation_create(team=request.team, user=request.user, **form.cleaned_data)
        except EvaluationRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{evaluation} is queued.")
            return redirect("evaluations:detail", evaluation_id=evaluation.pk)
    context = {"evaluations": evaluation_list(request), "form": form}
    return render(request, "evaluations/index.html", context, status=400)


@team_required
def evaluation_detail(request, evaluation_id: int):
    evaluation = get_team_object_or_404(
        request,
        Evaluation.objects.select_related("run", "base_model", "dataset_version__dataset", "template", "created_by"),
        pk=evaluation_id,
    )
    if request.htmx:
        context = {"evaluation": evaluation}
        return live_partial(request, "evaluations/detail.html#live", context, finished=evaluation.is_finished)
    context = {"evaluation": evaluation}
    if evaluation.status == Evaluation.Status.SUCCEEDED:
        report = evaluation.report
        metric = request.GET.get("metric")
        metric = metric if metric in report["suite"] else report["gain_metric"]
        order = "loss" if request.GET.get("order") == "loss" else "gain"
        context |= {
            "report": report,
            "compared": report["labels"]["tuned"] is not None,
            "quality_rows": report_quality_rows(report),
            "efficiency_rows": report_efficiency_rows(report),
            "charts": report_charts(report),
            "gates": report_gates(report),
            "metric": metric,
            "order": order,
            "examples": example_page(report, metric=metric, order=order, page=request.GET.get("page")),
        }
    return render(request, "evaluations/detail.html", context)


@team_required
def evaluation_report_file(request, evaluation_id: int, kind: str):
    evaluation = get_team_object_or_404(request, Evaluation, pk=evaluation_id, status=Evaluation.Status.SUCCEEDED)
    name, content_type = REPORT_FILES[kind]
    path = Path(evaluation.report_dir) / name
    if not evaluation.report_dir or not path.is_file():
        raise Http404("The report file is gone from the artifacts folder.")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"evaluation-{evaluation.pk}-{name}",
        content_type=content_type,
    )


@require_GET
@team_required
def run_evaluation_section(request, run_id: int):
    """The Evaluation section of a run's page, polled while an evaluation is on its way or running."""
    run = get_team_object_or_404(request, Run, pk=run_id)
    state = run_evaluation_state(run)
    response = render(request, "evaluations/_run_section.html", {"run": run} | state)
    return response if state["evaluation_pending"] else HttpResponseStopPolling(response.content)


@require_POST
@team_permission_required("launch_run")
def run_evaluate(request, run_id: int):
    """Evaluate a succeeded run again (with the template version it was trained from)."""
    run = get_team_object_or_404(request, Run.objects.select_related("team", "base_model", "template"), pk=run_id)
    try:
        evaluation = evaluation_create_for_run(run=run, user=request.user)
    except EvaluationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{evaluation} is queued.")
    return redirect("runs:detail", run_id=run.pk)
