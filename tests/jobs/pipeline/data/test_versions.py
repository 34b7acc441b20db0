import json

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers

from jobs.pipeline.data.versions import EVAL, ROWS, STATS, TRAIN, build_version, in_eval_split, iter_jsonl


def chat(i: int) -> dict:
    return {"messages": [{"role": "user", "content": f"question {i}"}, {"role": "assistant", "content": "yes"}]}


@pytest.fixture
def rows_file(tmp_path):
    path = tmp_path / "in.jsonl"
    rows = [chat(i) for i in range(200)] + [{**chat(i), "_augmented": True} for i in range(50)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def tokenizer_file(tmp_path):
    vocab = {"[UNK]": 0, "question": 1, "yes": 2} | {str(i): 3 + i for i in range(10)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    path = tmp_path / "tokenizer.json"
    tokenizer.save(str(path))
    return path


def test_it_splits_by_content_and_keeps_augmented_rows_in_train(rows_file, tmp_path):
    stats = build_version(rows_file, tmp_path / "v", eval_fraction=0.2, seed=7, tokenizer_file=None)
    assert (stats.rows, stats.augmented_rows) == (250, 50)
    assert stats.train_rows + stats.eval_rows == 250
    assert 20 <= stats.eval_rows <= 60
    held_out = list(iter_jsonl(tmp_path / "v" / EVAL))
    assert not any(r.get("_augmented") for r in held_out)
    assert len(list(iter_jsonl(tmp_path / "v" / TRAIN))) == stats.train_rows
    assert not rows_file.exists() and (tmp_path / "v" / ROWS).exists()


def test_it_gives_a_row_the_same_side_in_every_version():
    row = chat(3)
    sides = {in_eval_split(dict(row), eval_fraction=0.5, seed=1) for _ in range(5)}
    assert len(sides) == 1
    assert not in_eval_split({**row, "_augmented": True}, eval_fraction=0.999, seed=1)


def test_it_counts_tokens_with_the_tokenizer(rows_file, tmp_path, tokenizer_file):
    stats = build_version(rows_file, tmp_path / "v", eval_fraction=0.1, seed=1, tokenizer_file=tokenizer_file)
    tokens = stats.tokens
    # "question N\nyes": question, N (one token per digit group under WordLevel -> [UNK] or a digit), yes
    assert tokens["min"] == 3 and tokens["max"] == 3 and tokens["total"] == 750
    assert sum(tokens["histogram"]["counts"]) == 250
    assert json.loads((tmp_path / "v" / STATS).read_text())["tokens"]["p95"] == 3


def test_it_leaves_nothing_when_it_fails(rows_file, tmp_path):
    rows_file.write_text('{"messages": []}\nnot json\n')
    with pytest.raises(json.JSONDecodeError):
        build_version(rows_file, tmp_path / "v", eval_fraction=0.1, seed=1, tokenizer_file=None)
    assert not (tmp_path / "v").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_it_refuses_an_impossible_eval_fraction(rows_file, tmp_path):
    with pytest.raises(ValueError, match="between 0 and 1"):
        build_version(rows_file, tmp_path / "v", eval_fraction=1.5, seed=1, tokenizer_file=None)
