"""Data parallelism for the training loop when torchrun starts it in several processes.

    with data_parallel() as ranks:  # WORLD_SIZE unset or 1: one process, no process group
        ...

Every rank builds the same seeded batch list; each optimizer step takes world_size ×
gradient_accumulation batches and rank r trains on its share (`Ranks.share`). The loss of each
micro-batch is divided by the step's label tokens summed over all ranks, and the gradients of
the trainable (LoRA) parameters are summed across ranks once per step, so N processes with
accumulation g make the very update one process with accumulation N × g makes.

The gradients are all-reduced by hand rather than through DistributedDataParallel: the loss
runs the backbone and the LM head separately (the chunked head of `loss.py`), which bypasses a
DDP wrapper's forward, and the adapter's gradients are small (one collective per step).
Rank 0 alone reports, writes and decides to stop (`rank_hooks`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
import torch.distributed as dist

from .model import pick_device
from .types import Hooks, Progress


def world_size_from_env() -> int:
    """How many processes torchrun started for this stage (1 outside torchrun)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


@dataclass(frozen=True)
class Ranks:
    """This process among the data-parallel processes; one process is rank 0 of 1."""

    device: torch.device  # this rank's device; collectives run on it
    rank: int = 0
    world_size: int = 1

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def share(self, items: list) -> list:
        """This rank's consecutive part of `items` (an empty part at an epoch's short end)."""
        size = -(-len(items) // self.world_size)
        return items[self.rank * size : (self.rank + 1) * size]

    def sum(self, values: list[float]) -> list[float]:
        """`values` summed element-wise over all ranks."""
        if not self.distributed:
            return values
        summed = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(summed)
        return summed.tolist()

    def sum_gradients(self, parameters: list[torch.Tensor]) -> None:
        """Sum the gradients of `parameters` over all ranks, in one collective."""
        if not self.distributed:
            return
        grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in parameters]
        flat = torch.cat([g.reshape(-1).float() for g in grads])
        dist.all_reduce(flat)
        for param, summed in zip(parameters, flat.split([p.numel() for p in parameters]), strict=True):
            param.grad = summed.view_as(param).to(param.dtype)

    def reseed(self, seed: int, step: int) -> None:
        """Seed this rank's torch RNG (dropout) from (seed, rank, step): ranks draw different
        masks, and a resumed run draws what an uninterrupted one would, without per-rank RNG
        state in the checkpoint. One process keeps its single stream (saved in checkpoints)."""
        if self.distributed:
            digest = hashlib.sha256(f"{seed}-{self.rank}-{step}".encode()).digest()
            torch.manual_seed(int.from_bytes(digest[:8], "little") >> 1)

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()


@contextmanager
def data_parallel() -> Iterator[Ranks]:
    """This process's `Ranks`: under torchrun (WORLD_SIZE > 1) inside a process group (nccl with
    one GPU per rank, cuda:LOCAL_RANK; gloo on CPU), otherwise one process on `pick_device()`."""
    world_size = world_size_from_env()
    if world_size == 1:
        yield Ranks(device=pick_device())
        return
    cuda = torch.cuda.is_available()
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"])) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    started = not dist.is_initialized()
    if started:
        dist.init_process_group("nccl" if cuda else "gloo")
    try:
        yield Ranks(device=device, rank=dist.get_rank(), world_size=dist.get_world_size())
    finally:
        if started:
            dist.destroy_process_group()


class _RankHooks:
    """The caller's hooks, spoken to by rank 0 only; its stop decision is shared with all ranks
    (every rank asks at the same step boundary)."""

    def __init__(self, hooks: Hooks, ranks: Ranks):
        self.hooks, self.ranks = hooks, ranks

    def on_progress(self, progress: Progress) -> None:
        if self.ranks.is_main:
            self.hooks.on_progress(progress)

    def should_stop(self) -> bool:
        stop = self.hooks.should_stop() if self.ranks.is_main else False
        return self.ranks.sum([float(stop)])[0] > 0

    def log(self, line: str) -> None:
        if self.ranks.is_main:
            self.hooks.log(line)


def rank_hooks(hooks: Hooks, ranks: Ranks) -> Hooks:
    """`hooks` as every rank should use them (unchanged in one process)."""
    return _RankHooks(hooks, ranks) if ranks.distributed else hooks
