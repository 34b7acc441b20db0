"""The run configuration: one typed object, validated in one place.

Forms, YAML recipes and the API all build a `RunConfig`; the frozen JSON of it is stored on the
run. Hard limits are refused with a message naming the field; values outside the seed article's
recommended ranges are allowed but reported by `RunConfig.warnings()`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SCHEMA_VERSION = 1

StageKind = Literal["pretrain", "sft", "dpo"]
# Which dataset kind each stage trains on (see jobs.pipeline.data.formats.KINDS).
STAGE_DATA_KIND = {"pretrain": "text", "sft": "chat", "dpo": "preference"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoraSettings(_Strict):
    r: Annotated[int, Field(ge=1, le=1024, description="Rank of the update matrices; more is more capacity.")] = 16
    alpha: Annotated[int, Field(ge=1, le=4096, description="Scale of the update (alpha / r).")] = 32
    dropout: Annotated[float, Field(ge=0.0, lt=1.0, description="Dropout on the LoRA input.")] = 0.1
    target_modules: Annotated[list[str], Field(min_length=1, description="Linear layers that get adapters.")] = [
        "q_proj",
        "v_proj",
    ]
    bias: Literal["none", "all", "lora_only"] = "none"
    use_dora: bool = False
    use_rslora: bool = False
    qlora_4bit: bool = False


class Hyperparameters(_Strict):
    learning_rate: Annotated[float, Field(gt=0, le=1.0)] = 2e-4
    epochs: Annotated[float, Field(gt=0, le=100)] = 1.0
    max_steps: Annotated[int | None, Field(ge=1)] = None
    per_device_batch_size: Annotated[int, Field(ge=1, le=1024)] = 8
    gradient_accumulation: Annotated[int, Field(ge=1, le=1024)] = 1
    max_seq_length: Annotated[int, Field(ge=16, le=32768)] = 256
    warmup_ratio: Annotated[float, Field(ge=0, lt=1)] = 0.05
    weight_decay: Annotated[float, Field(ge=0, le=1)] = 0.01
    scheduler: Literal["linear", "cosine", "constant"] = "cosine"
    seed: Annotated[int, Field(ge=0)] = 42
    packing: bool = True
    gradient_checkpointing: bool = False
    precision: Literal["auto", "fp32", "bf16", "fp16"] = "auto"
    eval_every_steps: Annotated[int, Field(ge=1)] = 50
    checkpoint_every_steps: Annotated[int, Field(ge=1)] = 50
    keep_checkpoints: Annotated[int, Field(ge=1, le=100)] = 2
    dpo_beta: Annotated[float, Field(gt=0, le=10)] = 0.1

    @property
    def effective_batch_size(self) -> int:
        return self.per_device_batch_size * self.gradient_accumulation


class Stage(_Strict):
    kind: StageKind
    dataset_version: Annotated[int, Field(ge=1, description="Id of an approved dataset version.")]


class Continual(_Strict):
    from_run: Annotated[int | None, Field(ge=1, description="Start from this earlier run's adapter.")] = None
    replay_fraction: Annotated[float, Field(ge=0, le=1, description="Share of that run's data mixed in.")] = 0.0


class RunConfig(_Strict):
    schema_version: int = SCHEMA_VERSION
    name: Annotated[str, Field(min_length=1, max_length=100)]
    template: Annotated[str, Field(min_length=1)]
    base_model: Annotated[str, Field(min_length=1)]
    stages: Annotated[list[Stage], Field(min_length=1, max_length=4)]
    lora: LoraSettings = LoraSettings()
    hyperparameters: Hyperparameters = Hyperparameters()
    continual: Continual = Continual()

    @model_validator(mode="after")
    def _consistent(self) -> RunConfig:
        if self.schema_version > SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {self.schema_version} is newer than this studio understands ({SCHEMA_VERSION})"
            )
        kinds = [s.kind for s in self.stages]
        order = ["pretrain", "sft", "dpo"]
        if kinds != sorted(kinds, key=order.index) or len(set(kinds)) != len(kinds):
            raise ValueError(f"stages must run in the order pretrain → sft → dpo, each once; got {kinds}")
        if self.continual.replay_fraction and self.continual.from_run is None:
            raise ValueError("continual.replay_fraction needs continual.from_run")
        return self

    def warnings(self) -> dict[str, str]:
        return recommendation_warnings(self.lora, self.hyperparameters)


def recommendation_warnings(lora: LoraSettings, h: Hyperparameters) -> dict[str, str]:
    """Values outside the seed article's recommended ranges (allowed, but worth a second look)."""
    found = {}
    if not 0.05 <= h.warmup_ratio <= 0.10:
        found["hyperparameters.warmup_ratio"] = "The seed recommends 5–10 % warmup."
    if not 0.01 <= h.weight_decay <= 0.1:
        found["hyperparameters.weight_decay"] = "The seed recommends a weight decay of 0.01–0.1."
    if not 1e-5 <= h.learning_rate <= 5e-4:
        found["hyperparameters.learning_rate"] = (
            "Outside 1e-5–5e-4: full fine-tuning wants 1e-5–5e-5, LoRA usually 1e-4–5e-4."
        )
    if not 256 <= h.effective_batch_size <= 2048:
        found["hyperparameters.gradient_accumulation"] = (
            f"Effective batch {h.effective_batch_size}: the seed recommends 256–2048 for full fine-tuning."
        )
    if lora.alpha < lora.r:
        found["lora.alpha"] = "alpha below r scales the update down; 2 × r is the usual choice."
    return found


def config_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic's errors as {"dotted.field": "message"}, for forms, YAML and the API alike."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"]) or "config"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown key {location.rsplit('.', 1)[-1]!r}"
        errors.setdefault(location, message)
    return errors
