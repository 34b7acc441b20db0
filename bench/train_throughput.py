"""Benchmark of LoRA SFT training: our loop (jobs.pipeline.train) against a plain baseline.

Baseline: transformers `Trainer` + peft with the same LoRA (r 16 on q_proj/v_proj), the same
tokenized examples (loss on assistant tokens only), batches of 8 in random order padded to
their longest row (≤ 256 tokens), the same precision. Ours: `run_stage` with the same settings.
Data: catalog/finance/demo.jsonl on the embedded SmolLM2-135M (converted once into
var/test-cache/smollm2-hf).

Each variant runs in its own subprocess, so peak RSS (ru_maxrss, model load included) is per
variant. Throughput = the median over the steps after the first `--warmup` of each step's
non-padding tokens / seconds; `--repeat` runs the variants again, alternating, and keeps each
one's best (other people's jobs share these CPUs).

Run:  .venv/bin/python bench/train_throughput.py [--steps 10] [--warmup 2] [--epoch]
      --epoch also times one epoch of ours (default precision) with the loss at start and end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/datasets.py would shadow the `datasets` package that transformers' Trainer imports.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "catalog" / "finance" / "demo.jsonl"
MODEL = ROOT / "var" / "test-cache" / "smollm2-hf"
BATCH, MAX_LEN, LR, SEED = 8, 256, 2e-4, 42
VARIANTS = {
    # name: (engine, precision, packing, CPU batches split into forwards of ≤ 1024 tokens)
    "baseline fp32": ("baseline", "fp32", False, False),
    "ours fp32": ("ours", "fp32", False, True),
    "baseline bf16": ("baseline", "bf16", False, False),
    "ours bf16": ("ours", "bf16", False, True),
    "ours bf16 packed": ("ours", "bf16", True, True),
    "ours bf16 unsplit": ("ours", "bf16", False, False),
}


def _config(precision: str, packing: bool, max_steps: int | None):
    from jobs.pipeline.config import RunConfig

    return RunConfig(
        name="bench",
        template="finance",
        base_model="embedded",
        stages=[{"kind": "sft", "dataset_version": 1}],
        lora={"r": 16, "alpha": 32, "dropout": 0.1, "target_modules": ["q_proj", "v_proj"]},
        hyperparameters={
            "learning_rate": LR,
            "max_steps": max_steps,
            "per_device_batch_size": BATCH,
            "max_seq_length": MAX_LEN,
            "precision": precision,
            "packing": packing,
            "seed": SEED,
            "eval_every_steps": 10_000,
            "checkpoint_every_steps": 10_000,
        },
    )


def _examples():
    from transformers import AutoTokenizer

    from jobs.pipeline.train.data import build_examples, read_rows

    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    return tokenizer, build_examples("sft", read_rows(DATA), tokenizer, MAX_LEN).items


def _throughput(times: list[float], tokens: list[int], warmup: int) -> float:
    """Median over steps warmup+1..N of each step's tokens/s (times[i] = end of step i+1,
    warmup >= 1). The median shrugs off a step slowed by someone else's job on a shared CPU."""
    rates = [tokens[i] / (times[i] - times[i - 1]) for i in range(warmup, len(times))]
    return statistics.median(rates)


def run_ours(precision: str, packing: bool, split: bool, steps: int, warmup: int) -> dict:
    from jobs.pipeline.train import loop
    from jobs.pipeline.train.batching import collate, epoch_batches
    from jobs.pipeline.train.types import StageRequest

    if not split:
        loop.CPU_TOKENS_PER_FORWARD = None
    if packing:  # force it: the loop only packs examples shorter than half of max_seq_length
        loop.PACK_BELOW_MEAN_SHARE = 1.0

    tokenizer, examples = _examples()
    lengths = [len(e) for e in examples]
    batches = epoch_batches(lengths, batch_size=BATCH, max_len=MAX_LEN, packing=packing, seed=SEED, epoch=0)
    tokens = [collate(examples, b, 0).real_tokens for b in batches[: warmup + steps]]
    padded = [collate(examples, b, 0).input_ids.numel() for b in batches[: warmup + steps]]
    times, losses = [], []

    class Hooks:
        def on_progress(self, p):
            times.append(time.perf_counter())
            losses.append(p.loss)

        def should_stop(self):
            return False

        def log(self, line):
            print(line, file=sys.stderr)

    with tempfile.TemporaryDirectory() as out:
        request = StageRequest(_config(precision, packing, warmup + steps), 0, MODEL, DATA, None, Path(out))
        result = loop.run_stage(request, Hooks())
    return {
        "batches": "packed" if result.extra["packing"] else "length-grouped",
        "tokens_per_second": _throughput(times, tokens, warmup),
        "tokens_per_step": sum(tokens) / len(tokens),
        "padding": 1 - sum(tokens) / sum(padded),
        "loss_first": losses[0],
        "loss_last": losses[-1],
    }


def run_baseline(precision: str, steps: int, warmup: int) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, Trainer, TrainerCallback, TrainingArguments

    tokenizer, examples = _examples()
    rows = [{"input_ids": e.input_ids.tolist(), "labels": e.labels.tolist()} for e in examples]
    tokens, padded, times, losses = [], [], [], []

    def collator(features):
        width = max(len(f["input_ids"]) for f in features)
        pad = tokenizer.pad_token_id
        ids = torch.tensor([f["input_ids"] + [pad] * (width - len(f["input_ids"])) for f in features])
        labels = torch.tensor([f["labels"] + [-100] * (width - len(f["labels"])) for f in features])
        mask = torch.tensor([[1] * len(f["input_ids"]) + [0] * (width - len(f["input_ids"])) for f in features])
        tokens.append(int(mask.sum()))
        padded.append(mask.numel())
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}

    class Timer(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            times.append(time.perf_counter())

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                losses.append(logs["loss"])

    model = AutoModelForCausalLM.from_pretrained(MODEL, dtype=torch.float32)
    model = get_peft_model(
        model,
        LoraConfig(r=16, lora_alpha=32, lora_dropout=0.1, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"),
    )
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(
            output_dir=out,
            per_device_train_batch_size=BATCH,
            learning_rate=LR,
            max_steps=warmup + steps,
            warmup_steps=0.05,
            weight_decay=0.01,
            lr_scheduler_type="cosine",
            max_grad_norm=1.0,
            bf16=precision == "bf16",
            use_cpu=True,
            logging_steps=1,
            save_strategy="no",
            report_to=[],
            seed=SEED,
            remove_unused_columns=False,
            dataloader_num_workers=0,
            disable_tqdm=True,
        )
        Trainer(model=model, args=args, train_dataset=rows, data_collator=collator, callbacks=[Timer()]).train()
    n = warmup + steps
    return {
        "batches": "random, padded",
        "tokens_per_second": _throughput(times, tokens[:n], warmup),
        "tokens_per_step": sum(tokens[:n]) / n,
        "padding": 1 - sum(tokens[:n]) / sum(padded[:n]),
        "loss_first": losses[0] if losses else math.nan,
        "loss_last": losses[-1] if losses else math.nan,
    }


def run_epoch(precision: str) -> dict:
    """One full epoch of ours over the finance demo set."""
    from jobs.pipeline.train.loop import run_stage
    from jobs.pipeline.train.types import StageRequest

    losses: list[float] = []

    class Hooks:
        def on_progress(self, p):
            losses.append(p.loss)

        def should_stop(self):
            return False

        def log(self, line):
            print(line, file=sys.stderr)

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = run_stage(StageRequest(_config(precision, False, None), 0, MODEL, DATA, None, Path(out)), Hooks())
        wall = time.perf_counter() - started
    return {"wall_seconds": wall, "steps": result.steps, "loss_first": losses[0], "loss_last": losses[-1]}


def child(name: str, steps: int, warmup: int) -> None:
    if name.startswith("epoch "):
        result = run_epoch(name.removeprefix("epoch "))
    else:
        engine, precision, packing, split = VARIANTS[name]
        if engine == "ours":
            result = run_ours(precision, packing, split, steps, warmup)
        else:
            result = run_baseline(precision, steps, warmup)
    result["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # KiB → GB
    print("RESULT " + json.dumps(result), flush=True)


def spawn(name: str, steps: int, warmup: int) -> dict:
    cmd = [sys.executable, __file__, "--child", name, "--steps", str(steps), "--warmup", str(warmup)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="measured steps per variant")
    parser.add_argument("--warmup", type=int, default=2, help="steps not measured (at least 1)")
    parser.add_argument("--epoch", action="store_true", help="also time one epoch of ours (bf16 autocast)")
    parser.add_argument("--only", help="comma-separated variant names")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the variants; each keeps its best")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.steps, args.warmup)
    if not (MODEL / "config.json").exists():
        from jobs.pipeline.model import convert_gguf_to_hf, embedded_gguf_path

        convert_gguf_to_hf(embedded_gguf_path(), MODEL)
    names = args.only.split(",") if args.only else list(VARIANTS)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; {args.steps} steps measured")
    results = {}
    for round_ in range(args.repeat):
        for name in names:
            r = spawn(name, args.steps, args.warmup)
            print(
                f"  round {round_ + 1}, {name}: {r['tokens_per_second']:.0f} tok/s, {r['peak_rss_gb']:.2f} GB",
                flush=True,
            )
            if name not in results or r["tokens_per_second"] > results[name]["tokens_per_second"]:
                results[name] = r
    print()
    print("| variant | batches | tokens/s | real tokens/step | padding | peak RSS (GB) |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} | {r['batches']} | {r['tokens_per_second']:.0f} | {r['tokens_per_step']:.0f} "
            f"| {r['padding']:.0%} | {r['peak_rss_gb']:.2f} |"
        )
    for precision in ("bf16", "fp32"):
        ours, base = results.get(f"ours {precision}"), results.get(f"baseline {precision}")
        if ours and base:
            ratio = ours["tokens_per_second"] / base["tokens_per_second"]
            memory = 1 - ours["peak_rss_gb"] / base["peak_rss_gb"]
            label = "ratio" if precision == "bf16" else "ratio (fp32)"
            print(
                f"{label}: {ratio:.2f}  (peak memory {memory:.0%} lower: {ours['peak_rss_gb']:.2f} vs "
                f"{base['peak_rss_gb']:.2f} GB, {precision})"
            )
    if "ours bf16" in results and "ours fp32" in results:
        speed = results["ours bf16"]["tokens_per_second"] / results["ours fp32"]["tokens_per_second"]
        print(f"ours bf16 autocast vs fp32: {speed:.2f}× tokens/s")
    if args.epoch:
        r = spawn("epoch auto", 0, 0)
        print(
            f"epoch (ours, auto precision): {r['steps']} steps in {r['wall_seconds']:.0f} s wall, "
            f"loss {r['loss_first']:.3f} → {r['loss_last']:.3f}, peak RSS {r['peak_rss_gb']:.2f} GB"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
