import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobs.pipeline.data.formats import FORMATS
from studio.accounts.models import Team
from studio.datasets.services import dataset_import_create, dataset_job_claim, dataset_job_run


class Command(BaseCommand):
    help = "Import a dataset file into a team: validate, version and split it, as the web upload does."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--team", required=True, help="The team's slug or name.")
        parser.add_argument("--name", help="Dataset name (default: the file name without extension).")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])

    def handle(self, *args, path: Path, team: str, name: str | None, format: str, **options):
        owner = Team.objects.filter(slug=team).first() or Team.objects.filter(name=team).first()
        if owner is None:
            raise CommandError(f"No team {team!r}.")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        job = dataset_import_create(
            team=owner, user=None, name=name or path.stem, source=path, requested_format=format, enqueue=False
        )
        dataset_job_claim(job_id=job.pk)
        self.stderr.write(f"Validating {path} ({path.stat().st_size:,} bytes)…")
        job = dataset_job_run(job_id=job.pk)
        if job.status == job.Status.SUCCEEDED:
            v = job.result_version
            self.stdout.write(
                f"{v} (id {v.pk}): {v.row_count} rows, {v.train_count} train / {v.eval_count} eval, sha256 {v.sha256}"
            )
            return
        self.stderr.write(self.style.ERROR(job.error))
        for problem in job.report.get("problems", []):
            where = f"line {problem['line']}" if problem["line"] else "file"
            field = f", field {problem['field']}" if problem.get("field") else ""
            self.stderr.write(f"  {where}{field}: {problem['reason']}")
        hidden = job.report.get("problem_count", 0) - len(job.report.get("problems", []))
        if hidden > 0:
            self.stderr.write(f"  … and {hidden} more")
        sys.exit(1)
