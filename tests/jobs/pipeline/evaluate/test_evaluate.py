import json
import math

import pytest

from jobs.pipeline.evaluate import SUITES, compare, evaluate_model
from jobs.pipeline.evaluate.evaluate import ModelEvaluation, score_example

REPO_CATALOG = __import__("pathlib").Path(__file__).resolve().parents[4] / "catalog"


@pytest.mark.slow
def test_it_evaluates_finance_rows_with_every_metric(smollm2_dir, tmp_path):
    seen = []
    ev = evaluate_model(
        smollm2_dir,
        REPO_CATALOG / "finance" / "demo.jsonl",
        suite=SUITES["finance"],
        max_examples=4,
        max_new_tokens=16,
        batch_size=4,
        efficiency_examples=1,
        on_progress=lambda phase, done, total: seen.append((phase, done, total)),
    )
    assert set(ev.metrics) == set(SUITES["finance"])
    assert 1 < ev.metrics["perplexity"] < 1000
    assert all(0 <= ev.metrics[k] <= 1 for k in ["rouge_l", "bleu", "exact_match", "numeric_em"])
    assert ev.applicable["rouge_l"] == 4 and 1 <= ev.applicable["numeric_em"] <= 4
    assert len(ev.examples) == 4
    for row in ev.examples:
        assert row.prompt and row.reference and row.answer
        assert row.reference.splitlines()[-1].startswith(("Answer:", "答案："))
        assert set(row.metrics) == set(SUITES["finance"])
        assert 0 < row.new_tokens <= 16 and row.answer_tokens > 0
        assert math.isfinite(row.metrics["perplexity"])
    # token-weighted corpus perplexity from the per-example sums
    nll = sum(r.nll_sum for r in ev.examples) / sum(r.answer_tokens for r in ev.examples)
    assert ev.metrics["perplexity"] == pytest.approx(math.exp(nll))
    assert ev.efficiency["tokens_per_second_batched"] > 0 and ev.efficiency["ttft_p50_s"] > 0
    assert ("perplexity", 4, 4) in seen and ("generate", 4, 4) in seen and ("efficiency", 1, 1) in seen

    # stored as JSON and read back, it compares with itself: zero deltas, gates apply
    again = ModelEvaluation.from_dict(json.loads(json.dumps(ev.to_dict())))
    report = compare(again, ev, {"rouge_l": {"min_delta": 0}, "perplexity": {"max": 1e6}})
    assert report.passed and all(r["delta"] in (0, None) for r in report.table[:5])


@pytest.mark.slow
def test_it_scores_perplexity_on_the_answer_tokens_only(smollm2_dir):
    """The batched, padded teacher-forced NLL equals a lone forward pass over prompt + answer."""
    import torch

    from jobs.pipeline.evaluate.evaluate import answer_nll, load_eval_rows
    from jobs.pipeline.evaluate.generate import load_model, render_prompt

    model, tokenizer = load_model(smollm2_dir)
    examples = load_eval_rows(REPO_CATALOG / "finance" / "demo.jsonl", 2)
    for (prompt, reference), (nll_sum, n) in zip(
        examples, answer_nll(model, tokenizer, examples, batch_size=2), strict=True
    ):
        prompt_ids = tokenizer(render_prompt(tokenizer, prompt), add_special_tokens=False).input_ids
        answer_ids = tokenizer(reference, add_special_tokens=False).input_ids + [tokenizer.eos_token_id]
        assert n == len(answer_ids)
        ids = torch.tensor([prompt_ids + answer_ids])
        with torch.inference_mode():
            logp = model(input_ids=ids).logits[0, :-1].float().log_softmax(-1)
        expected = -sum(logp[len(prompt_ids) - 1 + k, t].item() for k, t in enumerate(answer_ids))
        assert nll_sum == pytest.approx(expected, rel=1e-3)


def test_it_scores_json_metrics_only_on_json_references():
    fields = ["chief_complaint", "diagnosis", "medications", "follow_up"]
    ref = json.dumps({"chief_complaint": "cough", "diagnosis": "flu", "medications": ["rest"], "follow_up": "1 week"})
    suite = SUITES["medical"]
    scores = score_example('{"chief_complaint": "cough", "diagnosis": "flu"}', ref, suite, fields)
    assert scores["json_validity"] == 1.0 and scores["json_field_coverage"] == 0.5
    scores = score_example("Likely causes: a cold.", "See a clinician if it lasts.", suite, fields)
    assert scores["json_validity"] is None and scores["json_field_coverage"] is None
    assert score_example("oops", ref, suite)["json_field_coverage"] == 0.0  # fields from the reference


def test_it_refuses_unknown_metrics(tmp_path):
    with pytest.raises(ValueError, match="Unknown metrics"):
        evaluate_model(tmp_path, tmp_path / "x.jsonl", suite=["rouge_l", "accuracy@5"])
