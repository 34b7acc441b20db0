"""LoRA on the attention layers of Mixture-of-Experts models (tiny random ones)."""

import pytest
from safetensors.torch import load_file

from jobs.pipeline.train.loop import run_stage
from jobs.pipeline.train.types import TrainingFailure
from tests.jobs.pipeline.train.helpers import RecordingHooks, make_request

SETTINGS = dict(max_steps=3, per_device_batch_size=2, max_seq_length=64, learning_rate=1e-2, r=4, precision="fp32")

CASES = [
    ("mixtral", ["q_proj", "k_proj", "v_proj", "o_proj"]),
    ("qwen2_moe", ["q_proj", "k_proj", "v_proj", "o_proj"]),
    ("deepseek_v3", ["q_a_proj", "q_b_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj"]),  # MLA attention
]


@pytest.mark.parametrize("kind,targets", CASES, ids=[kind for kind, _ in CASES])
def test_it_trains_lora_on_moe_attention(tiny_model_dir, chat_file, tmp_path, kind, targets):
    request = make_request(tiny_model_dir(kind), chat_file, tmp_path / "out", target_modules=targets, **SETTINGS)
    result = run_stage(request, RecordingHooks())
    assert result.steps == 3 and all(loss == loss for loss in (result.first_loss, result.final_loss))
    weights = load_file(result.adapter_dir / "adapter_model.safetensors")
    assert {name.split(".")[-3] for name in weights} == set(targets)
    assert any(name.endswith("lora_B.weight") and t.abs().sum() > 0 for name, t in weights.items())


def test_it_names_the_real_layers_when_targets_do_not_exist(tiny_model_dir, chat_file, tmp_path):
    request = make_request(tiny_model_dir("deepseek_v3"), chat_file, tmp_path / "out", **SETTINGS)  # q_proj, v_proj
    with pytest.raises(TrainingFailure) as caught:
        run_stage(request, RecordingHooks())
    assert "are not layers of this deepseek_v3 model" in caught.value.reason
    assert "q_a_proj" in caught.value.fix
