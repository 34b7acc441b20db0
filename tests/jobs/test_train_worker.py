"""Training through real Celery workers: a run trains the embedded model, a killed worker's run
resumes elsewhere and ends with the same adapter, and cancel stops a run within a few steps."""

import json
import os
import signal
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from jobs.pipeline.config import RunConfig
from jobs.pipeline.train.outputs import file_sha256
from studio.basemodels.models import BaseModel
from studio.runs.models import Run
from studio.runs.services import run_cancel, run_config_validate, run_create
from studio.runs.training import final_adapter_dir
from tests.factories import make_version
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.worker, pytest.mark.slow]

FINANCE_DEMO = Path(__file__).resolve().parents[2] / "catalog" / "finance" / "demo.jsonl"


def register(path: Path, name: str) -> BaseModel:
    from jobs.pipeline.model import describe_hf_dir

    facts = describe_hf_dir(path)
    return BaseModel.objects.create(
        name=name,
        source="local",
        location=str(path),
        local_path=str(path),
        status="ready",
        architecture=facts.architecture,
        parameter_count=facts.parameter_count,
        linear_module_names=facts.linear_module_names,
        config=facts.config,
    )


def launch(team, base_model, version, **hyperparameters) -> Run:
    data = {
        "name": "worker test",
        "template": "finance",
        "base_model": base_model.name,
        "stages": [{"kind": "sft", "dataset_version": version.pk}],
        "lora": {"r": 4, "alpha": 8, "dropout": 0.0, "target_modules": ["q_proj", "v_proj"]},
        "hyperparameters": {
            "max_seq_length": 96,
            "per_device_batch_size": 4,
            "learning_rate": 1e-3,
            "warmup_ratio": 0.0,
            "precision": "fp32",
            **hyperparameters,
        },
    }
    return run_create(team=team, user=None, config=run_config_validate(data, team=team))


def wait(run: Run, until, *, workers, timeout=300) -> Run:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if until(run):
            return run
        time.sleep(0.3)
    logs = "\n".join(w.log_path.read_text()[-3000:] for w in workers)
    pytest.fail(f"run {run.pk} stuck at {run.status} step {run.progress_done}. Worker logs:\n{logs}")


@pytest.fixture
def finance_rows(team):
    rows = [json.loads(line) for line in FINANCE_DEMO.read_text().splitlines()[:40]]
    return make_version(team, rows, name="Finance sample", approved=True)


def test_it_trains_the_embedded_model_on_a_worker(celery_worker, team, smollm2_dir, finance_rows):  # noqa: F811
    base_model = register(smollm2_dir, "SmolLM2 (test cache)")
    run = launch(team, base_model, finance_rows, max_steps=4, eval_every_steps=2, checkpoint_every_steps=2)

    run = wait(run, lambda r: r.is_finished, workers=[celery_worker])
    assert run.status == "succeeded", f"{run.failure_kind}: {run.failure_reason}"
    stage_dir = Path(run.output_dir) / "stage-0-sft"
    metrics = [json.loads(line) for line in (stage_dir / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in metrics if m.get("loss") is not None] == [1, 2, 3, 4]
    assert run.latest["step"] == 4 and run.progress_done == run.progress_total == 4
    manifest = json.loads((stage_dir / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert file_sha256(stage_dir / name) == digest, name

    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    inputs = torch.tensor([[1, 504, 3458, 314, 260, 4117, 30]])
    base = AutoModelForCausalLM.from_pretrained(smollm2_dir)
    with torch.no_grad():
        before = base(inputs).logits
        after = PeftModel.from_pretrained(base, final_adapter_dir(run))(inputs).logits
    assert not torch.allclose(before, after)


def adapter_tensors(run: Run) -> dict:
    return load_file(final_adapter_dir(run) / "adapter_model.safetensors")


def test_it_resumes_a_run_whose_worker_was_killed(start_worker, team, tiny_model_dir, finance_rows):  # noqa: F811
    base_model = register(tiny_model_dir("llama"), "tiny llama")
    settings = dict(max_steps=150, checkpoint_every_steps=10, eval_every_steps=1000, precision="fp32")
    fast_heartbeat = {"RUN_HEARTBEAT_SECONDS": 0.5}

    first = start_worker(**fast_heartbeat)
    reference = wait(launch(team, base_model, finance_rows, **settings), lambda r: r.is_finished, workers=[first])
    assert reference.status == "succeeded", reference.failure_reason

    run = launch(team, base_model, finance_rows, **settings)
    # Past a checkpoint and still training: the worker dies mid-run.
    run = wait(run, lambda r: 20 <= r.progress_done < 140 and r.status == "running", workers=[first])
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    time.sleep(2)  # three missed heartbeats: the run's worker is now known to be lost

    second = start_worker(**fast_heartbeat)  # on start it queues the runs of dead workers again
    run = wait(run, lambda r: r.is_finished, workers=[first, second])
    assert run.status == "succeeded", run.failure_reason
    assert run.attempts == 2
    expected, resumed = adapter_tensors(reference), adapter_tensors(run)
    assert expected.keys() == resumed.keys()
    for name, tensor in expected.items():
        torch.testing.assert_close(resumed[name], tensor, rtol=1e-4, atol=1e-6, msg=name)


def test_it_cancels_within_a_few_steps(celery_worker, team, tiny_model_dir, finance_rows, owner):  # noqa: F811
    base_model = register(tiny_model_dir("llama"), "tiny llama")
    run = launch(team, base_model, finance_rows, max_steps=400, checkpoint_every_steps=50)
    run = wait(run, lambda r: r.progress_done >= 2, workers=[celery_worker])
    run_cancel(run=run, user=owner)
    asked_at = Run.objects.get(pk=run.pk).progress_done
    run = wait(run, lambda r: r.is_finished, workers=[celery_worker])
    assert run.status == "cancelled"
    assert run.progress_done <= asked_at + 10 < 400
    stage_dir = Path(run.output_dir) / "stage-0-sft"
    assert list((stage_dir / "checkpoints").iterdir()), "the last checkpoint is kept"
    assert RunConfig.model_validate(run.config).hyperparameters.max_steps == 400
