"""Pretraining, chained stages, continual learning with replay, and the LoRA toggles."""

import dataclasses

import pytest
from safetensors.torch import load_file

from jobs.pipeline.train.loop import run_stage
from tests.jobs.pipeline.train.helpers import RecordingHooks, make_request, write_jsonl

SETTINGS = dict(per_device_batch_size=2, max_seq_length=32, learning_rate=1e-2, r=4, precision="fp32")


def test_it_pretrains_on_raw_text_then_continues_from_that_adapter(tiny_model_dir, chat_file, tmp_path):
    base = tiny_model_dir("llama")
    text = write_jsonl(
        tmp_path / "text.jsonl", [{"text": f"Ledger entry {i}: teal seal, amber vault."} for i in range(12)]
    )
    pretrain = run_stage(
        make_request(base, text, tmp_path / "pretrain", kind="pretrain", max_steps=4, **SETTINGS), RecordingHooks()
    )
    assert pretrain.steps == 4 and pretrain.extra["packing"] is False

    old = write_jsonl(tmp_path / "old.jsonl", [{"text": f"Old note {i}."} for i in range(20)])
    request = make_request(base, text, tmp_path / "continual", kind="pretrain", max_steps=1, **SETTINGS)
    config = type(request.config).model_validate(
        {**request.config.model_dump(), "continual": {"from_run": 1, "replay_fraction": 0.5}}
    )
    request = dataclasses.replace(request, config=config, start_adapter_dir=pretrain.adapter_dir, replay_file=old)
    hooks = RecordingHooks()
    continued = run_stage(request, hooks)
    assert continued.extra["replay_rows"] == 6
    # Starting from the pretrained adapter: the first loss is about where pretraining ended.
    assert continued.first_loss < pretrain.first_loss
    assert (
        load_file(continued.adapter_dir / "adapter_model.safetensors").keys()
        == load_file(pretrain.adapter_dir / "adapter_model.safetensors").keys()
    )


@pytest.mark.parametrize("toggle", ["use_dora", "use_rslora"])
@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_the_lora_toggles_train(tiny_model_dir, chat_file, tmp_path, toggle, precision):
    settings = {**SETTINGS, "precision": precision, "max_seq_length": 64, toggle: True}
    result = run_stage(
        make_request(tiny_model_dir("llama"), chat_file, tmp_path / "out", max_steps=2, **settings), RecordingHooks()
    )
    weights = load_file(result.adapter_dir / "adapter_model.safetensors")
    assert result.steps == 2 and result.final_loss == result.final_loss
    if toggle == "use_dora":
        assert any("lora_magnitude_vector" in name for name in weights)
