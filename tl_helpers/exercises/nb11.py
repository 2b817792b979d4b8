"""Checkers of notebook 11 (scaling out with DDP): batches, learning rates and DistributedSampler."""
from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import torch
from torch import nn
from torch.utils.data import DistributedSampler

from ..distributed import per_process_batch, scaled_lr
from ..i18n import N_, tr
from . import exercise
from .answers import choice, count, near, number
from . import judgement
from .judgement import SEEDS
from ..config import seed_everything
from ..engine import feature_loader, fit
from ..recipe import HEAD_EPOCHS, HEAD_LR
from ..task import load_task


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
        return tr("that is 64 per GPU, a global batch of 512: the processes share the global batch of 64.")
    return tr("that is not the share of one process.")


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
        return tr("that keeps the learning rate of one GPU, but the global batch grew.")
    return tr("that is not the learning rate the linear scaling rule gives.")


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
        return tr("1,000 does not split evenly into 3, and DistributedSampler drops no image.")
    return tr("that is not the number of samples of one rank.")


#: 11.6: the global batch (4 processes of 32 images) and the two learning rates the checker compares.
GLOBAL_BATCH, PROCESSES = 128, 4
LR_NAMES = {"same": "same", "keep": "same", "unchanged": "same", "same lr": "same",
            "scaled": "scaled", "4x": "scaled", "linear": "scaled", "linear scaling": "scaled", "scaled lr": "scaled"}


@lru_cache(maxsize=1)
def measure_batch_lr() -> dict[str, tuple[float, ...]]:
    """Best validation accuracy per seed of a new head (Adam) on the bundled task's cached features, trained with a
    global batch of 128 for HEAD_EPOCHS epochs, at HEAD_LR ("same") and at 4 x HEAD_LR ("scaled")."""
    task = load_task("bundled", verbose=False)
    x, y = task.activations("fc", "train")
    val_loader = feature_loader(*task.activations("fc", "val"), 500)

    def run(seed: int, lr: float) -> SimpleNamespace:
        seed_everything(seed)
        head = nn.Linear(x.shape[1], task.num_classes)
        loader = feature_loader(x, y, GLOBAL_BATCH, shuffle=True)
        history = fit(head, loader, val_loader, torch.optim.Adam(head.parameters(), lr=lr), HEAD_EPOCHS,
                      progress=False, eval_name="val")
        return SimpleNamespace(val_acc=max(history["val_acc"]))
    return judgement.measure(lambda: {name: [run(seed, lr) for seed in SEEDS]
                                      for name, lr in (("same", HEAD_LR), ("scaled", PROCESSES * HEAD_LR))})


@exercise("11.6", "keep the learning rate or scale it 4x for a 4x larger batch (Adam), judged on validation", hints=(
    "the linear scaling rule (11.2) was derived for SGD: with 4x fewer, 4x larger steps per epoch, each step is "
    "made 4x larger. Adam divides every step by a running estimate of the gradient's size, so whether the rule "
    "carries over is a question for validation data.",
    "train a new head on the cached features (task.activations('fc', 'train')) with batches of 128 at "
    "tl.HEAD_LR and at 4 * tl.HEAD_LR, for several seeds, and score each epoch on the validation features.",
    "worked step: keep each run's best validation accuracy; best = the rate with the higher mean; your pick is "
    "defensible when tl.paired_interval(val[best], val[yours])[1] <= 0. The checker measures it itself "
    "(5 seeds, the default head epochs)."))
def batch_lr_choice(answer) -> str | None:
    chosen = choice(answer, LR_NAMES, N_("'same' or 'scaled'"))
    if judgement.detectably_worse(chosen, measure_batch_lr()):
        return tr("on validation, the {chosen} learning rate is detectably below the other one: the seed-by-seed "
                  "95 % interval of the other's validation accuracy minus yours lies above 0.", chosen=chosen)
    return None
