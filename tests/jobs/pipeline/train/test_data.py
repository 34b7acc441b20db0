"""Tokenized examples: loss on assistant tokens only, truncation, pretraining blocks, replay."""

import numpy as np
import pytest

from jobs.pipeline.train.data import IGNORE, build_examples, replay_sample
from jobs.pipeline.train.types import TrainingFailure
from tests.jobs.pipeline.train.helpers import CHAT_ROWS, chat_row, write_jsonl


def labelled_runs(example) -> list[list[int]]:
    """The runs of consecutive labelled token ids."""
    runs, current = [], []
    for token, label in zip(example.input_ids, example.labels, strict=True):
        if label != IGNORE:
            assert label == token
            current.append(int(token))
        elif current:
            runs.append(current)
            current = []
    return runs + ([current] if current else [])


@pytest.mark.parametrize("turns", CHAT_ROWS, ids=["en", "en-2", "zh", "multi-turn"])
def test_it_labels_exactly_the_assistant_replies(tokenizer, turns):
    [example] = build_examples("sft", [chat_row(turns)], tokenizer, 256).items
    replies = [content for role, content in turns if role == "assistant"]
    decoded = [tokenizer.decode(run) for run in labelled_runs(example)]
    assert decoded == [reply + "<|im_end|>" for reply in replies]
    prompt = tokenizer.decode([t for t, lab in zip(example.input_ids, example.labels, strict=True) if lab == IGNORE])
    assert all(content in prompt for role, content in turns if role != "assistant")
    assert not any(reply in prompt for reply in replies)


def test_it_ignores_bookkeeping_keys(tokenizer):
    row = chat_row(CHAT_ROWS[0])
    marked = {**row, "_augmented": True, "messages": [{**m, "_source": "x"} for m in row["messages"]]}
    [a] = build_examples("sft", [row], tokenizer, 256).items
    [b] = build_examples("sft", [marked], tokenizer, 256).items
    assert np.array_equal(a.input_ids, b.input_ids) and np.array_equal(a.labels, b.labels)


def test_it_drops_rows_whose_replies_are_cut_away_and_keeps_the_rest(tokenizer):
    long = chat_row([("system", "Be brief. " * 40), ("user", "Hi"), ("assistant", "Hello!")])
    result = build_examples("sft", [long, chat_row(CHAT_ROWS[0])], tokenizer, 64)
    assert len(result.items) == 1 and result.cut_away == 1
    assert all(len(e) <= 64 for e in result.items)


def test_it_refuses_data_with_nothing_to_train_on(tokenizer):
    long = chat_row([("system", "Be brief. " * 40), ("user", "Hi"), ("assistant", "Hello!")])
    with pytest.raises(TrainingFailure) as caught:
        build_examples("sft", [long, long, long], tokenizer, 64)
    assert caught.value.kind == "bad_data"
    assert "3 rows had every assistant reply cut away" in caught.value.reason
    assert "max_seq_length" in caught.value.fix


def test_it_cuts_pretraining_text_into_blocks_with_eos(tokenizer):
    rows = [{"text": "The bank opens at nine. " * 20}, {"text": "银行九点开门。"}]
    result = build_examples("pretrain", rows, tokenizer, 32)
    lengths = [len(e) for e in result.items]
    assert all(n == 32 for n in lengths[:-1]) and 2 <= lengths[-1] <= 32
    stream = np.concatenate([e.input_ids for e in result.items])
    assert (stream == tokenizer.eos_token_id).sum() == 2 and stream[-1] == tokenizer.eos_token_id
    assert all(np.array_equal(e.input_ids, e.labels) for e in result.items)


def test_it_samples_replay_rows_by_seed(tmp_path):
    old = write_jsonl(tmp_path / "old.jsonl", [{"text": f"row {i}"} for i in range(50)])
    a = replay_sample(old, 0.2, 40, seed=1)
    assert len(a) == 8 and a == replay_sample(old, 0.2, 40, seed=1)
    assert a != replay_sample(old, 0.2, 40, seed=2)
    assert len(replay_sample(old, 1.0, 80, seed=1)) == 80  # more than there is: with replacement
