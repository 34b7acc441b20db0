"""What a training stage takes, reports and returns. Plain Python: the Celery task builds a
`StageRequest` from the database, the pipeline knows nothing of Django."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from jobs.pipeline.config import RunConfig


@dataclass(frozen=True)
class StageRequest:
    config: RunConfig
    stage_index: int  # which of config.stages this is
    base_model_dir: Path  # HF directory (config.json + safetensors + tokenizer)
    train_file: Path  # canonical JSONL rows (see jobs.pipeline.data.formats)
    eval_file: Path | None
    output_dir: Path  # the stage's own directory; checkpoints/ and adapter/ go under it
    start_adapter_dir: Path | None = None  # previous stage's adapter, or the continual-learning source
    replay_file: Path | None = None  # rows of an earlier run to mix in (continual learning)

    @property
    def stage(self):
        return self.config.stages[self.stage_index]


@dataclass(frozen=True)
class Progress:
    step: int
    total_steps: int
    epoch: float
    loss: float | None
    learning_rate: float
    tokens_per_second: float  # non-padding tokens
    elapsed_seconds: float
    eta_seconds: float | None
    eval_loss: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class Hooks(Protocol):
    """How a stage talks to whoever runs it (the Celery task, the CLI, a test)."""

    def on_progress(self, progress: Progress) -> None: ...  # called every step; the caller throttles writes

    def should_stop(self) -> bool: ...  # checked at every step boundary: True = cancel now

    def log(self, line: str) -> None: ...


@dataclass
class StageResult:
    adapter_dir: Path | None  # None when cancelled before any checkpoint
    steps: int
    total_steps: int
    cancelled: bool
    first_loss: float | None
    final_loss: float | None
    final_eval_loss: float | None
    metrics_file: Path
    manifest_file: Path | None
    extra: dict = field(default_factory=dict)


class TrainingFailure(Exception):
    """A failure explained in plain words, with what to change. `kind` is one of KINDS."""

    KINDS = ("out_of_memory", "nan_loss", "bad_data", "base_model_missing", "worker_lost", "unknown")

    def __init__(self, kind: str, reason: str, fix: str):
        assert kind in self.KINDS, kind
        super().__init__(reason)
        self.kind, self.reason, self.fix = kind, reason, fix
