"""Held-out evaluation of one model (base, or base + adapter) on canonical chat rows.

For each row the prompt is every turn before the last assistant turn and the reference is that
turn. Perplexity is teacher-forced on the reference (loss on the answer tokens only); the other
metrics score greedy answers. `compare` (in report.py, re-exported here) sets two evaluations
side by side and applies release gates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jobs.pipeline.evaluate import metrics as m
from jobs.pipeline.evaluate.generate import (
    DEFAULT_GPU_HOUR_PRICE,
    generate,
    generate_one_by_one,
    load_model,
    measure_efficiency,
    render_prompt,
    split_chat,
)
from jobs.pipeline.evaluate.report import Report, compare  # noqa: F401  (re-exported)

METRICS = ("perplexity", "rouge_l", "bleu", "exact_match", "numeric_em", "json_validity", "json_field_coverage")
SUITES = {
    "finance": ["perplexity", "rouge_l", "bleu", "exact_match", "numeric_em"],
    "medical": ["perplexity", "rouge_l", "bleu", "json_validity", "json_field_coverage"],
    "general": ["perplexity", "rouge_l", "bleu", "exact_match"],
}


@dataclass
class ExampleResult:
    index: int  # position among the evaluated rows
    prompt: str  # the prompt turns as "role: content" lines
    reference: str
    answer: str
    metrics: dict[str, float | None]  # per-example scores; None where a metric does not apply
    answer_tokens: int = 0  # reference tokens scored for perplexity
    nll_sum: float = 0.0
    new_tokens: int = 0
    seconds: float = 0.0  # wall time of the generation batch this example was in


@dataclass
class ModelEvaluation:
    model_dir: str
    adapter_dir: str | None
    eval_file: str
    suite: list[str]
    metrics: dict[str, float | None]  # corpus figures: BLEU pooled, perplexity token-weighted, others means
    applicable: dict[str, int]  # examples each metric was computed on
    efficiency: dict
    settings: dict
    examples: list[ExampleResult] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ModelEvaluation:
        """Rebuild an evaluation stored as `to_dict()` JSON."""
        data = dict(data)
        data["examples"] = [ExampleResult(**e) for e in data.get("examples", [])]
        return cls(**data)


ProgressFn = Callable[[str, int, int], None]  # (phase, done, total); phases: perplexity, generate, efficiency


def load_eval_rows(eval_file: Path, max_examples: int | None = None) -> list[tuple[list[dict], str]]:
    """(prompt messages, reference) of each chat row with an assistant turn, in file order."""
    from jobs.pipeline.data.versions import iter_jsonl

    rows = []
    for row in iter_jsonl(Path(eval_file)):
        try:
            rows.append(split_chat(row))
        except ValueError:
            continue
        if max_examples is not None and len(rows) >= max_examples:
            break
    return rows


def answer_nll(
    model,
    tokenizer,
    examples: Sequence[tuple[list[dict], str]],
    *,
    batch_size: int = 8,
    max_length: int = 2048,
    on_batch: Callable[[int, int], None] | None = None,
) -> list[tuple[float, int]]:
    """(summed NLL in nats, token count) of each reference answer given its prompt, teacher-forced.

    The answer tokens are those of the rendered conversation after the generation prompt, up to
    and including the end-of-turn token; over-long rows lose prompt tokens from the left.
    """
    import torch
    import torch.nn.functional as F

    seqs = []
    for prompt, reference in examples:
        prompt_ids = tokenizer(render_prompt(tokenizer, prompt), add_special_tokens=False).input_ids
        full = tokenizer.apply_chat_template(prompt + [{"role": "assistant", "content": reference}], tokenize=False)
        full_ids = tokenizer(full, add_special_tokens=False).input_ids
        if full_ids[: len(prompt_ids)] == prompt_ids:
            answer = full_ids[len(prompt_ids) :]
        else:  # a merge across the boundary: tokenize the answer alone
            answer = tokenizer(reference, add_special_tokens=False).input_ids + [tokenizer.eos_token_id]
        if tokenizer.eos_token_id in answer:
            answer = answer[: answer.index(tokenizer.eos_token_id) + 1]
        ids = (prompt_ids + answer)[-max_length:]
        seqs.append((ids, min(len(answer), len(ids) - 1)))

    results: list[tuple[float, int]] = [(0.0, 0)] * len(seqs)
    order = sorted(range(len(seqs)), key=lambda i: -len(seqs[i][0]))
    pad = tokenizer.pad_token_id
    for b in range(0, len(order), batch_size):
        idx = order[b : b + batch_size]
        width = max(len(seqs[i][0]) for i in idx)
        input_ids = torch.full((len(idx), width), pad, dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        labels = torch.full((len(idx), width), -100, dtype=torch.long)
        for row, i in enumerate(idx):
            ids, n_answer = seqs[i]
            input_ids[row, : len(ids)] = torch.tensor(ids)
            mask[row, : len(ids)] = 1
            labels[row, len(ids) - n_answer : len(ids)] = torch.tensor(ids[len(ids) - n_answer :])
        with torch.inference_mode():
            logits = model(input_ids=input_ids, attention_mask=mask).logits[:, :-1].float()
        target = labels[:, 1:]
        nll = F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100, reduction="none")
        for row, i in enumerate(idx):
            results[i] = (nll[row].sum().item(), int((target[row] != -100).sum()))
        if on_batch:
            on_batch(min(b + batch_size, len(order)), len(order))
    return results


def _json_reference_fields(reference: str, json_fields: Sequence[str] | None) -> list[str] | None:
    """Fields the answer must fill, or None when the reference is not a JSON object (not scored)."""
    try:
        value = m.parse_json(reference)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return list(json_fields) if json_fields is not None else list(value)


def score_example(answer: str, reference: str, suite: Sequence[str], json_fields=None) -> dict[str, float | None]:
    """Per-example scores of the suite's answer metrics (perplexity excluded: it needs the model)."""
    out: dict[str, float | None] = {}
    if "rouge_l" in suite:
        out["rouge_l"] = m.rouge_l(answer, reference)
    if "bleu" in suite:
        out["bleu"] = m.sentence_bleu(answer, reference)
    if "exact_match" in suite:
        out["exact_match"] = m.exact_match(answer, reference)
    if "numeric_em" in suite:
        out["numeric_em"] = m.numeric_exact_match(answer, reference)
    if "json_validity" in suite or "json_field_coverage" in suite:
        fields = _json_reference_fields(reference, json_fields)
        if "json_validity" in suite:
            out["json_validity"] = None if fields is None else m.json_validity(answer)
        if "json_field_coverage" in suite:
            out["json_field_coverage"] = None if fields is None else m.json_field_coverage(answer, fields)
    return out


def _prompt_text(prompt: list[dict]) -> str:
    return "\n".join(f"{t['role']}: {t['content']}" for t in prompt)


def evaluate_model(
    model_dir: Path,
    eval_file: Path,
    *,
    adapter_dir: Path | None = None,
    suite: list[str],
    max_examples: int | None = None,
    max_new_tokens: int = 128,
    batch_size: int = 8,
    json_fields: list[str] | None = None,
    on_progress: ProgressFn | None = None,
    efficiency_examples: int = 4,
    gpu_hour_price: float = DEFAULT_GPU_HOUR_PRICE,
    dtype: str = "float32",
) -> ModelEvaluation:
    """Evaluate a model (plus an optional adapter, merged) on an eval JSONL file.

    Computes the suite's metrics (see SUITES): perplexity on the references, the others on greedy
    answers generated `batch_size` at a time. JSON metrics score only rows whose reference is a
    JSON object, against `json_fields` (default: the reference's own keys); numeric EM only rows
    whose reference holds a number. `efficiency_examples` prompts are generated again one by one
    for batch-1 speed, latency and time to first token (0 skips that). `on_progress(phase, done,
    total)` reports each batch.
    """
    unknown = sorted(set(suite) - set(METRICS))
    if unknown:
        raise ValueError(f"Unknown metrics {unknown}; known: {list(METRICS)}")
    examples = load_eval_rows(eval_file, max_examples)
    if not examples:
        raise ValueError(f"{eval_file} has no chat rows with an assistant turn to evaluate.")

    def progress(phase):
        return (lambda done, total: on_progress(phase, done, total)) if on_progress else None

    model, tokenizer = load_model(model_dir, adapter_dir, dtype=dtype)
    nll = [(0.0, 0)] * len(examples)
    if "perplexity" in suite:
        nll = answer_nll(model, tokenizer, examples, batch_size=batch_size, on_batch=progress("perplexity"))
    prompts = [render_prompt(tokenizer, p) for p, _ in examples]
    batched = generate(
        model, tokenizer, prompts, max_new_tokens=max_new_tokens, batch_size=batch_size, on_batch=progress("generate")
    )
    single = None
    if efficiency_examples > 0:
        single = generate_one_by_one(
            model,
            tokenizer,
            prompts[:efficiency_examples],
            max_new_tokens=max_new_tokens,
            on_batch=progress("efficiency"),
        )

    rows = []
    for i, ((prompt, reference), answer) in enumerate(zip(examples, batched.texts, strict=True)):
        scores = score_example(answer, reference, suite, json_fields)
        if "perplexity" in suite:
            scores = {"perplexity": m.perplexity(*nll[i]), **scores}
        rows.append(
            ExampleResult(
                index=i,
                prompt=_prompt_text(prompt),
                reference=reference,
                answer=answer,
                metrics=scores,
                answer_tokens=nll[i][1],
                nll_sum=nll[i][0],
                new_tokens=batched.new_tokens[i],
                seconds=batched.seconds[i],
            )
        )

    corpus: dict[str, float | None] = {}
    applicable: dict[str, int] = {}
    for name in suite:
        values = [r.metrics[name] for r in rows if r.metrics.get(name) is not None]
        applicable[name] = len(values)
        if name == "perplexity":
            corpus[name] = m.perplexity(sum(r.nll_sum for r in rows), sum(r.answer_tokens for r in rows))
        elif name == "bleu":
            corpus[name] = m.corpus_bleu([r.answer for r in rows], [r.reference for r in rows])
        else:
            corpus[name] = sum(values) / len(values) if values else None
    return ModelEvaluation(
        model_dir=str(model_dir),
        adapter_dir=str(adapter_dir) if adapter_dir else None,
        eval_file=str(eval_file),
        suite=list(suite),
        metrics=corpus,
        applicable=applicable,
        efficiency=measure_efficiency(batched, single, gpu_hour_price=gpu_hour_price).to_dict(),
        settings={
            "max_new_tokens": max_new_tokens,
            "batch_size": batch_size,
            "dtype": dtype,
            "max_examples": max_examples,
            "json_fields": json_fields,
            "n_examples": len(rows),
        },
        examples=rows,
    )
