"""Examples → batches that waste little compute on padding.

About half of a batch padded to its longest row is padding on chat data, so batches are
built one of two ways, both seeded per epoch (the same seed and epoch give the same batches,
which is what lets a resumed run continue exactly where it stopped):

- packing: examples are packed first-fit-decreasing into rows of max_seq_length; each row
  restarts `position_ids` at every example, which transformers turns into a block-diagonal
  causal mask (attention stays inside each example: tested);
- length grouping: examples of similar length share a batch; no mask is needed at all,
  since padding sits on the right and attention is causal.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import torch

from .data import IGNORE, Example

Row = tuple[int, ...]  # indices of the examples packed into one row
Batch = tuple[Row, ...]

_PACK_WINDOW = 512  # examples packed together: large enough to fill rows, small enough to stay random
_GROUP_BATCHES = 50  # batches sorted by length together (a "mega-batch", as in HF's length grouping)


def epoch_batches(
    lengths: list[int], *, batch_size: int, max_len: int, packing: bool, seed: int, epoch: int
) -> list[Batch]:
    """The batches of one epoch, in training order."""
    rng = random.Random(f"batches-{seed}-{epoch}")
    order = list(range(len(lengths)))
    rng.shuffle(order)
    if packing:
        rows = []
        for start in range(0, len(order), _PACK_WINDOW):
            rows.extend(_pack(order[start : start + _PACK_WINDOW], lengths, max_len))
        rows.sort(key=lambda row: sum(lengths[i] for i in row))  # similar fill share a batch
    else:
        rows = []
        chunk = batch_size * _GROUP_BATCHES
        for start in range(0, len(order), chunk):
            rows.extend((i,) for i in sorted(order[start : start + chunk], key=lengths.__getitem__))
    batches = [tuple(rows[i : i + batch_size]) for i in range(0, len(rows), batch_size)]
    rng.shuffle(batches)
    return batches


def eval_batches(lengths: list[int], batch_size: int) -> list[Batch]:
    """Length-sorted batches for evaluation (order does not matter there)."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [tuple((i,) for i in order[s : s + batch_size]) for s in range(0, len(order), batch_size)]


def _pack(indices: list[int], lengths: list[int], max_len: int) -> list[Row]:
    """First-fit decreasing: longest first, each into the first row with room."""
    rows: list[list[int]] = []
    free: list[int] = []
    for i in sorted(indices, key=lambda i: -lengths[i]):
        for r, room in enumerate(free):
            if lengths[i] <= room:
                rows[r].append(i)
                free[r] -= lengths[i]
                break
        else:
            rows.append([i])
            free.append(max_len - lengths[i])
    return [tuple(row) for row in rows]


def split_rows(batch: Batch, lengths: list[int], max_tokens: int | None) -> list[Batch]:
    """`batch` cut into consecutive sub-batches of at most `max_tokens` padded tokens (at least
    one row each): activation memory follows the tokens of one forward, and summing the loss
    over sub-batches gives the same gradient as the whole batch."""
    if max_tokens is None:
        return [batch]
    parts, current, width = [], [], 0
    for row in batch:
        row_width = sum(lengths[i] for i in row)
        if current and max(width, row_width) * (len(current) + 1) > max_tokens:
            parts.append(tuple(current))
            current, width = [], 0
        current.append(row)
        width = max(width, row_width)
    return parts + [tuple(current)]


@dataclass
class Collated:
    input_ids: torch.Tensor  # (B, L)
    labels: torch.Tensor  # (B, L), IGNORE on prompt, padding and each example's first token
    position_ids: torch.Tensor | None  # restarts per example when rows are packed; None otherwise
    real_tokens: int  # non-padding tokens
    label_tokens: int  # tokens that count in the loss (after the shift)

    def to(self, device: torch.device) -> Collated:
        move = (lambda t: t.to(device, non_blocking=True)) if device.type != "cpu" else (lambda t: t)
        return Collated(
            move(self.input_ids),
            move(self.labels),
            None if self.position_ids is None else move(self.position_ids),
            self.real_tokens,
            self.label_tokens,
        )


def collate(examples: list[Example], batch: Batch, pad_id: int) -> Collated:
    """Tensors for one batch, right-padded to its longest row."""
    row_lengths = [sum(len(examples[i]) for i in row) for row in batch]
    width = max(row_lengths)
    ids = np.full((len(batch), width), pad_id, dtype=np.int64)
    labels = np.full((len(batch), width), IGNORE, dtype=np.int64)
    positions = np.zeros((len(batch), width), dtype=np.int64)
    packed = any(len(row) > 1 for row in batch)
    for b, row in enumerate(batch):
        at = 0
        for i in row:
            example = examples[i]
            n = len(example)
            ids[b, at : at + n] = example.input_ids
            labels[b, at : at + n] = example.labels
            labels[b, at] = IGNORE  # never predict an example's first token from the one before it
            positions[b, at : at + n] = np.arange(n)
            at += n
        positions[b, at:] = np.arange(width - at)  # padding: a separate "example" of its own
    return Collated(
        input_ids=torch.from_numpy(ids),
        labels=torch.from_numpy(labels),
        position_ids=torch.from_numpy(positions) if packed else None,
        real_tokens=sum(row_lengths),
        label_tokens=int((labels[:, 1:] != IGNORE).sum()),
    )
