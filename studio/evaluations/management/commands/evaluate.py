import sys
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from studio.basemodels.models import BaseModel
from studio.datasets.models import DatasetVersion
from studio.evaluations.models import Evaluation
from studio.evaluations.selectors import FIGURES
from studio.evaluations.services import (
    EvaluationRefused,
    evaluation_claim,
    evaluation_create,
    evaluation_create_for_run,
    evaluation_execute,
)
from studio.evaluations.templatetags.evaluation_extras import figure, signed
from studio.industry.selectors import template_latest
from studio.runs.models import Run


class Command(BaseCommand):
    help = (
        "Evaluate a succeeded run against its base model (--run), or a base model alone on a dataset "
        "version (--base-model, --dataset), on the held-out rows. Runs here unless --queue is given."
    )

    def add_arguments(self, parser):
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--run", type=int, metavar="RUN_ID", help="A succeeded run.")
        subject.add_argument("--base-model", metavar="NAME", help="A ready base model, evaluated alone.")
        parser.add_argument(
            "--dataset", type=int, metavar="VERSION_ID", help="The dataset version (with --base-model)."
        )
        parser.add_argument(
            "--template", default="general", help="Whose evaluation suite to use with --base-model (default general)."
        )
        parser.add_argument("--max-examples", type=int, help="Held-out rows at most (default EVAL_MAX_EXAMPLES).")
        parser.add_argument("--max-new-tokens", type=int, help="Tokens per answer (default EVAL_MAX_NEW_TOKENS).")
        parser.add_argument("--queue", action="store_true", help="Hand it to a CPU worker instead of running here.")

    def handle(self, *args, **options):
        for name in ("max_examples", "max_new_tokens"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if options["run"] is not None and options["dataset"] is not None:
            raise CommandError("--dataset goes with --base-model; a run is evaluated on its own data's held-out rows.")
        limits = {"max_examples": options["max_examples"], "max_new_tokens": options["max_new_tokens"]}
        enqueue = options["queue"]
        try:
            if options["run"] is not None:
                evaluation = evaluation_create_for_run(
                    run=self.find_run(options["run"]), user=None, enqueue=enqueue, **limits
                )
            else:
                evaluation = self.create_for_base_model(options, limits, enqueue)
        except EvaluationRefused as refused:
            raise CommandError(str(refused)) from None
        if enqueue:
            self.stdout.write(f"{evaluation} is queued for a CPU worker.")
            return
        if not evaluation_claim(evaluation_id=evaluation.pk):
            raise CommandError(f"{evaluation} was taken by a worker; follow it on its page.")
        evaluation = self.execute_with_progress(evaluation)
        if evaluation.status != Evaluation.Status.SUCCEEDED:
            self.stderr.write(f"{evaluation} failed: {evaluation.error}")
            sys.exit(1)
        self.stdout.write(metric_table(evaluation.report))
        self.stdout.write(f"Report: {evaluation.report_dir}/report.html")

    def find_run(self, run_id: int) -> Run:
        run = Run.objects.select_related("team", "base_model", "template").filter(pk=run_id).first()
        if run is None:
            raise CommandError(f"No run {run_id}.")
        return run

    def create_for_base_model(self, options, limits, enqueue) -> Evaluation:
        base_model = BaseModel.objects.filter(name=options["base_model"]).first()
        if base_model is None:
            names = ", ".join(BaseModel.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No base model {options['base_model']!r} (registered: {names}).")
        if options["dataset"] is None:
            raise CommandError("--base-model needs --dataset VERSION_ID: the version whose held-out rows to use.")
        version = DatasetVersion.objects.select_related("team", "dataset").filter(pk=options["dataset"]).first()
        if version is None:
            raise CommandError(f"No dataset version {options['dataset']}.")
        template = template_latest(options["template"])
        if template is None:
            raise CommandError(f"No template {options['template']!r}.")
        return evaluation_create(
            team=version.team,
            user=None,
            base_model=base_model,
            dataset_version=version,
            template=template,
            enqueue=enqueue,
            **limits,
        )

    def execute_with_progress(self, evaluation: Evaluation) -> Evaluation:
        """Run the evaluation here while a line shows how far it is (read from the row it updates)."""
        done = threading.Event()

        def show():
            try:
                while not done.wait(1.0):
                    if row := Evaluation.objects.filter(pk=evaluation.pk).first():
                        self.stdout.write("\r" + progress_line(row), ending="")
                        self.stdout.flush()
            finally:
                connection.close()  # this thread's own connection

        watcher = threading.Thread(target=show, daemon=True)
        watcher.start()
        try:
            evaluation = evaluation_execute(evaluation_id=evaluation.pk)
        finally:
            done.set()
            watcher.join()
        self.stdout.write("\r" + progress_line(evaluation))
        return evaluation


def progress_line(evaluation: Evaluation, width: int = 30) -> str:
    filled = int(width * evaluation.progress_percent / 100)
    eta = f" ETA {int(evaluation.eta.total_seconds())}s" if evaluation.eta else ""
    return (
        f"[{'█' * filled}{'·' * (width - filled)}] {evaluation.progress_percent:5.1f}% "
        f"{evaluation.progress_done}/{evaluation.progress_total} {evaluation.phase}{eta}   "
    )


def metric_table(report: dict) -> str:
    """The report's table as aligned text, and the release gates' verdict."""
    compared = report["labels"]["tuned"] is not None
    heads = ["metric", "base", *(["tuned", "change"] if compared else [])]
    lines = []
    for row in report["table"]:
        name = FIGURES.get(row["metric"], (row["metric"],))[0]
        cells = [name, figure(row["base"])]
        if compared:
            cells += [figure(row["tuned"]), signed(row["delta"])]
        lines.append(cells)
    widths = [max(len(str(c)) for c in column) for column in zip(heads, *lines, strict=True)]
    text = [
        "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() for cells in [heads, *lines]
    ]
    if compared:
        failed = [f"{g['metric']} {g['rule']} {g['threshold']:g}" for g in report["gates"] if not g["passed"]]
        text.append("Release gates: " + ("passed" if report["passed"] else "failed (" + "; ".join(failed) + ")"))
    return "\n".join(text)
