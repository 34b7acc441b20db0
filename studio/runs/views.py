from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from jobs.pipeline.config import Hyperparameters, LoraSettings, RunConfig, recommendation_warnings
from jobs.pipeline.lora import LoraChoiceError, lora_estimate
from studio.accounts.decorators import team_permission_required, team_required
from studio.core.live import live_partial
from studio.core.scoping import get_team_object_or_404, team_queryset
from studio.evaluations.selectors import run_evaluation_state
from studio.industry.selectors import template_latest, templates_latest
from studio.runs.compare import CompareRefused, compare_runs, config_rows, loss_series, metric_rows
from studio.runs.forms import STAGES, RecipeImportForm, RunForm, SearchForm
from studio.runs.models import Run
from studio.runs.search import search_config_validate, search_launch_best, search_overview
from studio.runs.selectors import RUN_FILTERS, ready_base_models, run_list, run_loss_series
from studio.runs.services import (
    RunActionRefused,
    RunConfigInvalid,
    qlora_available,
    run_cancel,
    run_config_to_yaml,
    run_config_validate,
    run_create,
    run_resume,
)
from studio.runs.training import run_log_tail


@team_required
def run_index(request):
    filters = {key: request.GET.get(key, "") for key in RUN_FILTERS}
    runs = run_list(request, filters)
    context = {
        "runs": runs,
        "filters": filters,
        "statuses": Run.Status.choices,
        "templates": templates_latest(),
        "base_models": ready_base_models(),
    }
    return render(request, "runs/index.html#runs" if request.htmx else "runs/index.html", context)


def _form(request, data=None, initial=None, form_class=RunForm):
    """The new-run form for the chosen template and base model (from the data, the query or defaults)."""
    source = data or initial or request.GET
    templates, base_models = list(templates_latest()), list(ready_base_models())
    template = template_latest(source.get("template") or (templates[0].name if templates else ""))
    base_model = next(
        (m for m in base_models if m.name == source.get("base_model")), base_models[0] if base_models else None
    )
    form = form_class(
        data,
        initial=initial,
        team=request.team,
        templates=templates,
        base_models=base_models,
        template_spec=template.spec if template else {},
        linear_names=base_model.linear_module_names if base_model else [],
    )
    if data is None:
        form.fields["name"].initial = f"{template.name.title()} LoRA" if template else ""
        form.fields["template"].initial = template.name if template else None
        form.fields["base_model"].initial = base_model.name if base_model else None
    return form, template, base_model


def _new_run_context(request, form, template, base_model, **extra):
    qlora_ok, qlora_reason = qlora_available()
    return {
        "form": form,
        "template": template,
        "base_model": base_model,
        "stages": STAGES,
        "qlora_ok": qlora_ok,
        "qlora_reason": qlora_reason,
        "import_form": RecipeImportForm(),
        "form_url": reverse("runs:new"),
        **extra,
    }


@team_permission_required("launch_run")
def run_new(request, search: bool = False):
    """The new-run page; with `search`, the new hyperparameter-search page (the same form plus ranges)."""
    form_class = SearchForm if search else RunForm
    if request.method == "POST":
        form, template, base_model = _form(request, data=request.POST, form_class=form_class)
        if form.is_valid():
            data = form.config_data()
            try:
                if search:
                    config, space = search_config_validate(data, form.search_space_data(), team=request.team)
                else:
                    config, space = run_config_validate(data, team=request.team), None
            except RunConfigInvalid as invalid:
                form.add_config_errors(invalid.errors, [s["kind"] for s in data["stages"]])
            else:
                run = run_create(team=request.team, user=request.user, config=config, search_space=space)
                messages.success(request, f"{run} is queued.")
                url = reverse("runs:detail", args=[run.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        status = 200 if request.htmx else 400  # htmx swaps only 2xx answers: the errors must show
    else:
        form, template, base_model = _form(request, form_class=form_class)
        status = 200
    template_name = "runs/new.html#run-form" if request.htmx else "runs/new.html"
    context = _new_run_context(request, form, template, base_model)
    if search:
        context |= {"search": True, "form_url": reverse("runs:search_new")}
    return render(request, template_name, context, status=status)


@require_POST
@team_permission_required("launch_run")
def run_import(request):
    """Fill the new-run form from an uploaded recipe; its problems show next to the fields."""
    upload = RecipeImportForm(request.POST, request.FILES)
    if not upload.is_valid():
        form, template, base_model = _form(request)
        return render(
            request,
            "runs/new.html",
            _new_run_context(request, form, template, base_model, import_form=upload),
            status=400,
        )
    import yaml

    try:
        data = yaml.safe_load(upload.cleaned_data["recipe"])
    except yaml.YAMLError as exc:
        upload.add_error("recipe", f"Not valid YAML: {exc}")
        form, template, base_model = _form(request)
        return render(
            request,
            "runs/new.html",
            _new_run_context(request, form, template, base_model, import_form=upload),
            status=400,
        )
    data = data if isinstance(data, dict) else {}
    form, template, base_model = _form(request, data=_form_data(data))
    form.is_valid()
    try:
        run_config_validate(data, team=request.team)
    except RunConfigInvalid as invalid:
        form.add_config_errors(invalid.errors, [s.get("kind") for s in data.get("stages", []) if isinstance(s, dict)])
    return render(request, "runs/new.html", _new_run_context(request, form, template, base_model, imported=True))


def _form_data(config: dict):
    from django.utils.datastructures import MultiValueDict

    initial = RunForm.initial_from_config(config)
    targets = initial.pop("lora_target_modules", [])
    data = MultiValueDict({k: [v] for k, v in initial.items()})
    data.setlist("lora_target_modules", targets)
    return data


@require_POST
@team_permission_required("launch_run")
def run_estimate(request):
    """The live parameter count and memory estimate for the form's current LoRA choice."""
    form, template, base_model = _form(request, data=request.POST)
    form.is_valid()
    context = {"base_model": base_model}
    if base_model is None:
        context["problem"] = "No base model is ready yet."
    else:
        lora_data = form.config_data()["lora"]
        hp_data = form.config_data()["hyperparameters"]
        try:
            lora = LoraSettings.model_validate(lora_data)
            hyperparameters = Hyperparameters.model_validate(hp_data)
            context["estimate"] = lora_estimate(base_model.config, lora, hyperparameters)
            context["effective_batch"] = hyperparameters.effective_batch_size
            context["warnings"] = recommendation_warnings(lora, hyperparameters)
        except LoraChoiceError as exc:
            context["problem"] = str(exc)
        except ValueError:
            context["problem"] = "Fix the fields marked below to see the figures."
    return render(request, "runs/_estimate.html", context)


@team_required
def run_detail(request, run_id: int):
    run = get_team_object_or_404(request, Run.objects.select_related("template", "base_model"), pk=run_id)
    if run.kind == Run.Kind.SEARCH:
        return _search_detail(request, run)
    live = {"run": run, "loss_series": run_loss_series(run), "log_tail": run_log_tail(run)}
    if request.htmx:
        return live_partial(request, "runs/detail.html#live", live, finished=run.is_finished)
    config = RunConfig.model_validate(run.config)
    return render(
        request,
        "runs/detail.html",
        live
        | run_evaluation_state(run)
        | {"config": config, "warnings": config.warnings(), "yaml": run_config_to_yaml(run.config)},
    )


@require_POST
@team_permission_required("launch_run")
def run_cancel_view(request, run_id: int):
    return _run_action(request, run_id, run_cancel)


@require_POST
@team_permission_required("launch_run")
def run_resume_view(request, run_id: int):
    return _run_action(request, run_id, run_resume)


def _run_action(request, run_id: int, action):
    run = get_team_object_or_404(request, Run, pk=run_id)
    try:
        messages.success(request, action(run=run, user=request.user))
    except RunActionRefused as refused:
        messages.error(request, str(refused))
    return redirect("runs:detail", run_id=run.pk)


@team_required
def run_config_download(request, run_id: int):
    run = get_team_object_or_404(request, Run, pk=run_id)
    response = HttpResponse(run_config_to_yaml(run.config), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="run-{run.pk}.yaml"'
    return response


def _search_detail(request, run: Run):
    """The page of a search run: live trials table, best value over trials, importances, launch best."""
    elapsed = (run.finished_at or timezone.now()) - run.started_at if run.started_at else None
    live = {
        "run": run,
        "space": run.search_space,
        "search": search_overview(run),
        "log_tail": run_log_tail(run),
        "elapsed": elapsed,
    }
    if request.htmx:
        return live_partial(request, "runs/search.html#live", live, finished=run.is_finished)
    config = RunConfig.model_validate(run.config)
    return render(
        request,
        "runs/search.html",
        live | {"config": config, "yaml": run_config_to_yaml(run.config)},
    )


@require_POST
@team_permission_required("launch_run")
def run_search_launch_best(request, run_id: int):
    search = get_team_object_or_404(request, Run, pk=run_id)
    try:
        run = search_launch_best(run=search, user=request.user)
    except RunActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("runs:detail", run_id=search.pk)
    messages.success(request, f"{run} is queued with the best configuration of search #{search.pk}.")
    return redirect("runs:detail", run_id=run.pk)


@team_required
def run_compare(request):
    """2–5 runs of the team side by side; the picker on the same page chooses them."""
    context = {"choices": team_queryset(request, Run).select_related("template")[:50], "picked": []}
    status = 200
    if raw_ids := request.GET.getlist("run"):
        try:
            runs = compare_runs(request, raw_ids)
        except CompareRefused as refused:
            context["problem"], status = str(refused), 400
        else:
            train, held_out = loss_series(runs)
            context |= {
                "runs": runs,
                "picked": [run.pk for run in runs],
                "config_rows": config_rows(runs),
                "metric_rows": metric_rows(runs),
                "train_loss": train,
                "eval_loss": held_out,
                "has_eval_loss": any(series["points"] for series in held_out),
            }
    return render(request, "runs/compare.html", context, status=status)
