from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseStopPolling

from studio.accounts.decorators import team_permission_required
from studio.core.scoping import get_team_object_or_404, team_queryset
from studio.datasets.forms import AugmentForm, CleaningForm, UploadForm
from studio.datasets.models import Dataset, DatasetJob, DatasetVersion
from studio.datasets.selectors import dataset_jobs_recent, dataset_list, version_preview
from studio.datasets.services import (
    dataset_delete,
    dataset_derive_request,
    dataset_import_create,
    dataset_version_approve,
)


@team_permission_required("view_datasets")
def dataset_index(request):
    form = UploadForm()
    if request.method == "POST":
        return _upload(request)
    return render(request, "datasets/index.html", _index_context(request, form))


def _index_context(request, form):
    return {
        "datasets": dataset_list(request),
        "jobs": dataset_jobs_recent(request),
        "form": form,
        "max_upload_bytes": settings.DATASET_MAX_UPLOAD_BYTES,
    }


@team_permission_required("manage_datasets")
def _upload(request):
    form = UploadForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        form.is_valid()
        form.add_error("file", "The file is over the upload size limit; nothing was stored.")
    if not form.is_valid():
        template = "datasets/index.html#upload-form" if request.htmx else "datasets/index.html"
        return render(request, template, _index_context(request, form), status=400 if not request.htmx else 200)
    job = dataset_import_create(
        team=request.team,
        user=request.user,
        name=form.cleaned_data["name"],
        source=form.cleaned_data["file"],
        requested_format=form.cleaned_data["format"],
        tokenizer_model=form.cleaned_data["tokenizer_model"],
    )
    url = reverse("datasets:job", args=[job.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@team_permission_required("view_datasets")
def dataset_job_detail(request, job_id: int):
    job = get_team_object_or_404(request, DatasetJob.objects.select_related("result_version__dataset"), pk=job_id)
    if request.htmx:
        response = render(request, "datasets/job.html#job-status", {"job": job})
        return HttpResponseStopPolling(response.content) if job.is_finished else response
    return render(request, "datasets/job.html", {"job": job})


@team_permission_required("view_datasets")
def dataset_detail(request, dataset_id: int):
    dataset = get_team_object_or_404(request, Dataset, pk=dataset_id)
    versions = dataset.versions.select_related("parent", "approved_by", "created_by")
    return render(request, "datasets/detail.html", {"dataset": dataset, "versions": versions})


@require_POST
@team_permission_required("manage_datasets")
def dataset_remove(request, dataset_id: int):
    dataset = get_team_object_or_404(request, Dataset, pk=dataset_id)
    if request.POST.get("confirm_name") != dataset.name:
        messages.error(request, f"Type the dataset's name ({dataset.name}) to confirm the deletion.")
        return redirect("datasets:detail", dataset_id=dataset.pk)
    dataset_delete(dataset=dataset, user=request.user)
    messages.success(request, f"Deleted {dataset.name} and its files. The audit log keeps its history.")
    return redirect("datasets:index")


def _version(request, version_id: int) -> DatasetVersion:
    return get_team_object_or_404(request, DatasetVersion.objects.select_related("dataset", "parent"), pk=version_id)


@team_permission_required("view_datasets")
def version_detail(request, version_id: int, cleaning_form=None, augment_form=None):
    version = _version(request, version_id)
    context = {
        "version": version,
        "preview": version_preview(version),
        "query": "",
        "cleaning_form": cleaning_form or CleaningForm(),
        "augment_form": augment_form or AugmentForm(),
        "jobs": team_queryset(request, DatasetJob).filter(source_version=version),
    }
    status = 400 if (cleaning_form or augment_form) else 200
    return render(request, "datasets/version.html", context, status=status)


@team_permission_required("view_datasets")
def version_rows(request, version_id: int):
    version = _version(request, version_id)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return HttpResponse("The page must be a number.", status=400)
    query = request.GET.get("q", "")[:200]
    context = {"version": version, "preview": version_preview(version, page=page, query=query), "query": query}
    template = "datasets/version.html#rows" if request.htmx else "datasets/version.html"
    if not request.htmx:
        context |= {"cleaning_form": CleaningForm(), "augment_form": AugmentForm(), "jobs": []}
    return render(request, template, context)


@require_POST
@team_permission_required("manage_datasets")
def version_clean(request, version_id: int):
    return _derive(request, version_id, CleaningForm, DatasetJob.Kind.CLEAN, "cleaning_form")


@require_POST
@team_permission_required("manage_datasets")
def version_augment(request, version_id: int):
    return _derive(request, version_id, AugmentForm, DatasetJob.Kind.AUGMENT, "augment_form")


def _derive(request, version_id: int, form_class, kind: str, form_name: str):
    """Queue cleaning or augmentation from its form, or show the version page with the form's errors."""
    version = _version(request, version_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return version_detail(request, version_id, **{form_name: form})
    job = dataset_derive_request(version=version, user=request.user, kind=kind, config=form.job_config())
    return redirect("datasets:job", job_id=job.pk)


@require_POST
@team_permission_required("manage_datasets")
def version_approve(request, version_id: int):
    version = _version(request, version_id)
    if dataset_version_approve(version=version, user=request.user):
        messages.success(request, f"{version} is approved for training.")
    else:
        messages.info(request, f"{version} was already approved.")
    return redirect("datasets:version", version_id=version.pk)
