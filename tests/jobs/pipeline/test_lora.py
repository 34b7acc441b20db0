"""The LoRA figures the new-run form shows equal what peft reports for the same choice."""

import pytest
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM

from jobs.pipeline.config import LoraSettings
from jobs.pipeline.lora import LoraChoiceError, lora_estimate
from tests.jobs.pipeline.test_model import CASES

# Dropout 0: peft adapts fused MoE experts only without dropout (see the refusal test below).
CHOICES = [
    {"target_modules": ["q_proj", "v_proj"], "dropout": 0.0},
    {"target_modules": ["o_proj"], "r": 4, "use_dora": True, "dropout": 0.0},
    {"target_modules": ["q_proj", "v_proj", "down_proj"], "bias": "all", "use_rslora": True, "dropout": 0.0},
]


def peft_figures(config, lora: LoraSettings) -> tuple[int, int]:
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config)
    # Built by hand here (not with jobs.pipeline.lora.peft_lora_config) so the test checks the translation too.
    peft_model = get_peft_model(
        model,
        LoraConfig(
            r=lora.r,
            lora_alpha=lora.alpha,
            target_modules=lora.target_modules,
            bias=lora.bias,
            use_dora=lora.use_dora,
            use_rslora=lora.use_rslora,
            lora_dropout=lora.dropout,
        ),
    )
    return peft_model.get_nb_trainable_parameters()


@pytest.mark.parametrize("config,names", CASES, ids=lambda c: getattr(c, "model_type", ""))
@pytest.mark.parametrize("choice", CHOICES, ids=["qv", "o-dora", "qvdown-bias-all"])
def test_it_counts_like_peft(config, names, choice):
    targets = [t for t in choice["target_modules"] if t in names] or [sorted(names)[0]]
    lora = LoraSettings(**(choice | {"target_modules": targets}))
    estimate = lora_estimate(config.to_dict(), lora)
    trainable, total = peft_figures(config, lora)
    assert (estimate.trainable_parameters, estimate.total_parameters) == (trainable, total)
    assert estimate.memory_bytes > 0


def test_it_explains_a_target_the_model_lacks():
    config = CASES[0][0]
    with pytest.raises(LoraChoiceError, match=r"None of the target modules \['w_nonexistent'\] exist"):
        lora_estimate(config.to_dict(), LoraSettings(target_modules=["w_nonexistent"]))


def test_it_explains_dropout_on_fused_experts():
    config = CASES[4][0]  # DeepSeek-V3: routed experts are fused 3-D weights named down_proj
    with pytest.raises(LoraChoiceError, match="fused Mixture-of-Experts weights.*dropout 0"):
        lora_estimate(config.to_dict(), LoraSettings(target_modules=["down_proj"], dropout=0.1))
