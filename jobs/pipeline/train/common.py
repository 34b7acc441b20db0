"""What the SFT/pretrain loop (`loop.py`) and the DPO stage (`dpo.py`) share: seeding, the
finished-stage check, and failures told in plain words."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch

from .outputs import ADAPTER, CONFIG, MANIFEST, METRICS, read_metrics
from .types import Hooks, StageRequest, StageResult, TrainingFailure

GRAD_CLIP = 1.0


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def precision_name(amp: torch.dtype | None) -> str:
    return {None: "fp32", torch.bfloat16: "bf16 autocast", torch.float16: "fp16 autocast"}[amp]


def open_stage(request: StageRequest, hooks: Hooks) -> tuple[Path, str, StageResult | None]:
    """The stage's output directory (created), its config as JSON, and the earlier result when the
    stage already finished with this config."""
    out = Path(request.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    config_json = request.config.model_dump_json(indent=2)
    finished = already_finished(out, config_json)
    if finished is not None:
        hooks.log(f"{request.stage.kind} stage already finished in {out}; nothing to do.")
    return out, config_json, finished


def already_finished(out: Path, config_json: str) -> StageResult | None:
    """The result of a stage that completed earlier with the same config (a task run twice)."""
    if not (out / MANIFEST).exists() or not (out / CONFIG).exists() or (out / CONFIG).read_text() != config_json:
        return None
    rows = read_metrics(out / METRICS)
    evals = [row["eval_loss"] for row in rows if "eval_loss" in row]
    steps = rows[-1]["step"] if rows else 0
    return StageResult(
        adapter_dir=out / ADAPTER,
        steps=steps,
        total_steps=steps,
        cancelled=False,
        first_loss=rows[0]["loss"] if rows else None,
        final_loss=rows[-1]["loss"] if rows else None,
        final_eval_loss=evals[-1] if evals else None,
        metrics_file=out / METRICS,
        manifest_file=out / MANIFEST,
    )


def nan_loss(step: int) -> TrainingFailure:
    return TrainingFailure(
        "nan_loss",
        f"The loss became NaN or infinite at step {step}: training diverged.",
        "Lower the learning rate (e.g. by 10×), keep warmup on, or use bf16/fp32 instead of fp16.",
    )


def out_of_memory(exc: BaseException) -> TrainingFailure:
    return TrainingFailure(
        "out_of_memory",
        f"The worker ran out of memory while training ({str(exc).splitlines()[0][:200] if str(exc) else 'no detail'}).",
        "Lower per_device_batch_size (raise gradient_accumulation to keep the effective batch) "
        "or max_seq_length, or turn on gradient_checkpointing.",
    )


@contextmanager
def memory_failures() -> Iterator[None]:
    """Turn an allocation failure (CUDA or CPU) raised inside into an `out_of_memory` failure."""
    try:
        yield
    except (torch.OutOfMemoryError, MemoryError) as exc:
        raise out_of_memory(exc) from exc
    except RuntimeError as exc:
        if "out of memory" in str(exc).lower() or "can't allocate memory" in str(exc).lower():
            raise out_of_memory(exc) from exc
        raise
