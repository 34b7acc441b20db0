"""Failures are classified and explained in plain words, with a fix."""

import pytest
import torch
from transformers import LlamaModel

from jobs.pipeline.train.loop import run_stage
from jobs.pipeline.train.types import TrainingFailure
from tests.jobs.pipeline.train.helpers import RecordingHooks, chat_row, make_request, write_jsonl

SETTINGS = dict(max_steps=3, per_device_batch_size=2, max_seq_length=64, r=4, precision="fp32")


def failure(request) -> TrainingFailure:
    with pytest.raises(TrainingFailure) as caught:
        run_stage(request, RecordingHooks())
    assert caught.value.reason and caught.value.fix
    return caught.value


def test_it_calls_data_whose_replies_are_all_cut_away_bad_data(tiny_model_dir, tmp_path):
    long = chat_row([("system", "Always answer politely and precisely. " * 8), ("user", "Hi"), ("assistant", "Hello")])
    train = write_jsonl(tmp_path / "train.jsonl", [long] * 5)
    caught = failure(
        make_request(tiny_model_dir("llama"), train, tmp_path / "out", **{**SETTINGS, "max_seq_length": 16})
    )
    assert caught.kind == "bad_data"
    assert (
        "5 rows had every assistant reply cut away" in caught.reason and "max_seq_length (16 tokens)" in caught.reason
    )
    assert "Raise max_seq_length" in caught.fix


def test_it_calls_a_diverging_loss_nan_loss(tiny_model_dir, chat_file, tmp_path, monkeypatch):
    # A learning rate within the config's limits does not reliably diverge a tiny model: inject it.
    calls, real_forward = [], LlamaModel.forward

    def diverging(self, *args, **kwargs):
        out = real_forward(self, *args, **kwargs)
        calls.append(1)
        if len(calls) >= 3:
            out.last_hidden_state = out.last_hidden_state * float("nan")
        return out

    monkeypatch.setattr(LlamaModel, "forward", diverging)
    caught = failure(make_request(tiny_model_dir("llama"), chat_file, tmp_path / "out", **SETTINGS))
    assert caught.kind == "nan_loss" and "NaN or infinite at step 3" in caught.reason
    assert "learning rate" in caught.fix


@pytest.mark.parametrize(
    "error",
    [
        torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"),
        RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: 4 GB"),
    ],
    ids=["cuda", "cpu"],
)
def test_it_calls_an_allocation_failure_out_of_memory(tiny_model_dir, chat_file, tmp_path, monkeypatch, error):
    def forward(*args, **kwargs):
        raise error

    monkeypatch.setattr(LlamaModel, "forward", forward)
    caught = failure(make_request(tiny_model_dir("llama"), chat_file, tmp_path / "out", **SETTINGS))
    assert caught.kind == "out_of_memory" and "ran out of memory" in caught.reason
    assert "per_device_batch_size" in caught.fix and "gradient_checkpointing" in caught.fix


def test_it_calls_a_missing_base_model_base_model_missing(chat_file, tmp_path):
    caught = failure(make_request(tmp_path / "nowhere", chat_file, tmp_path / "out", **SETTINGS))
    assert caught.kind == "base_model_missing" and "nowhere" in caught.reason


def test_it_refuses_qlora_without_cuda(tiny_model_dir, chat_file, tmp_path):
    if torch.cuda.is_available():
        pytest.skip("this worker has CUDA")
    caught = failure(make_request(tiny_model_dir("llama"), chat_file, tmp_path / "out", qlora_4bit=True, **SETTINGS))
    assert "QLoRA 4-bit needs a CUDA GPU" in caught.reason and "qlora_4bit" in caught.fix
