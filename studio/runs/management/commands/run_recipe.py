import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from studio.accounts.models import Team
from studio.runs.models import Run
from studio.runs.services import RunConfigInvalid, run_config_from_yaml, run_create


class Command(BaseCommand):
    help = "Validate a YAML run recipe, create the run and queue it; --wait follows it to the end."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--team", required=True, help="The team's slug or name.")
        parser.add_argument(
            "--wait", action="store_true", help="Show progress until the run ends; exit 1 unless it succeeded."
        )
        parser.add_argument("--priority", type=int, default=5, choices=range(10))

    def handle(self, *args, path: Path, team: str, wait: bool, priority: int, **options):
        owner = Team.objects.filter(slug=team).first() or Team.objects.filter(name=team).first()
        if owner is None:
            raise CommandError(f"No team {team!r}.")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        try:
            config = run_config_from_yaml(text, team=owner)
        except RunConfigInvalid as invalid:
            self.stderr.write(self.style.ERROR(f"{path} is not a valid recipe:"))
            for key, message in invalid.errors.items():
                self.stderr.write(f"  {key}: {message}")
            sys.exit(2)
        run = run_create(team=owner, user=None, config=config, priority=priority)
        self.stdout.write(f"Run #{run.pk} {run.name} is queued.")
        if wait:
            sys.exit(0 if self.follow(run) == Run.Status.SUCCEEDED else 1)

    def follow(self, run: Run) -> str:
        """A one-line progress bar with loss and ETA, redrawn until the run ends."""
        while True:
            run.refresh_from_db()
            self.stdout.write("\r" + progress_line(run), ending="")
            self.stdout.flush()
            if run.is_finished:
                self.stdout.write("")
                if run.status == Run.Status.FAILED:
                    self.stderr.write(f"{run.failure_reason}\nWhat to do: {run.failure_fix}")
                else:
                    self.stdout.write(f"Run #{run.pk} {run.get_status_display().lower()}.")
                return run.status
            time.sleep(1)


def progress_line(run: Run, width: int = 30) -> str:
    filled = int(width * run.progress_percent / 100)
    bar = "█" * filled + "·" * (width - filled)
    latest = run.latest or {}
    loss = f" loss {latest['loss']:.4f}" if latest.get("loss") is not None else ""
    speed = f" {latest['tokens_per_second']:.0f} tok/s" if latest.get("tokens_per_second") else ""
    eta = f" ETA {int(run.eta.total_seconds())}s" if run.eta else ""
    stage = f" {run.stage}" if run.stage else ""
    return (
        f"[{bar}] {run.progress_percent:5.1f}% step {run.progress_done}/{run.progress_total}"
        f"{stage}{loss}{speed}{eta} {run.get_status_display().lower()}   "
    )
