from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from studio.basemodels.models import BaseModel
from studio.evaluations.models import Evaluation
from studio.runs.models import Run
from studio.runs.training import final_adapter_dir
from tests.factories import make_ready_base_model, make_run, make_version
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)
from tests.studio.evaluations.conftest import save_adapter, tiny_base_model, train_only_version


def evaluate(*args) -> str:
    out = StringIO()
    call_command("evaluate", *[str(a) for a in args], stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    "args,message",
    [
        (["--run", 999], "No run 999."),
        (["--base-model", "nope", "--dataset", 1], "No base model 'nope'"),
        (["--run", 1, "--max-examples", 0], "--max-examples must be at least 1."),
    ],
)
def test_it_names_what_it_cannot_find(args, message, db):
    with pytest.raises(CommandError, match=message):
        evaluate(*args)


def test_it_refuses_a_run_that_did_not_succeed(team):
    run = make_run(team, status="running")
    with pytest.raises(CommandError, match=f"Run #{run.pk} \\(Finance LoRA\\) has not succeeded"):
        evaluate("--run", run.pk)


def test_it_refuses_a_base_model_that_is_not_ready(team):
    base_model = make_ready_base_model()
    BaseModel.objects.filter(pk=base_model.pk).update(status="failed")
    with pytest.raises(CommandError, match="is not ready yet \\(failed\\)"):
        evaluate("--base-model", base_model.name, "--dataset", make_version(team).pk)


def test_it_needs_a_dataset_version_with_held_out_rows(team):
    name = make_ready_base_model().name
    with pytest.raises(CommandError, match="--base-model needs --dataset VERSION_ID"):
        evaluate("--base-model", name)
    with pytest.raises(CommandError, match="No dataset version 999."):
        evaluate("--base-model", name, "--dataset", 999)
    with pytest.raises(CommandError, match="has no held-out \\(eval\\) rows"):
        evaluate("--base-model", name, "--dataset", train_only_version(team).pk)
    with pytest.raises(CommandError, match="No template 'legal'"):
        evaluate("--base-model", name, "--dataset", make_version(team).pk, "--template", "legal")
    assert not Evaluation.objects.exists()


def test_it_hands_the_evaluation_to_a_worker(team, django_capture_on_commit_callbacks):
    run = make_run(team, status="succeeded")
    with django_capture_on_commit_callbacks() as callbacks:
        out = evaluate("--run", run.pk, "--max-examples", 3, "--queue")
    evaluation = Evaluation.objects.get()
    assert out.strip() == f"{evaluation} is queued for a CPU worker."
    assert (evaluation.status, evaluation.max_examples) == ("queued", 3) and len(callbacks) == 1


@pytest.mark.slow
def test_it_evaluates_a_run_here_and_prints_the_table(team, tiny_model_dir):  # noqa: F811
    base_dir = tiny_model_dir("llama")
    run = make_run(team, status="succeeded")
    Run.objects.filter(pk=run.pk).update(base_model=tiny_base_model(base_dir))
    save_adapter(base_dir, final_adapter_dir(run))

    out = evaluate("--run", run.pk, "--max-examples", 2, "--max-new-tokens", 3)
    evaluation = Evaluation.objects.get()
    assert evaluation.status == "succeeded" and len(evaluation.report["pairs"]) == 2
    assert evaluation.report["settings"]["tuned"]["max_new_tokens"] == 3
    lines = out.splitlines()
    total = evaluation.progress_total
    assert any("100.0%" in line and f"{total}/{total} " in line for line in lines)
    header = next(line for line in lines if line.startswith("metric"))
    assert header.split() == ["metric", "base", "tuned", "change"]
    assert any(line.startswith("numeric_em ") for line in lines)
    assert any(line.startswith("Tokens/s, batched") for line in lines)
    assert lines[-2].startswith("Release gates: ")
    assert lines[-1] == f"Report: {evaluation.report_dir}/report.html"


@pytest.mark.slow
def test_it_evaluates_a_base_model_alone(team, tiny_model_dir):  # noqa: F811
    base_model = tiny_base_model(tiny_model_dir("llama"))
    version = make_version(team)
    out = evaluate("--base-model", base_model.name, "--dataset", version.pk, "--max-new-tokens", 2)
    evaluation = Evaluation.objects.get()
    assert (evaluation.status, evaluation.run, evaluation.template.name) == ("succeeded", None, "general")
    assert evaluation.report_dir.endswith(f"evaluations/{evaluation.pk}")
    assert "Release gates" not in out
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "base"]
    assert all(row["tuned"] is None for row in evaluation.report["table"])
