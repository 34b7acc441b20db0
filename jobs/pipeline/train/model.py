"""The model a stage trains: base weights (fp32, frozen) + a LoRA adapter (trainable).

The base model is loaded in fp32; speed comes from autocast ("auto" = bf16 where the device
has it), not from bf16 weights, so the adapter's updates keep full precision.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from .types import StageRequest, TrainingFailure

_LOGIT_SCALING = ("final_logit_softcapping", "logit_scale", "logits_scaling", "output_multiplier_scale")


def pick_device() -> torch.device:
    """cuda > mps > cpu."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """The autocast dtype for a precision setting; None means plain fp32.

    "auto" picks bf16 where it is fast: CUDA with bf16 support, or a CPU with AVX-512 BF16 or
    AMX (measured ~1.8× over fp32, loss within 0.01). Elsewhere bf16 is emulated and slower.
    """
    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    if precision == "fp16":
        return torch.float16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.type == "cpu" and (torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()):
        return torch.bfloat16
    return None


def _check_base_dir(base_model_dir: Path) -> None:
    if not (Path(base_model_dir) / "config.json").exists():
        raise TrainingFailure(
            "base_model_missing",
            f"The base model directory {base_model_dir} is missing or has no config.json.",
            "Prepare the base model again (the studio converts or downloads it), then restart the run.",
        )


def load_tokenizer(base_model_dir: Path):
    """The base model's tokenizer; a missing directory is a "base_model_missing" failure."""
    from transformers import AutoTokenizer

    _check_base_dir(base_model_dir)
    return AutoTokenizer.from_pretrained(base_model_dir)


def load_model(request: StageRequest, device: torch.device):
    """The base model with a trainable LoRA adapter (a new one from `config.lora`, or the one in
    `request.start_adapter_dir` for chained stages and continual learning), on `device`."""
    from transformers import AutoModelForCausalLM

    _check_base_dir(request.base_model_dir)
    lora, hp = request.config.lora, request.config.hyperparameters
    kwargs = {"dtype": torch.float32}
    if lora.qlora_4bit:
        kwargs.update(_qlora_kwargs(device))
    model = AutoModelForCausalLM.from_pretrained(request.base_model_dir, **kwargs)
    model.config.use_cache = False
    if lora.qlora_4bit:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=hp.gradient_checkpointing)
    else:
        model.to(device)
    if hp.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    return _with_adapter(model, request)


def _qlora_kwargs(device: torch.device) -> dict:
    if device.type != "cuda" or importlib.util.find_spec("bitsandbytes") is None:
        raise TrainingFailure(
            "unknown",
            "QLoRA 4-bit needs a CUDA GPU with the bitsandbytes package; this worker has "
            f"{'no bitsandbytes' if device.type == 'cuda' else device.type + ' only'}.",
            "Turn off qlora_4bit (plain LoRA works everywhere), or run on a CUDA training worker.",
        )
    from transformers import BitsAndBytesConfig

    quant = BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16,
    )
    return {"quantization_config": quant, "device_map": {"": device.index or 0}}


def _with_adapter(model, request: StageRequest):
    from peft import PeftModel, get_peft_model

    from jobs.pipeline.lora import peft_lora_config

    if request.start_adapter_dir is not None:
        return PeftModel.from_pretrained(model, request.start_adapter_dir, is_trainable=True)
    lora = request.config.lora
    try:
        return get_peft_model(model, peft_lora_config(lora))
    except ValueError as exc:
        if "not found" not in str(exc).lower():
            raise
        from jobs.pipeline.model import linear_module_names

        raise TrainingFailure(
            "unknown",
            f"The LoRA target modules {list(lora.target_modules)} are not layers of this "
            f"{model.config.model_type} model.",
            f"Choose target modules among its Linear layers: {', '.join(linear_module_names(model))}.",
        ) from exc


def cast_frozen_linears(model, dtype: torch.dtype) -> int:
    """Store the frozen Linear layers of `model` in the autocast dtype; returns how many.

    Autocast casts a Linear's weight to its dtype at every call anyway, so the numbers are the
    same; what goes is the cast on every forward, the cast copies kept for backward and the
    fp32 originals (about half the fp32 model's size each). Norms, embeddings, the (tied)
    output head and every trainable weight stay fp32; they are copied out of the memory-mapped
    checkpoint file so that its pages can go too.
    """
    head = model.get_output_embeddings()
    frozen = [
        module
        for module in model.modules()
        if type(module) is torch.nn.Linear and module is not head and not module.weight.requires_grad
    ]
    for module in frozen:
        module.to(dtype)
    for param in model.parameters():
        if not param.requires_grad and param.dtype != dtype:
            param.data = param.data.clone()
    return len(frozen)


def causal_lm_parts(model) -> tuple[torch.nn.Module, torch.nn.Module] | None:
    """(backbone, lm_head) of a (peft-wrapped) causal LM when the logits are a plain
    `hidden @ lm_head.weight.T`, so the loss can run the head itself in chunks; None for
    models that scale, cap or bias their logits (they use their own forward)."""
    causal_lm = model.get_base_model() if hasattr(model, "get_base_model") else model
    head = causal_lm.get_output_embeddings()
    backbone = getattr(causal_lm, causal_lm.base_model_prefix, None)
    config = causal_lm.config.get_text_config()
    if (
        head is None
        or backbone is None
        or type(head) is not torch.nn.Linear
        or head.bias is not None
        or any(getattr(config, name, None) not in (None, 1, 1.0) for name in _LOGIT_SCALING)
    ):
        return None
    return backbone, head


def parameter_counts(model) -> tuple[int, int]:
    """(trainable, total) parameters."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters())
