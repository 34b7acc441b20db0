"""Greedy generation for evaluation, batched or one request at a time, and its efficiency figures.

Batched mode pads on the left (a causal model continues from the last position) and groups
prompts of similar length to waste little work on padding. One-by-one mode has no padding at
all and times each request on its own, time to first token included.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

# USD per GPU-hour used for cost figures when none is configured: a round on-demand price for
# one inference-class data-centre GPU (A10G/L4 rent for ~1–2.5 USD/h). On a CPU it is a stand-in.
DEFAULT_GPU_HOUR_PRICE = 2.0


@dataclass
class Generation:
    """Outputs of one generation pass, in the order of the prompts."""

    texts: list[str]
    new_tokens: list[int]  # generated tokens up to and including the end-of-turn token
    seconds: list[float]  # per request: the wall time of the batch it was in
    ttft: list[float | None]  # time to first token (one-by-one mode only)
    total_seconds: float
    batch_size: int
    token_ids: list[list[int]] | None = None  # the generated ids behind each text

    @property
    def total_new_tokens(self) -> int:
        return sum(self.new_tokens)

    @property
    def tokens_per_second(self) -> float:
        return self.total_new_tokens / self.total_seconds if self.total_seconds > 0 else 0.0


def load_model(model_dir: Path, adapter_dir: Path | None = None, *, merge_adapter: bool = True, dtype: str = "float32"):
    """(model, tokenizer) ready for generation: eval mode, left padding, a pad token.

    A LoRA adapter is merged into the weights by default: the same outputs up to float rounding,
    and ~20% faster generation than running the adapter beside the base layers.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=getattr(torch, dtype))
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_dir)
        if merge_adapter:
            model = model.merge_and_unload()
    model.eval()
    return model, tokenizer


def split_chat(row: dict) -> tuple[list[dict], str]:
    """(prompt messages, reference) of a canonical chat row: every turn before the last assistant
    turn, and that turn's content. Raises ValueError if the row has no assistant turn."""
    messages = row.get("messages") or []
    last = max((i for i, m in enumerate(messages) if m.get("role") == "assistant"), default=None)
    if last is None:
        raise ValueError("row has no assistant turn")
    prompt = [{"role": m["role"], "content": m["content"]} for m in messages[:last]]
    return prompt, messages[last]["content"]


def render_prompt(tokenizer, messages: list[dict]) -> str:
    """The chat template applied to `messages`, ending with the assistant generation prompt."""
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def _greedy_config(tokenizer, max_new_tokens: int):
    from transformers import GenerationConfig

    return GenerationConfig(
        max_new_tokens=max_new_tokens,
        do_sample=False,
        num_beams=1,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )


def _decode(tokenizer, ids) -> tuple[str, list[int]]:
    ids = ids.tolist()
    count = ids.index(tokenizer.eos_token_id) + 1 if tokenizer.eos_token_id in ids else len(ids)
    return tokenizer.decode(ids[:count], skip_special_tokens=True).strip(), ids[:count]


def generate(
    model,
    tokenizer,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 128,
    batch_size: int = 8,
    on_batch: Callable[[int, int], None] | None = None,
) -> Generation:
    """Greedy completions of rendered prompts, `batch_size` at a time, longest prompts first.

    `on_batch(done, total)` is called after each batch.
    """
    import torch

    if batch_size == 1:
        return generate_one_by_one(model, tokenizer, prompts, max_new_tokens=max_new_tokens, on_batch=on_batch)
    config = _greedy_config(tokenizer, max_new_tokens)
    lengths = [len(tokenizer(p, add_special_tokens=False).input_ids) for p in prompts]
    order = sorted(range(len(prompts)), key=lambda i: -lengths[i])
    texts, ids, seconds = [""] * len(prompts), [[] for _ in prompts], [0.0] * len(prompts)
    start = time.perf_counter()
    for b in range(0, len(order), batch_size):
        idx = order[b : b + batch_size]
        enc = tokenizer([prompts[i] for i in idx], return_tensors="pt", padding=True, add_special_tokens=False)
        t0 = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(**enc, generation_config=config)
        elapsed = time.perf_counter() - t0
        for row, i in enumerate(idx):
            texts[i], ids[i] = _decode(tokenizer, out[row, enc.input_ids.shape[1] :])
            seconds[i] = elapsed
        if on_batch:
            on_batch(min(b + batch_size, len(order)), len(order))
    total = time.perf_counter() - start
    return Generation(texts, [len(x) for x in ids], seconds, [None] * len(prompts), total, batch_size, ids)


class _FirstTokenTimer:
    """A generate() streamer that records when the first new token arrives (put #1 is the prompt)."""

    def __init__(self):
        self.calls = 0
        self.first_token_at: float | None = None

    def put(self, value) -> None:
        self.calls += 1
        if self.calls == 2:
            self.first_token_at = time.perf_counter()

    def end(self) -> None:
        pass


def generate_one_by_one(
    model,
    tokenizer,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 128,
    on_batch: Callable[[int, int], None] | None = None,
) -> Generation:
    """Greedy completions one prompt at a time (no padding), each timed alone with its time to
    first token."""
    import torch

    config = _greedy_config(tokenizer, max_new_tokens)
    texts, ids, seconds, ttft = [], [], [], []
    start = time.perf_counter()
    for n, prompt in enumerate(prompts, 1):
        enc = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
        timer = _FirstTokenTimer()
        t0 = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(**enc, generation_config=config, streamer=timer)
        seconds.append(time.perf_counter() - t0)
        ttft.append(timer.first_token_at - t0 if timer.first_token_at else None)
        text, new_ids = _decode(tokenizer, out[0, enc.input_ids.shape[1] :])
        texts.append(text)
        ids.append(new_ids)
        if on_batch:
            on_batch(n, len(prompts))
    total = time.perf_counter() - start
    return Generation(texts, [len(x) for x in ids], seconds, ttft, total, 1, ids)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation; None for no values."""
    values = sorted(values)
    if not values:
        return None
    pos = (len(values) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def cost_per_1k_tokens(seconds: float, tokens: int, gpu_hour_price: float = DEFAULT_GPU_HOUR_PRICE) -> float | None:
    """USD per 1,000 generated tokens: price × seconds / 3600 / tokens × 1000 (None if no tokens)."""
    if tokens <= 0:
        return None
    return gpu_hour_price * seconds / 3600 / tokens * 1000


@dataclass
class Efficiency:
    """Speed and cost of generation. Latency and time to first token are per request served alone."""

    batch_size: int
    tokens_per_second_batched: float | None
    tokens_per_second_batch1: float | None
    latency_p50_s: float | None
    latency_p95_s: float | None
    ttft_p50_s: float | None
    ttft_p95_s: float | None
    gpu_hour_price: float
    cost_per_1k_tokens_batched: float | None
    cost_per_1k_tokens_batch1: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def measure_efficiency(
    batched: Generation | None, single: Generation | None, *, gpu_hour_price: float = DEFAULT_GPU_HOUR_PRICE
) -> Efficiency:
    """Efficiency figures from a batched pass and/or a one-by-one pass (either may be None)."""

    def cost(g):
        return cost_per_1k_tokens(g.total_seconds, g.total_new_tokens, gpu_hour_price) if g else None

    ttft = [t for t in (single.ttft if single else []) if t is not None]
    lat = single.seconds if single else []
    return Efficiency(
        batch_size=batched.batch_size if batched else 1,
        tokens_per_second_batched=batched.tokens_per_second if batched else None,
        tokens_per_second_batch1=single.tokens_per_second if single else None,
        latency_p50_s=percentile(lat, 50),
        latency_p95_s=percentile(lat, 95),
        ttft_p50_s=percentile(ttft, 50) if ttft else None,
        ttft_p95_s=percentile(ttft, 95) if ttft else None,
        gpu_hour_price=gpu_hour_price,
        cost_per_1k_tokens_batched=cost(batched),
        cost_per_1k_tokens_batch1=cost(single),
    )
