"""How many labels you need: accuracy against the number of labelled training images per class (notebook 08).

    curve = label_count_curve(task, counts=(1, 2, 5, 10), strategies=("scratch", "frozen"), seeds=(0, 1), steps=300)
    plot_label_curve(curve)          # in ``plots``
    val = tune_lr(task, (1e-3, 3e-3), seeds=(0, 1), steps=300, arch="small_cnn")    # {lr: [validation acc]}

Every run of a curve takes the same number of optimiser steps (fewer images, more epochs), so the points differ in
their labels, not in how long they trained. ``tune_lr`` scores learning rates on validation images with the same
step budget, so a from-scratch contender gets its learning rate the fair way (never from the test images).
"""
from __future__ import annotations

import math
from typing import Sequence

import torch

from .data import make_loader
from .engine import predict
from .experiments import TRAIN_BATCH_SIZE, train, train_seeds
from .task import TargetTask, subset_task


def label_count_curve(task: TargetTask, counts: Sequence[int], strategies: Sequence[str] = ("scratch", "frozen"),
                      seeds: Sequence[int] = (0, 1), steps: int | None = None, **kwargs) -> dict[str, dict]:
    """Accuracy against the number of labelled training images per class (``task`` needs ``max(counts)``).

    Each seed picks its own images (``subset_task``) and trains with that seed; ``**kwargs`` go to ``train``.
    With ``steps``, every run takes at least that many optimiser steps (whole epochs: fewer images, more
    epochs), so the runs differ in their labels, not in how long they train. Returns ``{strategy: {count:
    [{"test", "seen", "new", "train", "steps"} per seed]}}``: test accuracy, overall and on the classes seen /
    not seen in pretraining (``task.seen_classes()``: mean of the per-class accuracies), accuracy on the run's
    own training images (eval mode, after training) and the optimiser steps taken.
    """
    curve: dict[str, dict[int, list[dict[str, float]]]] = {s: {n: [] for n in counts} for s in strategies}
    seen = torch.tensor(task.seen_classes())
    if "frozen" in strategies:
        task.activations("fc", "test")      # computed once here, shared by every subset task
    for n in counts:
        for seed in seeds:
            sub = subset_task(task, n, seed)
            per_epoch = math.ceil(len(sub.train_ds) / TRAIN_BATCH_SIZE)
            epochs = {"num_epochs": epochs_for(len(sub.train_ds), steps)} if steps else {}
            for s in strategies:
                run = train(sub, s, seed, **{**kwargs, **epochs})
                preds, _, targets = predict(run.model, make_loader(sub.train_ds, 200))
                per_class = run.per_class(task.num_classes)
                curve[s][n].append({"test": run.test_acc, "seen": per_class[seen].mean().item(),
                                    "new": per_class[~seen].mean().item(),
                                    "train": (preds == targets).float().mean().item(),
                                    "steps": len(run.history["train_loss"]) * per_epoch})
    return curve


def epochs_for(n_images: int, steps: int) -> int:
    """Whole epochs over ``n_images`` (batches of ``TRAIN_BATCH_SIZE``) that take at least ``steps`` steps."""
    return math.ceil(steps / math.ceil(n_images / TRAIN_BATCH_SIZE))


def tune_lr(task: TargetTask, lrs: Sequence[float], seeds: Sequence[int], steps: int, strategy: str = "scratch",
            **kwargs) -> dict[float, list[float]]:
    """Validation accuracy of each learning rate, per seed: ``{lr: [val_acc per seed]}``.

    Each run trains ``task`` (which needs validation images) for at least ``steps`` optimiser steps, like a run of
    ``label_count_curve``, and is scored on the validation images after its last epoch; ``**kwargs`` go to
    ``train`` (e.g. ``arch="small_cnn"``). Pick the learning rate from these numbers, never from the test set.
    """
    task.split("val")                   # without validation images: the error says how to get them
    epochs = epochs_for(len(task.train_ds), steps)
    return {lr: [run.val_acc for run in train_seeds(task, strategy, seeds, lr=lr, num_epochs=epochs, progress=False,
                                                    **kwargs)]
            for lr in lrs}
