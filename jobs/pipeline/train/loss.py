"""Cross-entropy through the LM head without holding the logits of a whole batch.

Memory in LoRA training of small models is dominated by the fp32 logits over the vocabulary
(49k for SmolLM2): batch × length × vocab floats, kept for backward. Here the head runs only
at label positions, a chunk at a time, and the gradient with respect to the hidden states is
computed in the same pass (softmax − one-hot), so only that gradient is kept, never a logit.
"""

from __future__ import annotations

import torch

CHUNK_TOKENS = 1024  # rows of logits alive at once: 1024 × 49k fp32 ≈ 200 MB


class _LinearCrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx, hidden, weight, targets, chunk, compute_dtype):
        with torch.autocast(hidden.device.type, enabled=False):  # dtypes are chosen explicitly below
            return _LinearCrossEntropy._forward(ctx, hidden, weight, targets, chunk, compute_dtype)

    @staticmethod
    def _forward(ctx, hidden, weight, targets, chunk, compute_dtype):
        w = weight.to(compute_dtype)
        total = torch.zeros((), dtype=torch.float32, device=hidden.device)
        want_hidden, want_weight = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        grad_hidden = torch.empty_like(hidden) if want_hidden else None
        grad_weight = torch.zeros_like(weight, dtype=torch.float32) if want_weight else None
        for start in range(0, hidden.shape[0], chunk):
            h = hidden[start : start + chunk].to(compute_dtype)
            y = targets[start : start + chunk]
            logits = (h @ w.T).float()
            lse = torch.logsumexp(logits, dim=-1)
            total += (lse - logits.gather(1, y[:, None]).squeeze(1)).sum()
            if want_hidden or want_weight:
                probs = logits.sub_(lse[:, None]).exp_()  # softmax, in place of the logits
                probs[torch.arange(len(y), device=y.device), y] -= 1.0  # d(loss)/d(logits)
                if want_hidden:
                    grad_hidden[start : start + chunk] = (probs.to(compute_dtype) @ w).to(hidden.dtype)
                if want_weight:
                    grad_weight += probs.T @ h.float()
        ctx.save_for_backward(
            grad_hidden if want_hidden else torch.empty(0), grad_weight if want_weight else torch.empty(0)
        )
        ctx.want = (want_hidden, want_weight, weight.dtype)
        return total

    @staticmethod
    def backward(ctx, grad_total):
        grad_hidden, grad_weight = ctx.saved_tensors
        want_hidden, want_weight, weight_dtype = ctx.want
        return (
            grad_hidden * grad_total.to(grad_hidden.dtype) if want_hidden else None,
            (grad_weight * grad_total).to(weight_dtype) if want_weight else None,
            None,
            None,
            None,
        )


def linear_cross_entropy(
    hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, chunk: int = CHUNK_TOKENS
) -> torch.Tensor:
    """Sum over rows of cross_entropy(hidden @ weight.T, targets), in chunks of `chunk` rows.

    `hidden` (N, H) holds only the positions that have a label. Under autocast the head's
    matmul runs in the autocast dtype (as the model's own head would); the softmax is fp32.
    """
    device_type = hidden.device.type
    if torch.is_autocast_enabled(device_type):
        compute_dtype = torch.get_autocast_dtype(device_type)
    else:
        compute_dtype = hidden.dtype
    if hidden.shape[0] == 0:
        return hidden.sum() * 0.0
    return _LinearCrossEntropy.apply(hidden, weight, targets, chunk, compute_dtype)


def causal_lm_loss_sum(hidden: torch.Tensor, head: torch.nn.Module, labels: torch.Tensor, ignore: int = -100):
    """Summed next-token loss of hidden states (B, L, H) against labels (B, L)."""
    targets = labels[:, 1:]
    keep = targets != ignore
    return linear_cross_entropy(hidden[:, :-1][keep], head.weight, targets[keep])
