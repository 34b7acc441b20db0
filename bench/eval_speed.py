"""Benchmark of evaluation generation: batched (left padding) vs one request at a time.

Takes the studio's eval split of the finance demo (`in_eval_split`, eval_fraction 0.1, seed
1234), renders each prompt with the chat template and generates greedy answers of up to
`--max-new-tokens` tokens on the embedded model (fp32, converted once into
var/test-cache/smollm2-hf) in batches of `--batch-size` and one by one, in the same process
after one warm-up call. Each batch runs both ways back to back, so on a CPU shared with other
jobs a change of load hits both modes alike. Prints both times, tokens/s, latency and time to first token,
cost per 1k tokens, `ratio: X` (one-by-one time / batched time; target >= 3) and the examples
whose greedy outputs differ. For each difference it prints the top-1/top-2 logit margin at the
first differing token in the unpadded run: a margin near zero is a near-tie that the padded
batch's different float rounding tipped the other way, not a bug.

Run:  .venv/bin/python -u bench/eval_speed.py [--batch-size 8] [--max-new-tokens 64] [--max-examples N]
          [--threads N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobs.pipeline.data.versions import in_eval_split, iter_jsonl  # noqa: E402
from jobs.pipeline.evaluate.generate import (  # noqa: E402
    Generation,
    generate,
    generate_one_by_one,
    load_model,
    measure_efficiency,
    render_prompt,
    split_chat,
)

CACHE_DIR = ROOT / "var" / "test-cache" / "smollm2-hf"


def model_dir() -> Path:
    if not (CACHE_DIR / "model.safetensors").exists():
        sys.path.insert(0, str(ROOT / "tests" / "jobs" / "pipeline" / "evaluate"))
        from conftest import embedded_hf_dir  # the same race-safe conversion the tests use

        return embedded_hf_dir()
    return CACHE_DIR


def near_tie_margin(model, tokenizer, prompt: str, prefix: list[int]) -> tuple[float, str, str]:
    """Top-1 minus top-2 logit after prompt + prefix (unpadded), and those two tokens."""
    import torch

    ids = tokenizer(prompt, add_special_tokens=False).input_ids + prefix
    with torch.inference_mode():
        logits = model(input_ids=torch.tensor([ids])).logits[0, -1].float()
    top = logits.topk(2)
    a, b = top.indices.tolist()
    return (top.values[0] - top.values[1]).item(), tokenizer.decode([a]), tokenizer.decode([b])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--max-examples", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)  # 1 holds up better than 2 on a CPU shared with other jobs

    rows = [r for r in iter_jsonl(ROOT / "catalog" / "finance" / "demo.jsonl")
            if in_eval_split(r, eval_fraction=0.1, seed=1234)][: args.max_examples]  # fmt: skip
    model, tokenizer = load_model(model_dir())
    prompts = [render_prompt(tokenizer, split_chat(r)[0]) for r in rows]
    print(
        f"eval rows: {len(rows)} (finance demo, eval_fraction 0.1, seed 1234); max_new_tokens "
        f"{args.max_new_tokens}; fp32; torch threads: {__import__('torch').get_num_threads()}",
        flush=True,
    )

    generate(model, tokenizer, prompts[:2], max_new_tokens=4, batch_size=2)  # warm-up
    # Longest first, as generate() batches them; each batch is then run both ways back to back, so
    # a load change on a shared CPU hits both modes alike.
    lengths = [len(tokenizer(p, add_special_tokens=False).input_ids) for p in prompts]
    order = sorted(range(len(prompts)), key=lambda i: -lengths[i])
    batched = Generation([], [], [], [], 0.0, args.batch_size, [])
    single = Generation([], [], [], [], 0.0, 1, [])
    for b in range(0, len(order), args.batch_size):
        chunk = [prompts[i] for i in order[b : b + args.batch_size]]
        for total, part in (
            (batched, generate(model, tokenizer, chunk, max_new_tokens=args.max_new_tokens, batch_size=len(chunk))),
            (single, generate_one_by_one(model, tokenizer, chunk, max_new_tokens=args.max_new_tokens)),
        ):
            for name in ("texts", "new_tokens", "seconds", "ttft", "token_ids"):
                getattr(total, name).extend(getattr(part, name))
            total.total_seconds += part.total_seconds
        print(
            f"  batch {b // args.batch_size + 1}: {batched.total_seconds:.1f} s vs {single.total_seconds:.1f} s so far",
            flush=True,
        )
    t_batched, t_single = batched.total_seconds, single.total_seconds
    prompts = [prompts[i] for i in order]
    eff = measure_efficiency(batched, single)
    print(
        f"batched (batch {args.batch_size}): {t_batched:.1f} s, {batched.total_new_tokens} tokens, "
        f"{eff.tokens_per_second_batched:.1f} tok/s, ${eff.cost_per_1k_tokens_batched:.5f}/1k tokens"
    )
    print(
        f"one-by-one:        {t_single:.1f} s, {single.total_new_tokens} tokens, "
        f"{eff.tokens_per_second_batch1:.1f} tok/s, ${eff.cost_per_1k_tokens_batch1:.5f}/1k tokens"
    )
    print(
        f"one-by-one latency p50/p95: {eff.latency_p50_s:.2f}/{eff.latency_p95_s:.2f} s; "
        f"time to first token p50/p95: {eff.ttft_p50_s:.3f}/{eff.ttft_p95_s:.3f} s "
        f"(cost at ${eff.gpu_hour_price}/GPU-hour)"
    )
    print(f"ratio: {t_single / t_batched:.2f}")

    differ = [i for i in range(len(rows)) if batched.token_ids[i] != single.token_ids[i]]
    print(f"outputs differing: {len(differ)} of {len(rows)} (# = position, longest prompt first)")
    for i in differ:
        b, s = batched.token_ids[i], single.token_ids[i]
        k = next((j for j, (x, y) in enumerate(zip(b, s, strict=False)) if x != y), min(len(b), len(s)))
        margin, top1, top2 = near_tie_margin(model, tokenizer, prompts[i], s[:k])
        print(
            f"  #{i}: first difference at new token {k}: one-by-one {tokenizer.decode(s[k : k + 1])!r} vs "
            f"batched {tokenizer.decode(b[k : k + 1])!r}; unpadded top-2 {top1!r}/{top2!r}, "
            f"logit margin {margin:.4f}"
        )


if __name__ == "__main__":
    main()
