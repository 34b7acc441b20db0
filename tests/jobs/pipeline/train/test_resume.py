"""Checkpoints: a run that crashes and resumes ends where an uninterrupted run ends; cancel
keeps a checkpoint."""

import json

import pytest
import torch
from safetensors.torch import load_file

from jobs.pipeline.train.checkpoint import list_checkpoints
from jobs.pipeline.train.loop import run_stage
from tests.jobs.pipeline.train.helpers import RecordingHooks, SimulatedCrash, make_request

SETTINGS = dict(
    max_steps=8,
    per_device_batch_size=2,
    gradient_accumulation=2,  # 2 batches per epoch: steps cross epochs
    max_seq_length=64,
    learning_rate=1e-2,
    warmup_ratio=0.25,
    scheduler="cosine",
    dropout=0.1,  # dropout draws from the torch RNG: resuming must restore it
    r=4,
    checkpoint_every_steps=3,
    keep_checkpoints=2,
    eval_every_steps=4,
    packing=False,
    precision="fp32",
)


def adapter_tensors(result) -> dict:
    return load_file(result.adapter_dir / "adapter_model.safetensors")


def test_it_resumes_to_the_same_adapter_as_an_uninterrupted_run(tiny_model_dir, chat_file, tmp_path):
    base = tiny_model_dir("llama")
    straight = run_stage(
        make_request(base, chat_file, tmp_path / "straight", eval_file=chat_file, **SETTINGS), RecordingHooks()
    )

    resumed_dir = tmp_path / "resumed"
    request = make_request(base, chat_file, resumed_dir, eval_file=chat_file, **SETTINGS)
    with pytest.raises(SimulatedCrash):
        run_stage(request, RecordingHooks(crash_at=5))  # the checkpoint of step 3 is the latest
    assert [p.name for p in list_checkpoints(resumed_dir)] == ["step-000003"]
    hooks = RecordingHooks()
    resumed = run_stage(request, hooks)

    assert [p.step for p in hooks.progress] == [4, 5, 6, 7, 8]
    assert any("Resumed from step-000003" in line for line in hooks.lines)
    a, b = adapter_tensors(straight), adapter_tensors(resumed)
    assert a.keys() == b.keys() and len(a) > 0
    for name in a:
        torch.testing.assert_close(b[name], a[name], rtol=1e-5, atol=1e-7)
    lines = [json.loads(line) for line in resumed.metrics_file.read_text().splitlines()]
    straight_lines = [json.loads(line) for line in straight.metrics_file.read_text().splitlines()]
    assert [row["step"] for row in lines] == list(range(1, 9))
    assert [row["loss"] for row in lines] == pytest.approx([row["loss"] for row in straight_lines], rel=1e-5)
    assert resumed.final_eval_loss == pytest.approx(straight.final_eval_loss, rel=1e-5)
    assert [p.name for p in list_checkpoints(resumed_dir)] == ["step-000003", "step-000006"]


def test_it_returns_the_finished_result_when_run_again(tiny_model_dir, chat_file, tmp_path):
    request = make_request(tiny_model_dir("llama"), chat_file, tmp_path / "out", **{**SETTINGS, "max_steps": 2})
    first = run_stage(request, RecordingHooks())
    hooks = RecordingHooks()
    again = run_stage(request, hooks)
    assert hooks.progress == [] and again.steps == 2 and again.final_loss == first.final_loss


def test_it_cancels_at_a_step_boundary_and_keeps_a_checkpoint(tiny_model_dir, chat_file, tmp_path):
    request = make_request(
        tiny_model_dir("llama"),
        chat_file,
        tmp_path / "out",
        **{**SETTINGS, "checkpoint_every_steps": 50, "packing": True},
    )
    result = run_stage(request, RecordingHooks(stop_after=3))
    assert result.cancelled and result.steps == 3 and result.manifest_file is None
    assert [p.name for p in list_checkpoints(tmp_path / "out")] == ["step-000003"]
    assert result.adapter_dir == tmp_path / "out" / "checkpoints" / "step-000003" / "adapter"
    assert (result.adapter_dir / "adapter_model.safetensors").exists()
    assert not (tmp_path / "out" / "adapter").exists()
