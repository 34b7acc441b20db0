"""Dataset writes: stage an upload, run import/cleaning/augmentation jobs, approve, delete.

A job runs the same way from the Celery task and from the `import_dataset` command. Its
result becomes a version only when the pipeline finished: the version directory is
built in a temporary place and renamed, and the rows are created in one transaction.
"""

import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from jobs.pipeline.data import versions as version_files
from jobs.pipeline.data.formats import FORMATS, validate_file
from studio.accounts.models import Team
from studio.audit.services import audit_record
from studio.basemodels.models import BaseModel
from studio.datasets.models import Dataset, DatasetJob, DatasetVersion

logger = logging.getLogger(__name__)

EVAL_FRACTION = 0.1
SPLIT_SEED = 1234
PROGRESS_INTERVAL_S = 1.0


class DatasetRefused(Exception):
    """Input the user must fix: recorded on the job as 'refused' with the report."""

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.report = report or {}


def staging_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def version_dir(team_id: int, sha256: str) -> Path:
    return Path(settings.ARTIFACTS_ROOT) / "datasets" / str(team_id) / sha256


def dataset_import_create(
    *,
    team: Team,
    user: AbstractBaseUser | None,
    name: str,
    source: UploadedFile | Path,
    requested_format: str = "auto",
    tokenizer_model: BaseModel | None = None,
    enqueue: bool = True,
) -> DatasetJob:
    """Stage an uploaded file (or a local path) and create its import job; queue it after commit."""
    if requested_format not in ("auto", *FORMATS):
        raise ValueError(f"format must be auto or one of {', '.join(FORMATS)}, not {requested_format!r}")
    original = source.name if isinstance(source, UploadedFile) else Path(source).name
    suffix = Path(original).suffix.lower()[:10]
    fd, staged = tempfile.mkstemp(prefix="upload-", suffix=suffix, dir=staging_dir())
    with open(fd, "wb") as out:
        if isinstance(source, UploadedFile):
            for chunk in source.chunks():
                out.write(chunk)
        else:
            with open(source, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    with transaction.atomic():
        job = DatasetJob.objects.create(
            team=team,
            kind=DatasetJob.Kind.IMPORT,
            dataset_name=name,
            requested_format=requested_format,
            original_filename=original[:255],
            staged_path=staged,
            config={"tokenizer_model_id": tokenizer_model.pk if tokenizer_model else None},
            created_by=user,
        )
        audit_record(
            actor=user,
            team=team,
            action="dataset.uploaded",
            target=job,
            details={"file": original, "name": name, "format": requested_format},
        )
        if enqueue:
            dataset_job_enqueue(job)
    return job


def dataset_job_enqueue(job: DatasetJob) -> None:
    from jobs.tasks import run_dataset_job

    transaction.on_commit(lambda: run_dataset_job.delay(job.pk))


def dataset_job_claim(*, job_id: int) -> bool:
    """Conditional update: only one worker moves a queued job to running."""
    return bool(
        DatasetJob.objects.filter(pk=job_id, status=DatasetJob.Status.QUEUED).update(
            status=DatasetJob.Status.RUNNING, started_at=timezone.now(), stage="starting"
        )
    )


class _ProgressWriter:
    """Writes a job's progress to its row at most once a second (workers report far more often)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0

    def stage(self, stage: str, total: int = 0, unit: str = "") -> None:
        DatasetJob.objects.filter(pk=self.job_id).update(
            stage=stage, progress_done=0, progress_total=total, progress_unit=unit, started_at=timezone.now()
        )
        self.last = time.monotonic()

    def __call__(self, done: int, total: int | None = None) -> None:
        if time.monotonic() - self.last < PROGRESS_INTERVAL_S:
            return
        self.last = time.monotonic()
        fields = {"progress_done": done} | ({"progress_total": total} if total else {})
        DatasetJob.objects.filter(pk=self.job_id).update(**fields)


def dataset_job_run(*, job_id: int) -> DatasetJob:
    """Run a claimed job to its end state. Returns the job as it ended."""
    job = DatasetJob.objects.select_related("team", "source_version", "created_by").get(pk=job_id)
    progress = _ProgressWriter(job.pk)
    work = tempfile.mkdtemp(prefix=f"job-{job.pk}-", dir=staging_dir())
    try:
        runner = {
            DatasetJob.Kind.IMPORT: _run_import,
            DatasetJob.Kind.CLEAN: _run_cleaning,
            DatasetJob.Kind.AUGMENT: _run_augmentation,
        }[job.kind]
        version = runner(job, Path(work), progress)
    except DatasetRefused as refusal:
        _finish(job, DatasetJob.Status.REFUSED, report=refusal.report, error=str(refusal))
    except Exception as exc:
        logger.exception("Dataset job %s failed", job.pk)
        _finish(job, DatasetJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        _finish(job, DatasetJob.Status.SUCCEEDED, version=version)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if job.staged_path:
            Path(job.staged_path).unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def _finish(job: DatasetJob, status: str, *, version=None, report=None, error: str = "") -> None:
    with transaction.atomic():
        fields = {"status": status, "finished_at": timezone.now(), "error": error, "stage": ""}
        if report is not None:
            fields["report"] = report
        if version is not None:
            fields["result_version"] = version
        DatasetJob.objects.filter(pk=job.pk).update(**fields)
        audit_record(
            actor=None,
            team=job.team,
            action=f"dataset.{job.kind}_{status}",
            target=job,
            details={"version": str(version) if version else None, "error": error[:500]},
        )


def _tokenizer_file(model_id: int | None) -> tuple[Path | None, str]:
    """The tokenizer of the chosen base model (else the first ready one), if it is converted."""
    models = BaseModel.objects.filter(status=BaseModel.Status.READY)
    model = models.filter(pk=model_id).first() if model_id else models.first()
    if model and (Path(model.local_path) / "tokenizer.json").exists():
        return Path(model.local_path) / "tokenizer.json", model.name
    return None, ""


def _run_import(job: DatasetJob, work: Path, progress: _ProgressWriter) -> DatasetVersion:
    staged = Path(job.staged_path)
    if not staged.exists():
        raise DatasetRefused("The uploaded file is gone; upload it again.")
    sha256 = version_files.file_sha256(staged)
    if existing := DatasetVersion.objects.filter(team=job.team, sha256=sha256).first():
        return existing  # Same content as before: the existing version, no new rows.
    progress.stage("validating", staged.stat().st_size, "bytes")
    rows_file = work / "rows.jsonl"
    report = validate_file(
        staged,
        output_path=rows_file,
        format=job.requested_format,
        max_file_bytes=settings.DATASET_MAX_UPLOAD_BYTES,
        max_line_bytes=settings.DATASET_MAX_LINE_BYTES,
        on_progress=lambda done, total: progress(done, total),
    )
    if not report.ok:
        raise DatasetRefused(
            f"{report.problem_count} problem(s) in {job.original_filename}; nothing was imported.", report.to_dict()
        )
    return _create_version(
        job,
        rows_file,
        progress,
        sha256=sha256,
        kind=report.kind,
        source_format=report.source_format,
        origin=DatasetVersion.Origin.UPLOAD,
        report={"validation": report.to_dict()},
    )


def _run_cleaning(job: DatasetJob, work: Path, progress: _ProgressWriter) -> DatasetVersion:
    from jobs.pipeline.data.cleaning.pipeline import CleaningConfig, clean_file
    from studio.datasets.knowledge import knowledge_base

    source = job.source_version
    config = CleaningConfig.from_dict(job.config.get("cleaning", {}))
    rows_in = Path(source.path) / version_files.ROWS
    progress.stage("cleaning", rows_in.stat().st_size, "bytes")
    rows_file = work / "rows.jsonl"
    report = clean_file(
        rows_in,
        rows_file,
        config,
        kb=knowledge_base(job.config.get("knowledge_base")),
        on_progress=lambda rows, done, total: progress(done, total),
    )
    return _derived_version(job, rows_file, progress, DatasetVersion.Origin.CLEANING, {"cleaning": report.to_dict()})


def _run_augmentation(job: DatasetJob, work: Path, progress: _ProgressWriter) -> DatasetVersion:
    from jobs.pipeline.data.augment import AugmentConfig, augment_file
    from studio.datasets.knowledge import thesaurus

    source = job.source_version
    options = dict(job.config.get("augmentation", {}))
    rows_in = Path(source.path) / version_files.ROWS
    progress.stage("augmenting", source.row_count, "rows")
    rows_file = work / "rows.jsonl"
    report = augment_file(
        rows_in,
        rows_file,
        AugmentConfig(**options),
        thesaurus=thesaurus(job.config.get("knowledge_base")),
        on_progress=progress,
    )
    return _derived_version(
        job, rows_file, progress, DatasetVersion.Origin.AUGMENTATION, {"augmentation": report.to_dict()}
    )


def _derived_version(job, rows_file: Path, progress, origin: str, report: dict) -> DatasetVersion:
    sha256 = version_files.file_sha256(rows_file)
    if existing := DatasetVersion.objects.filter(team=job.team, sha256=sha256).first():
        return existing  # The step changed nothing new: same content, same version.
    source = job.source_version
    return _create_version(
        job,
        rows_file,
        progress,
        sha256=sha256,
        kind=source.kind,
        source_format=source.source_format,
        origin=origin,
        report=report,
        parent=source,
    )


def _create_version(
    job,
    rows_file: Path,
    progress,
    *,
    sha256: str,
    kind: str,
    source_format: str,
    origin: str,
    report: dict,
    parent: DatasetVersion | None = None,
) -> DatasetVersion:
    tokenizer_file, tokenizer_name = _tokenizer_file(job.config.get("tokenizer_model_id"))
    target = version_dir(job.team_id, sha256)
    progress.stage("splitting and counting tokens")
    stats = version_files.build_version(
        rows_file, target, eval_fraction=EVAL_FRACTION, seed=SPLIT_SEED, tokenizer_file=tokenizer_file
    )
    try:
        with transaction.atomic():
            dataset = parent.dataset if parent else _dataset_for_import(job)
            number = (dataset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = DatasetVersion.objects.create(
                team=job.team,
                dataset=dataset,
                number=number,
                parent=parent,
                origin=origin,
                sha256=sha256,
                kind=kind,
                source_format=source_format or "",
                original_filename=job.original_filename,
                row_count=stats.rows,
                train_count=stats.train_rows,
                eval_count=stats.eval_rows,
                augmented_count=stats.augmented_rows,
                split_seed=SPLIT_SEED,
                eval_fraction=EVAL_FRACTION,
                token_stats=stats.tokens,
                tokenizer=tokenizer_name,
                report=report,
                path=str(target),
                created_by=job.created_by,
            )
            audit_record(
                actor=job.created_by,
                team=job.team,
                action="dataset.version_created",
                target=version,
                details={"origin": origin, "rows": stats.rows, "sha256": sha256},
            )
    except IntegrityError:
        # Another job created the same content meanwhile: that version is the answer; keep its files.
        return DatasetVersion.objects.get(team=job.team, sha256=sha256)
    except BaseException:
        if not DatasetVersion.objects.filter(team=job.team, sha256=sha256).exists():
            shutil.rmtree(target, ignore_errors=True)  # No row points at these files: leave nothing behind.
        raise
    return version


def _dataset_for_import(job: DatasetJob) -> Dataset:
    dataset, created = Dataset.objects.get_or_create(
        team=job.team, name=job.dataset_name, defaults={"created_by": job.created_by}
    )
    if created:
        audit_record(actor=job.created_by, team=job.team, action="dataset.created", target=dataset)
    return dataset


def dataset_derive_request(*, version: DatasetVersion, user: AbstractBaseUser, kind: str, config: dict) -> DatasetJob:
    """Queue cleaning or augmentation of a version; the result is a new version of the same dataset."""
    with transaction.atomic():
        job = DatasetJob.objects.create(
            team=version.team,
            kind=kind,
            dataset_name=version.dataset.name,
            source_version=version,
            config=config,
            created_by=user,
        )
        audit_record(actor=user, team=version.team, action=f"dataset.{kind}_requested", target=version, details=config)
        dataset_job_enqueue(job)
    return job


def dataset_version_approve(*, version: DatasetVersion, user: AbstractBaseUser) -> bool:
    """Approve a version for training. False when it already was."""
    with transaction.atomic():
        updated = DatasetVersion.objects.filter(pk=version.pk, approved_at__isnull=True).update(
            approved_at=timezone.now(), approved_by=user
        )
        if updated:
            audit_record(actor=user, team=version.team, action="dataset.version_approved", target=version)
    return bool(updated)


def dataset_delete(*, dataset: Dataset, user: AbstractBaseUser) -> None:
    """Delete a dataset, its versions and their files; the audit trail stays."""
    paths = [Path(p) for p in dataset.versions.values_list("path", flat=True)]
    with transaction.atomic():
        audit_record(
            actor=user, team=dataset.team, action="dataset.deleted", target=dataset, details={"versions": len(paths)}
        )
        DatasetJob.objects.filter(source_version__dataset=dataset).delete()
        dataset.delete()
        transaction.on_commit(lambda: [shutil.rmtree(p, ignore_errors=True) for p in paths])
