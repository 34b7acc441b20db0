"""The DPO stage: trl's `DPOTrainer` on the LoRA model of `model.py`.

    run_dpo_stage(request, hooks) -> StageResult

Preference rows `{"prompt", "chosen", "rejected"}` become trl's conversational preference
data (the prompt a user turn, chosen/rejected assistant turns) and are rendered with the base
model's chat template by trl. The model is the same peft model the SFT loop trains (a new
adapter from `config.lora`, or `request.start_adapter_dir` as trainable); with `ref_model=None`
trl takes the reference from the model itself: it copies the starting adapter into a frozen
"ref" adapter (a new LoRA starts as a no-op, so then the reference is the base model; after SFT
it is the SFT model). The "ref" copy is dropped before the adapter is saved.

Checkpoints are the Trainer's (`output_dir/checkpoints/checkpoint-N/`: adapter, optimizer,
scheduler, RNG and trainer state); a checkpoint is complete once `run_config.json` is written
into it, and the latest complete one with the same config is resumed from. Outputs are those
of the SFT loop (`outputs.py`), with the DPO reward statistics in each metrics line.
"""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path

import torch
from transformers import PrinterCallback, TrainerCallback

from .common import GRAD_CLIP, memory_failures, nan_loss, open_stage, precision_name, seed_everything
from .model import autocast_dtype, load_model, load_tokenizer, parameter_counts, pick_device
from .outputs import CONFIG, METRICS, MetricsLog, read_metrics, save_adapter, write_manifest, write_text_atomic
from .types import Hooks, Progress, StageRequest, StageResult, TrainingFailure

CHECKPOINT_PREFIX = "checkpoint-"  # the Trainer's naming
RUN_CONFIG = "run_config.json"  # written into a checkpoint last: marks it complete, names its config
REF_ADAPTER = "ref"  # the frozen reference adapter trl adds to a peft model
FIELDS = ("prompt", "chosen", "rejected")
# Log keys not copied as they are into metrics.jsonl (trl's other statistics, rewards/*, logps/*,
# grad_norm..., are): written under the SFT loop's names, or (num_tokens, counted per session)
# covered by tokens_per_second.
_NOT_COPIED = {"loss", "learning_rate", "epoch", "num_tokens"}


def run_dpo_stage(request: StageRequest, hooks: Hooks) -> StageResult:
    """Train one DPO stage into `request.output_dir` (resuming from its latest checkpoint).

    Failures raise `TrainingFailure`: bad_data (rows without a prompt/chosen/rejected text, or
    nothing left once prompts are cut at max_seq_length), nan_loss, out_of_memory,
    base_model_missing.
    """
    with memory_failures():
        return _train(request, hooks)


def _train(request: StageRequest, hooks: Hooks) -> StageResult:
    from datasets import Dataset
    from trl import DPOTrainer

    hp = request.config.hyperparameters
    out, config_json, finished = open_stage(request, hooks)
    if finished is not None:
        return finished

    checkpoint = _resume_point(out, config_json, hooks)
    resume_step = _checkpoint_step(checkpoint) if checkpoint else 0
    metrics = MetricsLog(out / METRICS, keep_through_step=resume_step)
    if hooks.should_stop():
        return _cancelled(out, resume_step, None, checkpoint, hooks)

    # --- data, model, trainer -----------------------------------------------------------
    seed_everything(hp.seed)
    device = pick_device()
    tokenizer = load_tokenizer(request.base_model_dir)
    train_rows = preference_rows(request.train_file)
    eval_rows = preference_rows(request.eval_file) if request.eval_file is not None else []
    model = load_model(request, device)
    amp = autocast_dtype(hp.precision, device)
    args = _dpo_config(request, out, device, amp, has_eval=bool(eval_rows))
    callback = _StageCallback(
        hooks,
        metrics,
        config_json,
        earlier_seconds=metrics.rows[-1].get("elapsed", 0.0) if metrics.rows else 0.0,
        has_eval=bool(eval_rows),
        check_grad_norm=amp != torch.float16,  # fp16's scaler skips overflowing steps itself
    )
    trainer = DPOTrainer(
        model=model,
        ref_model=None,
        args=args,
        train_dataset=Dataset.from_list([_conversational(row) for row in train_rows]),
        eval_dataset=Dataset.from_list([_conversational(row) for row in eval_rows]) if eval_rows else None,
        processing_class=tokenizer,
        callbacks=[callback],
    )
    trainer.remove_callback(PrinterCallback)  # disable_tqdm prints every log dict; the hooks report instead
    kept = len(trainer.train_dataset)
    if kept == 0:
        raise TrainingFailure(
            "bad_data",
            f"None of the {len(train_rows)} preference rows is left to train on: every prompt, rendered with "
            f"the chat template, is at least max_seq_length ({hp.max_seq_length}) tokens long.",
            "Raise max_seq_length or shorten the prompts, so that part of each reply fits.",
        )
    n_trainable, n_total = parameter_counts(trainer.model)
    hooks.log(
        f"dpo: {kept} preference pairs, beta {hp.dpo_beta}, {device.type}, {precision_name(amp)}, "
        f"{n_trainable:,} of {n_total:,} parameters trainable"
        + (f", reference = the starting adapter ({request.start_adapter_dir})." if request.start_adapter_dir else ".")
    )
    if kept < len(train_rows):
        hooks.log(f"{len(train_rows) - kept} rows left out: their prompt alone fills max_seq_length.")
    if checkpoint is not None:
        hooks.log(f"Resuming from {checkpoint.name}.")

    # --- train --------------------------------------------------------------------------
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    step = trainer.state.global_step
    total_steps = trainer.state.max_steps
    if callback.cancelled:
        return _cancelled(out, step, total_steps, _latest_complete(out), hooks)

    # --- final outputs (manifest last: its presence means the stage is complete) ---------
    model = trainer.model
    if REF_ADAPTER in getattr(model, "peft_config", {}):
        model.delete_adapter(REF_ADAPTER)
    adapter_dir = save_adapter(out, model, tokenizer)
    write_text_atomic(out / CONFIG, config_json)
    rows = read_metrics(out / METRICS)
    first_loss = rows[0]["loss"] if rows else None
    final_loss = rows[-1]["loss"] if rows else None
    evals = [row["eval_loss"] for row in rows if "eval_loss" in row]
    final_eval_loss = evals[-1] if evals else None
    last = rows[-1] if rows else {}
    dpo_stats = {
        "beta": hp.dpo_beta,
        "final_reward_margin": last.get("rewards/margins"),
        "final_reward_accuracy": last.get("rewards/accuracies"),
    }
    summary = {
        "stage": "dpo",
        "steps": step,
        "first_loss": first_loss,
        "final_loss": final_loss,
        "final_eval_loss": final_eval_loss,
        "trainable_parameters": n_trainable,
        "total_parameters": n_total,
        **dpo_stats,
    }
    manifest = write_manifest(out, summary)
    hooks.log(f"Finished {step} DPO steps: loss {first_loss:.4f} → {final_loss:.4f}.")
    return StageResult(
        adapter_dir=adapter_dir,
        steps=step,
        total_steps=total_steps,
        cancelled=False,
        first_loss=first_loss,
        final_loss=final_loss,
        final_eval_loss=final_eval_loss,
        metrics_file=out / METRICS,
        manifest_file=manifest,
        extra={
            "device": device.type,
            "precision": precision_name(amp),
            "trainable_parameters": n_trainable,
            "total_parameters": n_total,
            "train_examples": kept,
            "rows_cut_away": len(train_rows) - kept,
            **dpo_stats,
        },
    )


# --- data ---------------------------------------------------------------------------------


def preference_rows(path: Path) -> list[dict]:
    """The `{"prompt", "chosen", "rejected"}` texts of a canonical preference file (other keys,
    such as `_`-prefixed bookkeeping, dropped). A row without one of the three texts, or a file
    without rows, is a "bad_data" failure."""
    from .data import read_rows

    rows = []
    for number, row in enumerate(read_rows(path), 1):
        missing = [name for name in FIELDS if not isinstance(row, dict) or not _text(row.get(name))]
        if missing:
            raise TrainingFailure(
                "bad_data",
                f"Row {number} of {Path(path).name} has no {' / '.join(missing)} text: DPO needs a prompt, "
                "a chosen and a rejected reply in every row.",
                "Train DPO on a preference dataset, and fix or drop the rows with empty fields.",
            )
        rows.append({name: row[name] for name in FIELDS})
    if not rows:
        raise TrainingFailure("bad_data", f"{Path(path).name} has no rows.", "Choose a preference dataset with rows.")
    return rows


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _conversational(row: dict) -> dict:
    """trl's conversational preference format: the chat template renders prompt and replies."""
    return {
        "prompt": [{"role": "user", "content": row["prompt"]}],
        "chosen": [{"role": "assistant", "content": row["chosen"]}],
        "rejected": [{"role": "assistant", "content": row["rejected"]}],
    }


# --- trainer setup ------------------------------------------------------------------------


def _dpo_config(request: StageRequest, out: Path, device: torch.device, amp: torch.dtype | None, *, has_eval: bool):
    from trl import DPOConfig

    hp = request.config.hyperparameters
    scheduler = "constant_with_warmup" if hp.scheduler == "constant" and hp.warmup_ratio else hp.scheduler
    return DPOConfig(
        output_dir=str(_checkpoints_root(out)),
        beta=hp.dpo_beta,
        learning_rate=hp.learning_rate,
        num_train_epochs=hp.epochs,
        max_steps=hp.max_steps or -1,
        per_device_train_batch_size=hp.per_device_batch_size,
        per_device_eval_batch_size=hp.per_device_batch_size,
        gradient_accumulation_steps=hp.gradient_accumulation,
        max_length=hp.max_seq_length,
        warmup_steps=hp.warmup_ratio,  # transformers 5: a float below 1 is a ratio of the steps
        weight_decay=hp.weight_decay,
        lr_scheduler_type=scheduler,
        max_grad_norm=GRAD_CLIP,
        seed=hp.seed,
        data_seed=hp.seed,
        bf16=amp == torch.bfloat16,  # trl's default is bf16=True: always set both
        fp16=amp == torch.float16,
        # transformers 5 name of gradient_checkpointing (whose trl default is True): always set
        activation_checkpointing=hp.gradient_checkpointing,
        activation_checkpointing_kwargs={"use_reentrant": False} if hp.gradient_checkpointing else None,
        logging_steps=1,
        logging_nan_inf_filter=False,  # a NaN loss must reach the callback
        save_strategy="steps",
        save_steps=hp.checkpoint_every_steps,
        save_total_limit=hp.keep_checkpoints,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=hp.eval_every_steps if has_eval else None,
        report_to="none",
        disable_tqdm=True,
        dataloader_num_workers=0,
        use_cpu=device.type == "cpu",  # the device model.py picked; bf16 on CPU needs it said
    )


class _StageCallback(TrainerCallback):
    """Bridges the Trainer to the stage's hooks: a metrics line and a `Progress` per step, NaN
    detection, cancel at a step boundary (with a checkpoint), and the completeness marker of
    each checkpoint."""

    def __init__(
        self,
        hooks: Hooks,
        metrics: MetricsLog,
        config_json: str,
        *,
        earlier_seconds: float,
        has_eval: bool,
        check_grad_norm: bool,
    ):
        self.hooks, self.metrics, self.config_json = hooks, metrics, config_json
        self.earlier_seconds, self.has_eval, self.check_grad_norm = earlier_seconds, has_eval, check_grad_norm
        self.cancelled = False
        self.pending: tuple[dict, Progress] | None = None  # a step's line waiting for its eval
        self.started = self.tick = time.monotonic()
        self.session_steps, self.step_seconds = 0, 0.0

    def elapsed(self) -> float:
        return self.earlier_seconds + time.monotonic() - self.started

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = self.tick = time.monotonic()

    def on_step_begin(self, args, state, control, **kwargs):
        self.tick = time.monotonic()

    def on_step_end(self, args, state, control, **kwargs):
        if self.has_eval and state.global_step >= state.max_steps:
            control.should_evaluate = True  # the final eval, like the SFT loop

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if "loss" in logs:
            self._train_log(state, control, logs)
        elif "eval_loss" in logs:
            self._eval_log(state, control, logs)

    def on_save(self, args, state, control, **kwargs):
        path = Path(args.output_dir) / f"{CHECKPOINT_PREFIX}{state.global_step}"
        if path.is_dir():
            write_text_atomic(path / RUN_CONFIG, self.config_json)

    def on_train_end(self, args, state, control, **kwargs):
        self._flush(state, control)

    # ---

    def _train_log(self, state, control, logs: dict) -> None:
        step = state.global_step
        loss, grad_norm = float(logs["loss"]), logs.get("grad_norm")
        if not math.isfinite(loss) or (
            self.check_grad_norm and grad_norm is not None and not math.isfinite(float(grad_norm))
        ):
            raise nan_loss(step)
        self.session_steps += 1
        self.step_seconds += time.monotonic() - self.tick
        tokens_per_second = float(logs.get("num_tokens", 0.0)) / max(self.step_seconds, 1e-9)
        row = {
            "step": step,
            "loss": loss,
            "lr": float(logs.get("learning_rate", 0.0)),
            "tokens_per_second": round(tokens_per_second, 2),
            "elapsed": round(self.elapsed(), 3),
        }
        for key, value in logs.items():
            if key not in row and key not in _NOT_COPIED and isinstance(value, int | float):
                row[key] = value
        row["epoch"] = round(float(state.epoch or 0.0), 4)
        seconds_per_step = (time.monotonic() - self.started) / self.session_steps
        progress = Progress(
            step=step,
            total_steps=state.max_steps,
            epoch=float(state.epoch or 0.0),
            loss=loss,
            learning_rate=row["lr"],
            tokens_per_second=tokens_per_second,
            elapsed_seconds=self.elapsed(),
            eta_seconds=max(0, state.max_steps - step) * seconds_per_step,
        )
        self.pending = (row, progress)
        if not control.should_evaluate:  # else the eval that follows completes the line
            self._flush(state, control)

    def _eval_log(self, state, control, logs: dict) -> None:
        if self.pending is None or self.pending[0]["step"] != state.global_step:
            return  # an eval outside a training step
        row, progress = self.pending
        row["eval_loss"] = float(logs["eval_loss"])
        for key in ("eval_rewards/margins", "eval_rewards/accuracies"):
            if key in logs:
                row[key] = logs[key]
        self.pending = (row, Progress(**{**progress.to_dict(), "eval_loss": row["eval_loss"]}))
        self._flush(state, control)

    def _flush(self, state, control) -> None:
        if self.pending is None:
            return
        row, progress = self.pending
        self.pending = None
        self.metrics.append(row)
        self.hooks.on_progress(progress)
        if state.global_step < state.max_steps and self.hooks.should_stop():
            self.cancelled = True
            control.should_training_stop = True
            control.should_save = True  # the Trainer saves right after this step's log/eval


# --- checkpoints --------------------------------------------------------------------------


def _checkpoints_root(out: Path) -> Path:
    return Path(out) / "checkpoints"


def _checkpoint_step(path: Path) -> int:
    return int(path.name.removeprefix(CHECKPOINT_PREFIX))


def _checkpoints(out: Path) -> list[Path]:
    root = _checkpoints_root(out)
    if not root.exists():
        return []
    found = [
        p
        for p in root.iterdir()
        if p.is_dir() and p.name.startswith(CHECKPOINT_PREFIX) and p.name.removeprefix(CHECKPOINT_PREFIX).isdigit()
    ]
    return sorted(found, key=_checkpoint_step)


def _latest_complete(out: Path) -> Path | None:
    complete = [p for p in _checkpoints(out) if (p / RUN_CONFIG).exists()]
    return complete[-1] if complete else None


def _resume_point(out: Path, config_json: str, hooks: Hooks) -> Path | None:
    """The latest complete checkpoint of this config; half-written ones are removed, and all of
    them when they belong to another config."""
    for path in _checkpoints(out):
        if not (path / RUN_CONFIG).exists():
            shutil.rmtree(path, ignore_errors=True)
    latest = _latest_complete(out)
    if latest is not None and (latest / RUN_CONFIG).read_text() != config_json:
        hooks.log(f"Checkpoints in {_checkpoints_root(out)} belong to another config: starting over.")
        shutil.rmtree(_checkpoints_root(out))
        return None
    return latest


def _cancelled(out: Path, step: int, total_steps: int | None, checkpoint: Path | None, hooks: Hooks) -> StageResult:
    hooks.log(f"Cancelled at step {step}" + (f"; checkpoint {checkpoint.name} kept." if checkpoint else "."))
    rows = read_metrics(out / METRICS)
    evals = [row["eval_loss"] for row in rows if "eval_loss" in row]
    return StageResult(
        adapter_dir=checkpoint,  # the Trainer writes the adapter at the checkpoint's top level
        steps=step,
        total_steps=total_steps if total_steps is not None else step,
        cancelled=True,
        first_loss=rows[0]["loss"] if rows else None,
        final_loss=rows[-1]["loss"] if rows else None,
        final_eval_loss=evals[-1] if evals else None,
        metrics_file=out / METRICS,
        manifest_file=None,
    )
