"""What an industry template holds (SPEC.md §4), validated: the YAML files in catalog/ and the
admin's edits go through `TemplateSpec`, so a broken template never reaches a form."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jobs.pipeline.config import Hyperparameters, LoraSettings, StageKind
from jobs.pipeline.data.cleaning.pipeline import CleaningConfig

METRICS = ("perplexity", "rouge_l", "bleu", "exact_match", "numeric_em", "json_validity", "json_field_coverage")


class Gate(BaseModel):
    """A release gate on one metric: an absolute bound and/or a bound relative to the base model."""

    model_config = ConfigDict(extra="forbid")
    min: float | None = None
    max: float | None = None
    min_delta: float | None = Field(None, description="tuned − base must be at least this")
    max_delta: float | None = Field(None, description="tuned − base must be at most this (lower is better)")


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    suite: list[Literal[METRICS]] = Field(min_length=1)
    json_fields: list[str] = []
    gates: dict[Literal[METRICS], Gate] = {}


class TemplateSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,40}$")
    title: str
    description: str = ""
    system_prompt: str = ""
    demo_dataset: str | None = None
    knowledge_base: str | None = None
    stages: list[StageKind] = Field(min_length=1)
    lora: LoraSettings = LoraSettings()
    hyperparameters: Hyperparameters = Hyperparameters()
    cleaning: dict = {}
    evaluation: Evaluation
    release_checklist: list[str] = Field(min_length=1)

    @field_validator("cleaning")
    @classmethod
    def _cleaning_is_valid(cls, value: dict) -> dict:
        CleaningConfig.from_dict(value)  # raises ValueError naming the step and setting
        return value
