"""Transfer-learning comparisons on a small target task: from scratch, feature extraction, fine-tuning.

    python -m tl_helpers.experiments --seeds 0 1 2      # the README's results table

A ``TargetTask`` holds the pretrained backbone and the target data. Anything computed by a
frozen part of the network (pooled features, or the activations entering the first trainable
stage) is computed once and cached, so training only what is unfrozen costs little per epoch.
``fine_tune`` is the series' one fine-tuning recipe (head first, then the unfrozen stages), used
here and by the end-to-end workflow of notebooks 09 and 10. Taught in notebooks 05, 07 and 08.
"""
from __future__ import annotations

import argparse
import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import torch
from torch import Tensor, nn
from torch.utils.data import Dataset

from .config import seed_everything, seed_list
from .data import ImageFolderDataset, bundled_dataset_dir, make_loader, pooled_splits, subset_per_class, with_transform
from .engine import Callback, History, progress_bar, feature_loader, per_class_accuracy, predict
from .fashion import folder_name
from .recipe import (FINETUNE_LR, HEAD_EPOCHS, HEAD_LR, NET_EPOCHS, SCRATCH_LR, StageData, fine_tune,
                     fit_stage)
from .resnet import build_model, split_at
from .tables import markdown_table, mean_std, pm
from .transfer import count_parameters, replace_head, unfreeze
from .weights import load_backbone

STRATEGIES = ("scratch", "frozen", "finetune")


@dataclass
class TargetTask:
    """A pretrained backbone plus a target dataset, with caches of frozen computations.

    Attributes:
        backbone: The pretrained network, still with its source head (never trained here).
        weights: Its weights entry (``transforms()``, ``meta["categories"]``).
        train_ds: Target training images (transformed tensors).
        test_ds: Target test images.
        classes: Target class names.
    """

    backbone: nn.Module
    weights: object
    train_ds: Dataset
    test_ds: Dataset
    classes: list[str]
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def seen_classes(self) -> list[bool]:
        """For each target class: was it one of the backbone's source (pretraining) classes?"""
        source = {folder_name(c) for c in self.weights.meta["categories"]}
        return [folder_name(c) in source for c in self.classes]

    def new_model(self, pretrained: bool = True, dropout: float | None = None) -> nn.Module:
        """A copy of the backbone (or the same architecture, randomly initialised) with a new head."""
        if pretrained:
            model = copy.deepcopy(self.backbone)
        else:
            model = build_model("resnet50", getattr(self.weights, "width", 64), num_classes=1)
        return replace_head(model, self.num_classes, dropout=dropout)

    def activations(self, stage: str, split: str) -> tuple[Tensor, Tensor]:
        """Cached output of the frozen pretrained part before ``stage`` (``"fc"``: pooled features)."""
        key = (stage, split)
        if key not in self._cache:
            prefix, _ = split_at(self.backbone, stage)
            prefix.eval()
            ds = self.train_ds if split == "train" else self.test_ds
            xs, ys = [], []
            with torch.no_grad():  # not inference_mode: cached tensors are training inputs
                for x, y in make_loader(ds, batch_size=100):
                    xs.append(prefix(x))
                    ys.append(y)
            self._cache[key] = (torch.cat(xs), torch.cat(ys))
        return self._cache[key]

    def stage_data(self, model: nn.Module, stage: str, seed: int, train_transform=None,
                   track_test: bool = False) -> StageData:
        """What trains from ``stage`` on, with batches of cached activations where the input is frozen.

        With ``train_transform`` (augmentation) the input changes every epoch, so nothing is
        cached: the whole model sees the augmented images and is scored on the test images.
        """
        if stage == "stem" or train_transform is not None:
            images = self.train_ds if train_transform is None else with_transform(self.train_ds, train_transform)
            test = make_loader(self.test_ds, 200) if track_test else None
            return model, make_loader(images, 32, shuffle=True, seed=seed), test
        train = feature_loader(*self.activations(stage, "train"), batch_size=32, shuffle=True, seed=seed)
        test = feature_loader(*self.activations(stage, "test"), batch_size=500) if track_test else None
        return split_at(model, stage)[1], train, test

    def predict(self, model: nn.Module, stage: str) -> tuple[Tensor, Tensor]:
        """Test-set predictions; a frozen part before ``stage`` is replaced by its cached output."""
        if stage == "stem":
            preds, _, targets = predict(model, make_loader(self.test_ds, 200))
            return preds, targets
        acts, targets = self.activations(stage, "test")
        preds, _, _ = predict(split_at(model, stage)[1], feature_loader(acts, targets, batch_size=500))
        return preds, targets


def load_task(source: str = "bundled", root: str | Path | None = None, n_per_class: int | None = None,
              train_splits: Sequence[str] = ("train",), seed: int = 0, verbose: bool = True) -> TargetTask:
    """Load a backbone and a target dataset in ImageFolder layout.

    Args:
        source: Backbone for ``weights.load_backbone`` (``"bundled"``, ``"imagenet"``, ``"auto"``).
        root: Dataset root with ``train/`` and ``test/`` (default: the bundled 10-class set).
        n_per_class: Keep only this many training images per class (seeded pick).
        train_splits: Sub-folders pooled as training data, e.g. ``("train", "extra")``.
        seed: Seed of the ``n_per_class`` pick.
        verbose: Print which backbone is used.

    Returns:
        The task.
    """
    backbone, weights = load_backbone(source, verbose=verbose)
    backbone.eval()
    root = Path(root) if root is not None else bundled_dataset_dir()
    tf = weights.transforms()
    train_ds: Dataset = pooled_splits(root, train_splits, tf, verbose=verbose)
    classes = train_ds.classes
    if n_per_class is not None:
        train_ds = subset_per_class(train_ds, n_per_class, seed)
    test_ds = ImageFolderDataset(root / "test", tf, classes=classes, verbose=verbose)
    return TargetTask(backbone, weights, train_ds, test_ds, classes)


def subset_task(task: TargetTask, n_per_class: int, seed: int = 0) -> TargetTask:
    """The same task with only ``n_per_class`` training images per class (for label-count curves).

    Picks the same images as ``load_task(n_per_class=n_per_class, seed=seed)`` with the same
    ``train_splits`` would, but shares the backbone and the cached test activations computed so far,
    so only the few training images pass through the backbone again.
    """
    sub = TargetTask(task.backbone, task.weights, subset_per_class(task.train_ds, n_per_class, seed),
                     task.test_ds, task.classes)
    sub._cache.update({key: value for key, value in task._cache.items() if key[1] == "test"})
    return sub


@dataclass
class RunResult:
    """One training run: the model, its history and its test scores."""

    strategy: str
    seed: int
    model: nn.Module
    history: History
    test_acc: float
    trainable: int
    total: int
    preds: Tensor
    targets: Tensor
    seconds: float

    def per_class(self, num_classes: int) -> Tensor:
        return per_class_accuracy(self.preds, self.targets, num_classes)


def train(task: TargetTask, strategy: str = "frozen", seed: int = 0, num_epochs: int | None = None,
          lr: float | None = None, unfreeze_from: str | None = None, dropout: float | None = None,
          head_first: bool = True, weight_decay: float = 0.0, callbacks: Sequence[Callback] = (),
          progress: bool | None = None, train_transform=None, head_lr: float | None = None,
          track_test: bool = False) -> RunResult:
    """Train a model for the task with one strategy.

    Args:
        task: From ``load_task``.
        strategy: ``"frozen"`` (feature extraction: train the new head only), ``"finetune"``
            (``fine_tune``: head first, then ``unfreeze_from`` on, by default every layer) or
            ``"scratch"`` (random weights, every layer trains).
        seed: Seed of the head initialisation, shuffling and dropout.
        num_epochs: Epochs (default: ``HEAD_EPOCHS`` for the head, else ``NET_EPOCHS``, after the head's).
        lr: Adam learning rate (defaults: ``HEAD_LR``, ``FINETUNE_LR``, ``SCRATCH_LR``).
        unfreeze_from: For ``"finetune"``: first trainable stage (``"stem"``/``"all"`` ... ``"layer4"``).
        dropout: Dropout before the new linear head.
        head_first: For ``"finetune"``: train the head on the frozen backbone first (``fine_tune``).
        weight_decay: Adam weight decay.
        callbacks: ``fit`` callbacks, called after each epoch with ``(epoch, history)``.
        progress: Show progress bars (default: off in quick mode).
        train_transform: Training-time augmentation, e.g. ``data.train_transforms``; the images then
            pass through the whole network every epoch (not in the head-first phase).
        head_lr: Learning rate of the new head while ``lr`` trains the backbone layers.
        track_test: Also score the test set after every epoch, for a learning curve (default: only once, at
            the end: scoring 1,000 images after every epoch used to cost more than the training itself).

    Returns:
        The run's result.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}.")
    start = time.perf_counter()
    seed_everything(seed)
    model = task.new_model(pretrained=strategy != "scratch", dropout=dropout)
    stage = {"frozen": "fc", "scratch": "stem"}.get(strategy, unfreeze_from or "stem")
    stage = "stem" if stage == "all" else stage
    data = task.stage_data(model, stage, seed, train_transform, track_test)
    kw = {"weight_decay": weight_decay, "callbacks": callbacks, "progress": progress}
    if strategy == "finetune":
        head_data = task.stage_data(model, "fc", seed, track_test=track_test) if head_first else None
        history = fine_tune(model, head_data, data, num_epochs or NET_EPOCHS, lr or FINETUNE_LR, stage,
                            HEAD_EPOCHS, head_lr, **kw)
    else:
        unfreeze(model, stage)
        epochs, default_lr = (HEAD_EPOCHS, HEAD_LR) if strategy == "frozen" else (NET_EPOCHS, SCRATCH_LR)
        history = fit_stage(data, num_epochs or epochs, lr or default_lr, head_lr, model.fc, **kw)
    preds, targets = task.predict(model, "stem" if train_transform is not None else stage)
    trainable, total = count_parameters(model)
    return RunResult(strategy, seed, model, history, (preds == targets).float().mean().item(),
                     trainable, total, preds, targets, time.perf_counter() - start)


def train_seeds(task: TargetTask, strategy: str = "frozen", seeds: int | Sequence[int] = 5,
                progress: bool | None = None, **kwargs) -> list[RunResult]:
    """One configuration trained with several seeds: ``[RunResult per seed]``, in the order of ``seeds``.

    Each seed is the run ``train(task, strategy, seed, **kwargs)`` would give, bit for bit: the seeds differ in
    the new head's initialisation, the batch order and dropout, so comparing two configurations seed by seed
    (``tables.paired_interval``) isolates the one setting they differ in. The frozen computations (features,
    transformed images) are computed once and shared by all seeds.

    Args:
        task: From ``load_task``.
        strategy: ``"frozen"``, ``"finetune"`` or ``"scratch"`` (see ``train``).
        seeds: How many (``5``: seeds 0-4) or which seeds.
        progress: A bar over the seeds (default: on, except in quick mode); the runs themselves show none.
        **kwargs: The configuration, as for ``train``.
    """
    return [train(task, strategy, seed, progress=False, **kwargs)
            for seed in progress_bar(seed_list(seeds), progress, desc=f"{strategy}: seeds")]


def compare(task: TargetTask, strategies: Sequence[str] = STRATEGIES, seeds: int | Sequence[int] = (0, 1, 2),
            **kwargs) -> dict[str, list[RunResult]]:
    """Run each strategy with each seed: ``{strategy: [result per seed]}`` (``train_seeds`` per strategy)."""
    return {s: train_seeds(task, s, seeds, **kwargs) for s in strategies}


TRAIN_BATCH_SIZE = 32   #: images per training batch in ``TargetTask.stage_data`` (for counting steps)


def summarize(task: TargetTask, results: dict[str, list[RunResult]]) -> list[dict]:
    """Test accuracy per strategy, overall and on seen / new classes, as ``(mean, std)`` over seeds.

    Returns:
        Rows ``{"strategy", "test", "seen", "new", "trainable", "seconds" (mean per run), "seeds"}``.
    """
    seen = torch.tensor(task.seen_classes())
    rows = []
    for name, runs in results.items():
        per_class = torch.stack([r.per_class(task.num_classes) for r in runs])
        rows.append({"strategy": name, "test": mean_std(r.test_acc for r in runs),
                     "seen": mean_std(per_class[:, seen].mean(1).tolist()),
                     "new": mean_std(per_class[:, ~seen].mean(1).tolist()),
                     "trainable": runs[0].trainable, "seconds": mean_std(r.seconds for r in runs)[0],
                     "seeds": len(runs)})
    return rows


def format_table(rows: list[dict]) -> str:
    """A Markdown table of ``summarize`` rows."""
    header = ("strategy", "test accuracy", "seen classes", "new classes", "trainable params", "s per run")
    return markdown_table(header, [(r["strategy"], pm(r["test"]), pm(r["seen"]), pm(r["new"]),
                                    f"{r['trainable']:,}", f"{r['seconds']:.1f}") for r in rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scratch vs frozen vs fine-tuned on the bundled target set.")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--source", default="bundled")
    args = ap.parse_args(argv)
    task = load_task(args.source)
    rows = summarize(task, compare(task, seeds=args.seeds))
    print(f"{len(task.train_ds)} training / {len(task.test_ds)} test images, {task.num_classes} classes, "
          f"seeds {args.seeds}")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
