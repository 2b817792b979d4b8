"""Checkers of notebook 11 (scaling out with DDP): batches, learning rates and DistributedSampler."""
from __future__ import annotations

from torch.utils.data import DistributedSampler

from ..distributed import per_process_batch, scaled_lr
from . import exercise
from .answers import count, near, number


@exercise("11.1", "per-process batch for a global batch of 64 on 8 GPUs", hints=(
    "with data parallelism every process runs the same model on its own slice of each global batch.",
    "the global batch is what all processes see together in one step: per-process batch times the number of "
    "processes.",
    "worked step: solve global = per_process x processes for per_process, with the numbers of the question."))
def per_process(answer) -> str | None:
    n, right = count(answer), per_process_batch(64, 8)
    if n == right:
        return None
    if n == 64 * 8:
        return "that is 64 per GPU, a global batch of 512: the processes share the global batch of 64."
    return "that is not the share of one process."


@exercise("11.2", "learning rate by the linear scaling rule on 4 GPUs", hints=(
    "the linear scaling rule keeps the learning rate in step with the global batch: the larger the batch, the "
    "larger the learning rate, in proportion.",
    "first find the new global batch (per-GPU batch times GPUs) and its ratio to the old one.",
    "worked step: new learning rate = old learning rate x (new global batch / old global batch); tl.scaled_lr "
    "computes the same."))
def linear_scaling(answer) -> str | None:
    value, right = number(answer), scaled_lr(0.1, 256, 4 * 256)
    if near(value, right, rel=1e-6):
        return None
    if near(value, 0.1, rel=1e-6):
        return "that keeps the learning rate of one GPU, but the global batch grew."
    return "that is not the learning rate the linear scaling rule gives."


@exercise("11.3", "samples per rank and epoch from DistributedSampler: 1,000 images, 3 processes", hints=(
    "every rank gets the same number of samples, and together they cover the whole dataset at least once.",
    "1,000 does not split evenly into 3: DistributedSampler (drop_last=False) pads the dataset by repeating a "
    "few samples until it does.",
    "worked step: round the dataset size up to the next multiple of the number of processes, then divide; "
    "len(DistributedSampler(range(1000), num_replicas=3, rank=0)) confirms it."))
def sampler_share(answer) -> str | None:
    n = count(answer)
    right = len(DistributedSampler(range(1000), num_replicas=3, rank=0, shuffle=False))
    if n == right:
        return None
    if n == 1000 // 3:
        return "1,000 does not split evenly into 3, and DistributedSampler drops no image."
    return "that is not the number of samples of one rank."
