import pytest

from jobs.pipeline.evaluate.generate import (
    cost_per_1k_tokens,
    generate,
    generate_one_by_one,
    load_model,
    measure_efficiency,
    percentile,
    render_prompt,
    split_chat,
)

pytestmark = pytest.mark.slow

PROMPTS = ["What is 2+2?", "Name a primary colour.", "用一句话介绍北京。"]


@pytest.fixture(scope="module")
def model_and_tokenizer(smollm2_dir):
    return load_model(smollm2_dir)


def test_it_splits_a_chat_row_at_the_last_assistant_turn():
    row = {"messages": [
        {"role": "system", "content": "s"}, {"role": "user", "content": "u1"},
        {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"},
        {"role": "assistant", "content": "a2"},
    ]}  # fmt: skip
    prompt, reference = split_chat(row)
    assert [t["content"] for t in prompt] == ["s", "u1", "a1", "u2"]
    assert reference == "a2"
    with pytest.raises(ValueError):
        split_chat({"messages": [{"role": "user", "content": "u"}]})


def test_it_gives_the_same_greedy_outputs_batched_and_one_by_one(model_and_tokenizer):
    model, tokenizer = model_and_tokenizer
    prompts = [render_prompt(tokenizer, [{"role": "user", "content": p}]) for p in PROMPTS]
    assert prompts[0].endswith("<|im_start|>assistant\n")
    batched = generate(model, tokenizer, prompts, max_new_tokens=6, batch_size=3)
    single = generate_one_by_one(model, tokenizer, prompts, max_new_tokens=6)
    assert batched.texts == single.texts
    assert all(batched.texts) and batched.token_ids == single.token_ids
    assert all(0 < n <= 6 for n in batched.new_tokens)
    assert all(t is not None and 0 < t < s for t, s in zip(single.ttft, single.seconds, strict=True))

    eff = measure_efficiency(batched, single)
    assert eff.batch_size == 3 and eff.tokens_per_second_batched > 0 and eff.tokens_per_second_batch1 > 0
    assert eff.latency_p50_s <= eff.latency_p95_s
    assert eff.cost_per_1k_tokens_batch1 == pytest.approx(
        2.0 * single.total_seconds / 3600 / single.total_new_tokens * 1000
    )


def test_it_computes_percentiles_and_cost():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([1.0, 2.0], 95) == pytest.approx(1.95)
    assert percentile([], 50) is None
    # 1 hour at 2 USD producing 2,000 tokens: 1 USD per 1,000 tokens
    assert cost_per_1k_tokens(3600, 2000, gpu_hour_price=2.0) == pytest.approx(1.0)
    assert cost_per_1k_tokens(10, 0) is None
