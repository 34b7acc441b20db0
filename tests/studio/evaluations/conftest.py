"""Reports as a worker stores them, built by the pipeline's own compare/describe from evaluations
written out here (no model is loaded), and evaluation rows that hold them."""

import json

import pytest

from jobs.pipeline.evaluate.evaluate import ExampleResult, ModelEvaluation
from jobs.pipeline.evaluate.report import compare, describe
from studio.evaluations.services import evaluation_report_data
from tests.factories import make_evaluation, make_run

SUITE = ["perplexity", "rouge_l", "bleu", "exact_match", "numeric_em"]
GATES = {"numeric_em": {"min_delta": 0.05}, "rouge_l": {"min_delta": 0.0}, "perplexity": {"max_delta": 0.0}}
EFFICIENCY = {
    "batch_size": 8,
    "tokens_per_second_batched": 120.0,
    "tokens_per_second_batch1": 24.0,
    "latency_p50_s": 2.5,
    "latency_p95_s": 3.1,
    "ttft_p50_s": 0.05,
    "ttft_p95_s": 0.07,
    "gpu_hour_price": 2.0,
    "cost_per_1k_tokens_batched": 0.0046,
    "cost_per_1k_tokens_batch1": 0.023,
}


def model_evaluation(answers: list[str], rouge: list[float], numeric: list[float], ppl: list[float], tps: float):
    examples = [
        ExampleResult(
            index=i,
            prompt=f"user: What is ratio {i}?",
            reference=f"Answer: {i}",
            answer=answer,
            metrics={
                "perplexity": ppl[i],
                "rouge_l": rouge[i],
                "bleu": rouge[i] / 2,
                "exact_match": 0.0,
                "numeric_em": numeric[i],
            },  # fmt: skip
        )
        for i, answer in enumerate(answers)
    ]
    metrics = {name: sum(e.metrics[name] for e in examples) / len(examples) for name in SUITE}
    return ModelEvaluation(
        model_dir="/models/base",
        adapter_dir=None,
        eval_file="eval.jsonl",
        suite=SUITE,
        metrics=metrics,
        applicable={name: len(examples) for name in SUITE},
        efficiency=EFFICIENCY | {"tokens_per_second_batched": tps},
        settings={"max_new_tokens": 128, "batch_size": 8, "n_examples": len(examples)},
        examples=examples,
    )


def base_evaluation(n: int = 12) -> ModelEvaluation:
    return model_evaluation([f"I think {i}" for i in range(n)], [0.3] * n, [0.0] * n, [30.0] * n, tps=120.0)


def tuned_evaluation(n: int = 12) -> ModelEvaluation:
    # Example 3 gains most ROUGE-L, example 7 loses most; example 5 gets its number right.
    rouge = [0.3] * n
    rouge[3], rouge[7] = 0.9, 0.05
    numeric = [0.0] * n
    numeric[5] = 1.0
    answers = [f"Answer: {i}" if i == 5 else f"tuned <b>{i}</b>" for i in range(n)]
    return model_evaluation(answers, rouge, numeric, [12.0] * n, tps=110.0)


@pytest.fixture
def compared_report() -> dict:
    base, tuned = base_evaluation(), tuned_evaluation()
    report = compare(base, tuned, GATES)
    report.base_label, report.tuned_label = "SmolLM2", "#1 Finance LoRA"
    return evaluation_report_data(report, {"base": base, "tuned": tuned})


@pytest.fixture
def base_only_report() -> dict:
    base = base_evaluation(3)
    report = describe(base)
    report.base_label = "SmolLM2"
    return evaluation_report_data(report, {"base": base})


@pytest.fixture
def succeeded_run(team):
    return make_run(team, status="succeeded")


@pytest.fixture
def run_evaluation(team, succeeded_run, compared_report, tmp_path):
    """A succeeded evaluation of `succeeded_run` whose report files exist."""
    report_dir = tmp_path / "evaluation"
    report_dir.mkdir()
    (report_dir / "report.json").write_text(json.dumps(compared_report))
    (report_dir / "report.html").write_text("<!DOCTYPE html><title>report</title>")
    return make_evaluation(team, run=succeeded_run, report=compared_report, report_dir=str(report_dir))


def train_only_version(team):
    """An approved chat version whose rows all fell on the training side of the split."""
    from jobs.pipeline.data.versions import in_eval_split
    from studio.datasets.services import EVAL_FRACTION, SPLIT_SEED
    from tests.factories import make_version

    candidates = (
        {"messages": [{"role": "user", "content": f"Train {i}?"}, {"role": "assistant", "content": f"Yes {i}."}]}
        for i in range(100)
    )
    rows = [r for r in candidates if not in_eval_split(r, eval_fraction=EVAL_FRACTION, seed=SPLIT_SEED)][:5]
    version = make_version(team, rows, name="Training rows only", approved=True)
    assert version.eval_count == 0
    return version


def tiny_base_model(path):
    """A tiny random Llama (tests/jobs/pipeline/train) registered as a ready local base model."""
    from tests.jobs.test_train_worker import register

    return register(path, "tiny llama")


def save_adapter(base_dir, adapter_dir):
    """A real LoRA adapter for `base_dir` whose weights are not the identity (B is not zero)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(base_dir)
    config = LoraConfig(r=2, lora_alpha=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    get_peft_model(model, config).save_pretrained(adapter_dir)
