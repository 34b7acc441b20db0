"""Data-parallel training under torchrun (two gloo processes on CPU): the same update as one
process with doubled accumulation, rank 0 alone reporting and writing; and the launch CLI's
JSON lines, cancel file and failures, through `run_stage_in_processes`."""

import json
import os
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from jobs.pipeline.train.checkpoint import list_checkpoints
from jobs.pipeline.train.launch import REPO, request_to_json, run_stage_in_processes
from jobs.pipeline.train.loop import run_stage
from jobs.pipeline.train.types import TrainingFailure
from tests.jobs.pipeline.train.helpers import RecordingHooks, make_request

SETTINGS = dict(
    max_steps=2,
    per_device_batch_size=1,  # 4 rows: 2 batches a step, one for each process
    max_seq_length=64,
    learning_rate=1e-3,
    warmup_ratio=0.0,
    r=4,
    dropout=0.0,
    precision="fp32",
    packing=False,
    eval_every_steps=2,
    checkpoint_every_steps=2,
)


def torchrun(request_file, processes: int) -> list[dict]:
    """The JSON lines of `launch` run by torchrun in `processes` processes."""
    done = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}"]
        + ["-m", "jobs.pipeline.train.launch", str(request_file)],
        cwd=REPO,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def train_in_one_thread(request):
    """run_stage in this process with one thread, as each torchrun process has: the same
    matmul sums, the same rounding."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return run_stage(request, RecordingHooks())
    finally:
        torch.set_num_threads(threads)


def adapter_tensors(adapter_dir) -> dict:
    return load_file(adapter_dir / "adapter_model.safetensors")


def assert_same_adapter(adapter_dir, expected_dir) -> None:
    weights, expected = adapter_tensors(adapter_dir), adapter_tensors(expected_dir)
    assert weights.keys() == expected.keys() and len(weights) > 0
    assert any(w.abs().max() > 0 for n, w in weights.items() if "lora_B" in n)  # B starts at 0: it trained
    for name, weight in expected.items():
        torch.testing.assert_close(weights[name], weight, rtol=1e-5, atol=1e-7)


def test_two_processes_train_the_adapter_of_one_with_doubled_accumulation(smollm2_dir, chat_file, tmp_path):
    request = make_request(smollm2_dir, chat_file, tmp_path / "ddp", eval_file=chat_file, **SETTINGS)
    request_file = tmp_path / "request.json"
    request_file.write_text(request_to_json(request))
    events = torchrun(request_file, processes=2)

    single = train_in_one_thread(
        make_request(
            smollm2_dir, chat_file, tmp_path / "single", eval_file=chat_file, gradient_accumulation=2, **SETTINGS
        )
    )

    # Rank 0 alone speaks: one start line, one progress line a step, one result.
    assert len([e for e in events if e["event"] == "log" and e["line"].startswith("sft: ")]) == 1
    assert "cpu × 2 processes" in next(e["line"] for e in events if e["event"] == "log")
    assert [e["step"] for e in events if e["event"] == "progress"] == [1, 2]
    (result,) = [e for e in events if e["event"] == "result"]
    assert result["extra"]["processes"] == 2 and not result["cancelled"]

    out = tmp_path / "ddp"
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    single_rows = [json.loads(line) for line in single.metrics_file.read_text().splitlines()]
    assert [row["step"] for row in rows] == [1, 2]
    assert [row["loss"] for row in rows] == pytest.approx([row["loss"] for row in single_rows], rel=1e-4)
    assert result["final_eval_loss"] == pytest.approx(single.final_eval_loss, rel=1e-4)
    assert [p.name for p in list_checkpoints(out)] == ["step-000002"]
    assert sorted(p.name for p in out.iterdir()) == [
        "adapter",
        "checkpoints",
        "config.json",
        "manifest.json",
        "metrics.jsonl",
    ]
    assert_same_adapter(out / "adapter", single.adapter_dir)


def test_processes_stop_when_asked_and_resume_to_the_adapter_of_one_process(tiny_model_dir, chat_file, tmp_path):
    settings = {**SETTINGS, "max_steps": 30, "checkpoint_every_steps": 100}  # steps cross epochs
    request = make_request(tiny_model_dir("llama"), chat_file, tmp_path / "out", **settings)
    hooks = RecordingHooks(stop_after=2)
    cancelled = run_stage_in_processes(request, hooks, processes=2)

    # The cancel file reaches the processes within a few steps of the hooks asking.
    assert cancelled.cancelled and 2 <= cancelled.steps < 30
    assert [p.step for p in hooks.progress] == list(range(1, cancelled.steps + 1))
    assert any(line.startswith("sft: ") for line in hooks.lines)
    assert any(line.startswith(f"Cancelled at step {cancelled.steps}") for line in hooks.lines)
    assert cancelled.adapter_dir == tmp_path / "out" / "checkpoints" / f"step-{cancelled.steps:06d}" / "adapter"

    hooks = RecordingHooks()
    resumed = run_stage_in_processes(request, hooks, processes=2)
    assert any(line.startswith(f"Resumed from step-{cancelled.steps:06d}") for line in hooks.lines)
    assert [p.step for p in hooks.progress] == list(range(cancelled.steps + 1, 31))
    single = train_in_one_thread(
        make_request(tiny_model_dir("llama"), chat_file, tmp_path / "single", gradient_accumulation=2, **settings)
    )
    assert resumed.steps == 30 and resumed.final_loss == pytest.approx(single.final_loss, rel=1e-5)
    assert_same_adapter(resumed.adapter_dir, single.adapter_dir)


def test_a_failure_of_the_processes_is_a_training_failure(chat_file, tmp_path):
    request = make_request(tmp_path / "nowhere", chat_file, tmp_path / "out", **SETTINGS)
    with pytest.raises(TrainingFailure) as caught:
        run_stage_in_processes(request, RecordingHooks(), processes=2)
    assert caught.value.kind == "base_model_missing" and "nowhere" in caught.value.reason
