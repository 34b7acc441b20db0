"""The training loop of a pretrain or SFT stage: plain PyTorch, read top to bottom.

    run_stage(request, hooks) -> StageResult

AdamW on the adapter, warmup + schedule, gradient accumulation, grad-norm clipping at 1.0,
autocast per `precision`, the loss through the LM head in chunks at label positions only
(`loss.py`), eval every `eval_every_steps` and at the end, a checkpoint every
`checkpoint_every_steps` (resumed from automatically), cancel at any step boundary.
Under torchrun the same loop trains data-parallel across the processes (`distributed.py`).
DPO stages are dispatched to `dpo.py`.
"""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from .batching import collate, epoch_batches, eval_batches, split_rows
from .checkpoint import (
    TrainState,
    checkpoint_config,
    checkpoints_dir,
    latest_checkpoint,
    load_checkpoint,
    save_checkpoint,
)
from .common import GRAD_CLIP, memory_failures, nan_loss, open_stage, precision_name, seed_everything
from .data import IGNORE, build_examples, read_rows, replay_sample
from .distributed import Ranks, data_parallel, rank_hooks, world_size_from_env
from .loss import causal_lm_loss_sum
from .model import (
    autocast_dtype,
    cast_frozen_linears,
    causal_lm_parts,
    load_model,
    load_tokenizer,
    parameter_counts,
)
from .outputs import (
    ADAPTER,
    CONFIG,
    MANIFEST,
    METRICS,
    MetricsLog,
    save_adapter,
    write_manifest,
    write_text_atomic,
)
from .types import Hooks, Progress, StageRequest, StageResult, TrainingFailure

# Padded tokens per forward on CPU: a batch larger than this runs as several forwards into the
# same gradient. Activations, not weights, set peak memory here; CPU matmuls are no slower at
# this size (measured), GPUs would be, so they take each batch whole.
CPU_TOKENS_PER_FORWARD = 1024
# `packing` packs SFT examples only when their mean length is at most this share of
# max_seq_length: with longer ones a row holds about one example anyway (finance demo, ~180 of
# 256 tokens: packed measured no faster than length-grouped and ~0.2 GB more for the block mask).
PACK_BELOW_MEAN_SHARE = 0.5


def run_stage(request: StageRequest, hooks: Hooks) -> StageResult:
    """Train one stage of a run into `request.output_dir` and describe the outcome.

    Resumes from the latest checkpoint there; returns at once if the stage already finished
    with the same config. Expected failures raise `TrainingFailure` (out_of_memory, nan_loss,
    bad_data, base_model_missing) with a reason and a fix in plain words. Under torchrun
    (WORLD_SIZE > 1) every process calls this and they train data-parallel; rank 0 reports
    through `hooks` and writes the outputs.
    """
    if request.stage.kind == "dpo":
        if world_size_from_env() > 1:
            raise TrainingFailure(
                "unknown",
                f"DPO stages train in one process; this one was started in {world_size_from_env()}.",
                "Train DPO stages without torchrun (the studio does so whatever TRAIN_PROCESSES is).",
            )
        try:
            from .dpo import run_dpo_stage
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.dpo":
                raise
            raise NotImplementedError("DPO stages are trained by jobs/pipeline/train/dpo.py (not there yet).") from exc
        return run_dpo_stage(request, hooks)
    with memory_failures(), data_parallel() as ranks:
        return _train(request, rank_hooks(hooks, ranks), ranks)


def _train(request: StageRequest, hooks: Hooks, ranks: Ranks) -> StageResult:
    hp, kind = request.config.hyperparameters, request.stage.kind
    out, config_json, finished = open_stage(request, hooks)
    if finished is not None:
        return finished

    # --- data, model, optimizer ---------------------------------------------------------
    seed_everything(hp.seed)
    device = ranks.device
    tokenizer = load_tokenizer(request.base_model_dir)  # before the data: the template lives there
    train, evaluation = _load_data(request, tokenizer)
    model = load_model(request, device)
    amp = autocast_dtype(hp.precision, device)
    if amp is not None and not request.config.lora.qlora_4bit:
        cast_frozen_linears(model, amp)
    parts = causal_lm_parts(model)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    lengths = [len(e) for e in train.items]
    forward_tokens = CPU_TOKENS_PER_FORWARD if device.type == "cpu" else None
    mean_length = sum(lengths) / len(lengths)
    packing = hp.packing and kind == "sft" and mean_length <= PACK_BELOW_MEAN_SHARE * hp.max_seq_length
    epochs_cache: dict[int, list] = {}

    def batches_of(epoch: int) -> list:
        if epoch not in epochs_cache:
            epochs_cache.clear()
            epochs_cache[epoch] = epoch_batches(
                lengths,
                batch_size=hp.per_device_batch_size,
                max_len=hp.max_seq_length,
                packing=packing,
                seed=hp.seed,
                epoch=epoch,
            )
        return epochs_cache[epoch]

    batches_per_step = ranks.world_size * hp.gradient_accumulation
    steps_per_epoch = math.ceil(len(batches_of(0)) / batches_per_step)
    total_steps = hp.max_steps or max(1, math.ceil(hp.epochs * steps_per_epoch))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for p in trainable if p.ndim >= 2], "weight_decay": hp.weight_decay},
            {"params": [p for p in trainable if p.ndim < 2], "weight_decay": 0.0},  # biases, DoRA magnitudes
        ],
        lr=hp.learning_rate,
    )
    scheduler = _scheduler(optimizer, hp, total_steps)
    scaler = torch.amp.GradScaler(device.type, enabled=amp == torch.float16)

    # --- resume -------------------------------------------------------------------------
    state = TrainState()
    checkpoint = latest_checkpoint(out)
    foreign = checkpoint is not None and checkpoint_config(checkpoint) != config_json
    if checkpoint is not None and not foreign:
        state = load_checkpoint(checkpoint, model=model, optimizer=optimizer, scheduler=scheduler, scaler=scaler)
        hooks.log(f"Resumed from {checkpoint.name} (epoch {state.epoch}, batch {state.batch_index}).")
    ranks.barrier()  # every rank has read the checkpoints before rank 0 deletes or writes any
    if foreign:
        hooks.log(f"Checkpoints in {checkpoints_dir(out)} belong to another config: starting over.")
        if ranks.is_main:
            shutil.rmtree(checkpoints_dir(out))
    metrics = MetricsLog(out / METRICS, keep_through_step=state.step) if ranks.is_main else None
    n_trainable, n_total = parameter_counts(model)
    hooks.log(
        f"{kind}: {len(train.items)} examples ({train.trainable_tokens} trained tokens), {total_steps} steps, "
        f"{device.type}{f' × {ranks.world_size} processes' if ranks.distributed else ''}, {precision_name(amp)}, "
        f"{'packed' if packing else 'length-grouped'} batches, {n_trainable:,} of {n_total:,} parameters trainable."
    )
    if train.cut_away:
        hooks.log(f"{train.cut_away} rows left out: all their assistant tokens lie beyond max_seq_length.")
    eval_set = None
    if evaluation is not None and evaluation.items:
        eval_set = (evaluation.items, eval_batches([len(e) for e in evaluation.items], hp.per_device_batch_size))

    def run_eval() -> float | None:
        if eval_set is None:
            return None
        examples, batches = eval_set
        total, tokens = ranks.sum(list(_evaluate(model, parts, examples, ranks.share(batches), pad_id, device, amp)))
        return total / max(tokens, 1)

    def checkpoint_now() -> Path | None:
        if not ranks.is_main:  # the ranks' adapters are the same: one writes
            return None
        state.elapsed_seconds = elapsed()
        return save_checkpoint(
            out,
            state,
            model=model,
            optimizer=optimizer,
            scheduler=scheduler,
            scaler=scaler,
            config_json=config_json,
            keep=hp.keep_checkpoints,
        )

    # --- train --------------------------------------------------------------------------
    started, earlier = time.monotonic(), state.elapsed_seconds
    session = {"steps": 0, "tokens": 0, "seconds": 0.0}

    def elapsed() -> float:
        return earlier + time.monotonic() - started

    model.train()
    while state.step < total_steps:
        if hooks.should_stop():
            return _cancelled(out, state, total_steps, checkpoint_now() if state.step else None, hooks)
        tick = time.perf_counter()
        batches = batches_of(state.epoch)
        group = batches[state.batch_index : state.batch_index + batches_per_step]
        collated = [
            collate(train.items, part, pad_id)
            for batch in ranks.share(group)
            for part in split_rows(batch, lengths, forward_tokens)
        ]
        learning_rate = scheduler.get_last_lr()[0]
        ranks.reseed(hp.seed, state.step)
        loss = _train_step(model, parts, collated, optimizer, scaler, trainable, ranks, amp, step=state.step + 1)
        scheduler.step()
        state.step += 1
        state.batch_index += len(group)
        if state.batch_index >= len(batches):
            state.epoch, state.batch_index = state.epoch + 1, 0
        session["steps"] += 1
        session["tokens"] += sum(lengths[i] for batch in group for row in batch for i in row)  # all ranks'
        session["seconds"] += time.perf_counter() - tick
        state.first_loss = loss if state.first_loss is None else state.first_loss
        state.last_loss = loss

        eval_loss = None
        if state.step % hp.eval_every_steps == 0 or state.step == total_steps:
            eval_loss = run_eval()
            state.last_eval_loss = eval_loss if eval_loss is not None else state.last_eval_loss
        tokens_per_second = session["tokens"] / max(session["seconds"], 1e-9)
        row = {
            "step": state.step,
            "loss": loss,
            "lr": learning_rate,
            "tokens_per_second": round(tokens_per_second, 2),
            "elapsed": round(elapsed(), 3),
        }
        if metrics is not None:
            metrics.append(row | ({"eval_loss": eval_loss} if eval_loss is not None else {}))
        if state.step % hp.checkpoint_every_steps == 0:
            checkpoint_now()
        seconds_per_step = (time.monotonic() - started) / session["steps"]
        hooks.on_progress(
            Progress(
                step=state.step,
                total_steps=total_steps,
                epoch=state.epoch + state.batch_index / len(batches_of(state.epoch)),
                loss=loss,
                learning_rate=learning_rate,
                tokens_per_second=tokens_per_second,
                elapsed_seconds=elapsed(),
                eta_seconds=(total_steps - state.step) * seconds_per_step,
                eval_loss=eval_loss,
            )
        )

    # --- final outputs (manifest last: its presence means the stage is complete) ---------
    if state.last_eval_loss is None and eval_set is not None:
        state.last_eval_loss = run_eval()
    summary = {
        "stage": kind,
        "steps": state.step,
        "first_loss": state.first_loss,
        "final_loss": state.last_loss,
        "final_eval_loss": state.last_eval_loss,
        "trainable_parameters": n_trainable,
        "total_parameters": n_total,
    }
    if ranks.is_main:
        save_adapter(out, model, tokenizer)
        write_text_atomic(out / CONFIG, config_json)
        write_manifest(out, summary)
    hooks.log(f"Finished {state.step} steps: loss {state.first_loss:.4f} → {state.last_loss:.4f}.")
    return StageResult(
        adapter_dir=out / ADAPTER,
        steps=state.step,
        total_steps=total_steps,
        cancelled=False,
        first_loss=state.first_loss,
        final_loss=state.last_loss,
        final_eval_loss=state.last_eval_loss,
        metrics_file=out / METRICS,
        manifest_file=out / MANIFEST,
        extra={
            "device": device.type,
            "processes": ranks.world_size,
            "precision": precision_name(amp),
            "packing": packing,
            "trainable_parameters": n_trainable,
            "total_parameters": n_total,
            "train_examples": len(train.items),
            "rows_cut_away": train.cut_away,
            "rows_truncated": train.truncated,
            "replay_rows": train.replay_rows,
        },
    )


def _train_step(model, parts, collated, optimizer, scaler, trainable, ranks: Ranks, amp, *, step: int) -> float:
    """One optimizer step over the micro-batches of `collated` (this rank's share); returns the
    mean token loss of the whole step.

    The loss is summed over tokens and divided by the step's label tokens (of all ranks), so
    accumulating micro-batches, on one rank or several, gives the same gradient as one large batch.
    """
    device = ranks.device
    label_tokens = max(1, int(ranks.sum([sum(c.label_tokens for c in collated)])[0]))
    total = 0.0
    for batch in collated:
        batch = batch.to(device)
        with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
            loss_sum = _loss_sum(model, parts, batch)
        value = loss_sum.item()
        if not math.isfinite(value) and not ranks.distributed:  # ranks decide together, below
            raise nan_loss(step)
        scaler.scale(loss_sum / label_tokens).backward()
        total += value
    if ranks.distributed:
        ranks.sum_gradients(trainable)
        total = ranks.sum([total])[0]
        if not math.isfinite(total):
            raise nan_loss(step)
    scaler.unscale_(optimizer)
    grad_norm = torch.nn.utils.clip_grad_norm_(trainable, GRAD_CLIP)
    if not scaler.is_enabled() and not math.isfinite(grad_norm.item()):
        raise nan_loss(step)
    scaler.step(optimizer)  # with fp16, skips steps whose gradients overflowed
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
    return total / label_tokens


def _loss_sum(model, parts, batch) -> torch.Tensor:
    """Summed next-token loss of a batch: through the chunked head when the model allows it."""
    inputs = {"input_ids": batch.input_ids, "position_ids": batch.position_ids, "use_cache": False}
    if parts is None:
        logits = model(**inputs).logits
        targets = batch.labels[:, 1:]
        keep = targets != IGNORE
        return F.cross_entropy(logits[:, :-1][keep].float(), targets[keep], reduction="sum")
    backbone, head = parts
    return causal_lm_loss_sum(backbone(**inputs).last_hidden_state, head, batch.labels)


@torch.no_grad()
def _evaluate(model, parts, examples, batches, pad_id, device, amp) -> tuple[float, int]:
    """(summed token loss, label tokens) over `batches` of the eval set."""
    model.eval()
    total, tokens = 0.0, 0
    for batch in batches:
        collated = collate(examples, batch, pad_id).to(device)
        with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
            total += _loss_sum(model, parts, collated).item()
        tokens += collated.label_tokens
    model.train()
    return total, tokens


def _load_data(request: StageRequest, tokenizer):
    hp, kind, continual = request.config.hyperparameters, request.stage.kind, request.config.continual
    rows = read_rows(request.train_file)
    replay = []
    if request.replay_file is not None and continual.replay_fraction > 0:
        replay = replay_sample(request.replay_file, continual.replay_fraction, len(rows), hp.seed)
    train = build_examples(kind, rows + replay, tokenizer, hp.max_seq_length, replay_rows=len(replay))
    evaluation = None
    if request.eval_file is not None:
        evaluation = build_examples(
            kind, read_rows(request.eval_file), tokenizer, hp.max_seq_length, require_tokens=False
        )
    return train, evaluation


def _scheduler(optimizer, hp, total_steps: int):
    from transformers import get_scheduler

    warmup = math.ceil(hp.warmup_ratio * total_steps)
    name = "constant_with_warmup" if hp.scheduler == "constant" and warmup else hp.scheduler
    return get_scheduler(name, optimizer, num_warmup_steps=warmup, num_training_steps=total_steps)


def _cancelled(out: Path, state: TrainState, total_steps: int, checkpoint: Path | None, hooks: Hooks) -> StageResult:
    hooks.log(f"Cancelled at step {state.step}" + (f"; checkpoint {checkpoint.name} kept." if checkpoint else "."))
    return StageResult(
        adapter_dir=checkpoint / ADAPTER if checkpoint else None,
        steps=state.step,
        total_steps=total_steps,
        cancelled=True,
        first_loss=state.first_loss,
        final_loss=state.last_loss,
        final_eval_loss=state.last_eval_loss,
        metrics_file=out / METRICS,
        manifest_file=None,
    )
