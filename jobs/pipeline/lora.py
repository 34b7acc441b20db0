"""Trainable and total parameters of a LoRA choice, and the memory a training run needs,
from the model's config alone (built on the meta device: no weights are read)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache

from jobs.pipeline.config import Hyperparameters, LoraSettings

BYTES_FP32 = 4


@dataclass(frozen=True)
class LinearShape:
    name: str  # qualified module name
    in_features: int
    out_features: int
    has_bias: bool


@dataclass(frozen=True)
class ModelShapes:
    total_parameters: int
    linears: tuple[LinearShape, ...]
    hidden_size: int
    num_layers: int
    vocab_size: int


@dataclass(frozen=True)
class LoraEstimate:
    trainable_parameters: int
    total_parameters: int  # base parameters + the adapter's
    adapted_layers: int
    memory_bytes: int  # estimated peak for training (weights, adapter optimizer state, activations, logits)

    @property
    def trainable_percent(self) -> float:
        return 100.0 * self.trainable_parameters / self.total_parameters

    def to_dict(self) -> dict:
        return asdict(self) | {"trainable_percent": self.trainable_percent}


def _config_key(config: dict) -> str:
    import json

    return json.dumps(config, sort_keys=True, default=str)


@lru_cache(maxsize=16)
def _shapes_cached(config_json: str) -> ModelShapes:
    import json

    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    data = json.loads(config_json)
    config = AutoConfig.for_model(data.pop("model_type"), **data)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    output = model.get_output_embeddings()
    linears = tuple(
        LinearShape(name, m.in_features, m.out_features, m.bias is not None)
        for name, m in model.named_modules()
        if isinstance(m, torch.nn.Linear) and m is not output
    )
    text = config.get_text_config() if hasattr(config, "get_text_config") else config
    return ModelShapes(
        total_parameters=sum(p.numel() for p in model.parameters()),
        linears=linears,
        hidden_size=text.hidden_size,
        num_layers=text.num_hidden_layers,
        vocab_size=text.vocab_size,
    )


def model_shapes(config: dict) -> ModelShapes:
    """Shapes of a model from its config dict (as stored for a base model), cached per config."""
    return _shapes_cached(_config_key(config))


@lru_cache(maxsize=64)
def _peft_counts(config_json: str, lora_json: str) -> tuple[int, int, int]:
    """(trainable, total, adapted modules) as peft itself counts them, on the meta device."""
    import json
    import warnings

    import torch
    from peft import get_peft_model
    from transformers import AutoConfig, AutoModelForCausalLM

    data, lora = json.loads(config_json), LoraSettings.model_validate_json(lora_json)
    config = AutoConfig.for_model(data.pop("model_type"), **data)
    with torch.device("meta"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AutoModelForCausalLM.from_config(config)
        try:
            peft_model = get_peft_model(model, peft_lora_config(lora))
        except ValueError as exc:  # e.g. a target the model lacks, dropout on fused MoE experts
            raise LoraChoiceError(_plain_peft_error(str(exc), lora)) from None
    trainable, total = peft_model.get_nb_trainable_parameters()
    adapted = sum(1 for _, m in peft_model.named_modules() if hasattr(m, "lora_A") and m.lora_A)
    return trainable, total, adapted


class LoraChoiceError(ValueError):
    """peft cannot apply this LoRA choice to this model; the message says why."""


def _plain_peft_error(message: str, lora: LoraSettings) -> str:
    if "does not work with lora_dropout" in message:
        return (
            "These targets include fused Mixture-of-Experts weights, which peft adapts only with "
            f"dropout 0 (now {lora.dropout}): set dropout to 0 or choose other target modules."
        )
    if "not found in the base model" in message:
        return f"None of the target modules {list(lora.target_modules)} exist in this model."
    return message


def peft_lora_config(lora: LoraSettings, *, task_type: str | None = "CAUSAL_LM"):
    """The peft LoraConfig for the studio's LoRA settings: the one place they are translated."""
    from peft import LoraConfig

    return LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=list(lora.target_modules),
        bias=lora.bias,
        use_dora=lora.use_dora,
        use_rslora=lora.use_rslora,
        task_type=task_type,
    )


def lora_estimate(config: dict, lora: LoraSettings, hyperparameters: Hyperparameters | None = None) -> LoraEstimate:
    """What peft reports as trainable/total for this LoRA choice (computed by peft on the meta
    device, so MoE experts and DoRA count exactly as in training), and an estimate of memory."""
    trainable, total, adapted = _peft_counts(_config_key(config), lora.model_dump_json())
    shapes = model_shapes(config)
    hp = hyperparameters or Hyperparameters()
    tokens = hp.per_device_batch_size * hp.max_seq_length
    activation_values = 34 // (4 if hp.gradient_checkpointing else 1)  # rough: per hidden unit, layer and token
    memory = (
        shapes.total_parameters * BYTES_FP32  # frozen base weights
        + trainable * BYTES_FP32 * 4  # adapter weights, gradients and two AdamW moments
        + tokens * shapes.hidden_size * shapes.num_layers * activation_values * BYTES_FP32
        + tokens * shapes.vocab_size * BYTES_FP32 * 2  # logits and their gradient
    )
    return LoraEstimate(trainable, total, adapted, memory)
