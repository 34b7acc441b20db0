from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from studio.accounts.decorators import team_required
from studio.basemodels.selectors import base_model_list
from studio.basemodels.services import base_model_request_preparation
from studio.core.live import live_partial


@team_required
def base_model_index(request):
    return render(request, "basemodels/index.html", {"base_models": base_model_list()})


@team_required
def base_model_detail(request, base_model_id: int):
    base_model = get_object_or_404(base_model_list(), pk=base_model_id)
    template = "basemodels/detail.html"
    if request.htmx:
        return live_partial(request, f"{template}#status", {"base_model": base_model}, finished=base_model.is_finished)
    return render(request, template, {"base_model": base_model})


@require_POST
@team_required
def base_model_prepare(request, base_model_id: int):
    base_model = get_object_or_404(base_model_list(), pk=base_model_id)
    if base_model_request_preparation(base_model=base_model, actor=request.user, team=request.team):
        messages.success(request, f"{base_model} is queued for a worker.")
    else:
        messages.info(request, f"{base_model} is already {base_model.get_status_display().lower()}.")
    return redirect("basemodels:detail", base_model_id=base_model.pk)
