"""A training worker with TRAIN_PROCESSES=2 trains each stage through torchrun (two gloo processes
on CPU here): progress and the log reach the run, cancel stops the processes."""

import json
from pathlib import Path

import pytest

from studio.runs.services import run_cancel
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)
from tests.jobs.test_train_worker import finance_rows, launch, register, wait  # noqa: F401 (fixture)

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def test_a_worker_with_two_processes_trains_and_cancels_runs(start_worker, team, owner, tiny_model_dir, finance_rows):  # noqa: F811
    worker = start_worker(TRAIN_PROCESSES=2)
    base_model = register(tiny_model_dir("llama"), "tiny llama")

    run = wait(launch(team, base_model, finance_rows, max_steps=4), lambda r: r.is_finished, workers=[worker])
    assert run.status == "succeeded", f"{run.failure_kind}: {run.failure_reason}"
    assert run.progress_done == run.progress_total == 4 and run.latest["step"] == 4
    stage_dir = Path(run.output_dir) / "stage-0-sft"
    assert [json.loads(line)["step"] for line in (stage_dir / "metrics.jsonl").read_text().splitlines()] == [1, 2, 3, 4]
    log = (Path(run.output_dir) / "run.log").read_text()
    assert "cpu × 2 processes" in log and log.count("Finished 4 steps") == 1

    run = launch(team, base_model, finance_rows, max_steps=400, checkpoint_every_steps=50)
    run = wait(run, lambda r: r.progress_done >= 2, workers=[worker])
    run_cancel(run=run, user=owner)
    run = wait(run, lambda r: r.is_finished, workers=[worker])
    assert run.status == "cancelled" and run.progress_done < 400
    stage_dir = Path(run.output_dir) / "stage-0-sft"
    assert list((stage_dir / "checkpoints").iterdir()), "the last checkpoint is kept"
