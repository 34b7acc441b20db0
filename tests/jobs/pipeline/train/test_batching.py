"""Batches: every example once per epoch, seeded, little padding, packed examples isolated."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from jobs.pipeline.train.batching import collate, epoch_batches
from jobs.pipeline.train.data import IGNORE, Example
from jobs.pipeline.train.loss import causal_lm_loss_sum, linear_cross_entropy


def random_examples(n: int, seed: int = 0) -> list[Example]:
    rng = np.random.default_rng(seed)
    examples = []
    for _ in range(n):
        length = int(rng.integers(4, 40))
        ids = rng.integers(3, 49152, length).astype(np.int32)
        labels = np.where(np.arange(length) >= length // 2, ids, IGNORE).astype(np.int32)
        examples.append(Example(ids, labels))
    return examples


@pytest.mark.parametrize("packing", [False, True])
def test_it_covers_every_example_once_in_a_seeded_order(packing):
    lengths = [len(e) for e in random_examples(300)]
    plan = dict(batch_size=8, max_len=64, packing=packing, seed=3)
    batches = epoch_batches(lengths, epoch=0, **plan)
    seen = sorted(i for batch in batches for row in batch for i in row)
    assert seen == list(range(300))
    assert batches == epoch_batches(lengths, epoch=0, **plan)
    assert batches != epoch_batches(lengths, epoch=1, **plan)
    assert all(sum(lengths[i] for i in row) <= 64 for batch in batches for row in batch)


@pytest.mark.parametrize("packing", [False, True])
def test_it_wastes_little_on_padding(packing):
    examples = random_examples(400)
    lengths = [len(e) for e in examples]
    batches = epoch_batches(lengths, batch_size=8, max_len=128, packing=packing, seed=0, epoch=0)
    real = padded = 0
    for batch in batches:
        c = collate(examples, batch, pad_id=0)
        real, padded = real + c.real_tokens, padded + c.input_ids.numel()
    assert real / padded > 0.9


def test_packed_examples_do_not_see_each_other(tiny_model_dir):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir("llama")).eval()
    examples = random_examples(5, seed=1)
    packed = collate(examples, ((0, 1, 2), (3, 4)), pad_id=0)
    assert packed.position_ids is not None
    with torch.no_grad():
        hidden = model.model(input_ids=packed.input_ids, position_ids=packed.position_ids, use_cache=False)
        together = causal_lm_loss_sum(hidden.last_hidden_state, model.lm_head, packed.labels)
        alone = 0.0
        for i in range(5):
            single = collate(examples, ((i,),), pad_id=0)
            out = model.model(input_ids=single.input_ids, use_cache=False).last_hidden_state
            alone += causal_lm_loss_sum(out, model.lm_head, single.labels)
    assert torch.allclose(together, alone, rtol=1e-5)


def test_the_chunked_loss_matches_cross_entropy_and_its_gradients():
    torch.manual_seed(0)
    hidden = torch.randn(37, 16, requires_grad=True)
    weight = torch.randn(50, 16, requires_grad=True)
    targets = torch.randint(0, 50, (37,))
    (0.5 * linear_cross_entropy(hidden, weight, targets, chunk=8)).backward()
    ours = (hidden.grad.clone(), weight.grad.clone())
    hidden.grad = weight.grad = None
    (0.5 * F.cross_entropy(hidden @ weight.T, targets, reduction="sum")).backward()
    assert torch.allclose(ours[0], hidden.grad, atol=1e-5) and torch.allclose(ours[1], weight.grad, atol=1e-5)
