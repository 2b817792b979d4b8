"""Checkers of notebook 11 (scaling out with DDP): batches, learning rates and DistributedSampler."""
from __future__ import annotations

from torch.utils.data import DistributedSampler

from ..distributed import per_process_batch, scaled_lr
from . import close_to, exercise


@exercise("11.1", "per-process batch for a global batch of 64 on 8 GPUs")
def per_process(answer) -> str | None:
    right = per_process_batch(64, 8)
    if close_to(answer, right):
        return None
    if close_to(answer, 64 * 8):
        return "that is 64 per GPU, a global batch of 512. Hint: the 8 processes share the global batch of 64."
    return "not the share of one process. Hint: global batch = per-process batch x number of processes."


@exercise("11.2", "learning rate by the linear scaling rule on 4 GPUs")
def linear_scaling(answer) -> str | None:
    right = scaled_lr(0.1, 256, 4 * 256)
    if close_to(answer, right, rel=1e-6):
        return None
    if close_to(answer, 0.1, rel=1e-6):
        return ("that keeps the learning rate of one GPU. Hint: the global batch grew 4-fold; the linear "
                "scaling rule grows the learning rate alike.")
    return "Hint: scale the learning rate by the ratio of the new global batch to the old one."


@exercise("11.3", "samples per rank and epoch from DistributedSampler: 1,000 images, 3 processes")
def sampler_share(answer) -> str | None:
    right = len(DistributedSampler(range(1000), num_replicas=3, rank=0, shuffle=False))
    if close_to(answer, right):
        return None
    if close_to(answer, 1000 // 3):
        return ("1,000 does not split evenly into 3. Hint: DistributedSampler pads the dataset to a multiple "
                "of the number of processes by repeating a few samples, so every rank gets the same count.")
    return "Hint: every rank gets the same number of samples, and together they cover the whole dataset."
