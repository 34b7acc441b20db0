"""Canonical rows → tokenized training examples (input ids + labels).

SFT: the base model's chat template renders each conversation; only assistant tokens carry
labels (the rest is -100). Pretraining: raw texts joined with EOS and cut into blocks.
Continual learning mixes a seeded sample of an earlier run's rows in (replay).
How examples become batches lives in `batching.py`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jobs.pipeline.data.formats import iter_rows

from .types import TrainingFailure

IGNORE = -100  # label of tokens that are not trained on (the loss skips them)


@dataclass(frozen=True)
class Example:
    input_ids: np.ndarray  # int32
    labels: np.ndarray  # int32, IGNORE where no loss

    def __len__(self) -> int:
        return len(self.input_ids)


@dataclass
class Examples:
    items: list[Example]
    rows: int = 0  # rows read (train + replay)
    replay_rows: int = 0
    cut_away: int = 0  # rows whose assistant tokens were all beyond max_seq_length
    without_assistant: int = 0  # chat rows with no assistant turn at all
    truncated: int = 0  # rows shortened by max_seq_length but still trained on

    @property
    def trainable_tokens(self) -> int:
        return int(sum((e.labels != IGNORE).sum() for e in self.items))


def read_rows(path: Path) -> list[dict]:
    """The rows of a canonical JSONL file."""
    return list(iter_rows(path))


def replay_sample(replay_file: Path, fraction: float, n_train: int, seed: int) -> list[dict]:
    """`fraction` × `n_train` rows drawn (seeded) from an earlier run's data; with replacement
    only when the old data has fewer rows than asked for."""
    wanted = round(fraction * n_train)
    if wanted <= 0:
        return []
    old = read_rows(replay_file)
    if not old:
        return []
    rng = random.Random(f"replay-{seed}")
    return rng.sample(old, wanted) if wanted <= len(old) else rng.choices(old, k=wanted)


def build_examples(
    kind: str,
    rows: list[dict],
    tokenizer,
    max_seq_length: int,
    *,
    replay_rows: int = 0,
    require_tokens: bool = True,
) -> Examples:
    """Tokenize rows for a "pretrain" or "sft" stage.

    Raises TrainingFailure("bad_data") when `require_tokens` and nothing is left to train on.
    """
    if kind == "pretrain":
        result = _pretrain_examples(rows, tokenizer, max_seq_length)
    elif kind == "sft":
        result = _chat_examples(rows, tokenizer, max_seq_length)
    else:
        raise ValueError(f"no examples for stage kind {kind!r}")
    result.rows, result.replay_rows = len(rows), replay_rows
    if require_tokens and not result.items:
        raise TrainingFailure("bad_data", _nothing_left(kind, result, max_seq_length), _nothing_left_fix(result))
    return result


def _nothing_left(kind: str, result: Examples, max_seq_length: int) -> str:
    if result.rows == 0:
        return "The training file has no rows."
    if kind == "pretrain":
        return f"The {result.rows} text rows hold no tokens."
    details = []
    if result.cut_away:
        details.append(
            f"{result.cut_away} rows had every assistant reply cut away because the conversation "
            f"before it is longer than max_seq_length ({max_seq_length} tokens)"
        )
    if result.without_assistant:
        details.append(f"{result.without_assistant} rows have no assistant turn")
    because = (": " + "; ".join(details)) if details else ""
    return f"None of the {result.rows} rows has a token to train on{because}."


def _nothing_left_fix(result: Examples) -> str:
    if result.cut_away:
        return "Raise max_seq_length (or shorten the system prompt and user turns) so the assistant replies fit."
    return "Check the dataset: SFT needs conversations with assistant replies."


# --- SFT ------------------------------------------------------------------------------------


def _render(tokenizer, messages: list[dict], generation_prompt: bool = False) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def assistant_spans(tokenizer, messages: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    """The rendered conversation and the character spans of its assistant replies.

    A reply starts where the template's rendering of the turns before it plus the generation
    prompt ends, and stops where the rendering up to and including it ends (trailing whitespace
    dropped, so the end-of-turn token is trained but the newline after it is not). Templates that
    render earlier turns differently once later turns exist fall back to finding the content.
    """
    text = _render(tokenizer, messages)
    spans, cursor = [], 0
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        content = message["content"]
        try:
            before = _render(tokenizer, messages[:i], generation_prompt=True)
            upto = _render(tokenizer, messages[: i + 1])
        except Exception:  # e.g. a template that refuses a conversation starting with the assistant
            before = upto = None
        if before is not None and text.startswith(before) and len(before) >= cursor:
            start = len(before)
        else:
            start = text.find(content, cursor)
            if start < 0:
                continue
        end = len(upto) if upto is not None and text.startswith(upto) and len(upto) > start else start + len(content)
        end = start + len(text[start:end].rstrip())
        if end > start:
            spans.append((start, end))
            cursor = end
    return text, spans


def _chat_messages(row: dict) -> list[dict]:
    # Canonical rows may carry bookkeeping keys ("_augmented", ...): keep role and content only.
    return [{"role": m["role"], "content": m["content"]} for m in row["messages"]]


def _chat_examples(rows: list[dict], tokenizer, max_len: int) -> Examples:
    texts, all_spans = [], []
    for number, row in enumerate(rows, 1):
        try:
            text, spans = assistant_spans(tokenizer, _chat_messages(row))
        except (KeyError, TypeError) as exc:
            raise TrainingFailure(
                "bad_data", f"Row {number} is not a chat row ({exc}).", "Train SFT on a chat dataset."
            ) from exc
        except Exception as exc:  # the template itself refused it (e.g. roles out of order)
            raise TrainingFailure(
                "bad_data",
                f"Row {number}: the base model's chat template refused the conversation: {exc}",
                "Fix the roles of that row (system, then alternating user and assistant) or drop it.",
            ) from exc
        texts.append(text)
        all_spans.append(spans)
    result = Examples(items=[])
    if not texts:
        return result
    encoded = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
    for ids, offsets, spans in zip(encoded["input_ids"], encoded["offset_mapping"], all_spans, strict=True):
        if not spans:
            result.without_assistant += 1
            continue
        ids = np.asarray(ids, dtype=np.int32)
        starts = np.asarray([start for start, _ in offsets], dtype=np.int64)
        trained = np.zeros(len(ids), dtype=bool)
        for lo, hi in spans:
            trained |= (starts >= lo) & (starts < hi)
        if len(ids) > max_len:
            ids, trained = ids[:max_len], trained[:max_len]
            if not trained.any():
                result.cut_away += 1
                continue
            result.truncated += 1
        labels = np.where(trained, ids, IGNORE).astype(np.int32)
        result.items.append(Example(ids, labels))
    return result


# --- Pretraining ----------------------------------------------------------------------------


def _pretrain_examples(rows: list[dict], tokenizer, max_len: int) -> Examples:
    """Texts + EOS, concatenated and cut into blocks of max_len (the last block may be shorter)."""
    eos = tokenizer.eos_token_id
    texts = [row["text"] for row in rows if row.get("text")]
    stream: list[int] = []
    if texts:
        for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]:
            stream.extend(ids)
            if eos is not None:
                stream.append(eos)
    tokens = np.asarray(stream, dtype=np.int32)
    items = [Example(block, block.copy()) for block in np.split(tokens, range(max_len, len(tokens), max_len))]
    return Examples(items=[e for e in items if len(e) >= 2])
