"""The target task of the transfer-learning experiments: a pretrained backbone and its target images.

A ``TargetTask`` holds the backbone and the target data in three splits: ``train`` (what the new head and any
unfrozen stages learn from), ``val`` (where every choice is scored: settings, strategies, epochs) and ``test``
(scored once for each final number). Anything computed by a frozen part of the network (pooled features, or the
activations entering the first trainable stage) is computed once per split and cached, so training only what is
unfrozen costs little per epoch. Used by ``experiments`` (notebooks 05, 07 and 08).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import torch
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset

from .data import ImageFolderDataset, bundled_dataset_dir, make_loader, pooled_splits, subset_per_class, with_transform
from .engine import feature_loader, predict
from .fashion import folder_name
from .recipe import StageData
from .resnet import STAGES, build_model, split_at
from .transfer import replace_head
from .weights import load_backbone


@dataclass
class TargetTask:
    """A pretrained backbone plus a target dataset, with caches of frozen computations.

    Attributes:
        backbone: The pretrained network, still with its source head (never trained here).
        weights: Its weights entry (``transforms()``, ``meta["categories"]``).
        train_ds: Target training images (transformed tensors).
        test_ds: Target test images, scored once for each final number.
        classes: Target class names.
        val_ds: Validation images (``None``: none held out), where every choice is scored.
    """

    backbone: nn.Module
    weights: object
    train_ds: Dataset
    test_ds: Dataset
    classes: list[str]
    val_ds: Dataset | None = None
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
            ds = self.split(split)
            xs, ys = [], []
            with torch.no_grad():  # not inference_mode: cached tensors are training inputs
                for x, y in make_loader(ds, batch_size=100):
                    xs.append(prefix(x))
                    ys.append(y)
            self._cache[key] = (torch.cat(xs), torch.cat(ys))
        return self._cache[key]

    def pooled_output(self, stage: str, split: str) -> tuple[Tensor, Tensor]:
        """``stage``'s output (``"stem"`` ... ``"layer4"``) for the images of ``split``, averaged over its positions:
        ``(features [N, channels], labels [N])``, from the cached input of the stage after it."""
        following = (*STAGES, "fc")
        if stage not in STAGES or stage == "fc":
            raise ValueError(f"pooled_output: {stage!r} is not a stage with a spatial output; use one of "
                             f"{', '.join(s for s in STAGES if s != 'fc')}.")
        x, y = self.activations(following[following.index(stage) + 1], split)
        return (x.mean((2, 3)) if x.dim() == 4 else x), y

    def split(self, name: str, needed_by: str | None = None) -> Dataset:
        """The ``"train"``, ``"val"`` or ``"test"`` images; ``needed_by`` names what asked for them, in the error."""
        ds = {"train": self.train_ds, "val": self.val_ds, "test": self.test_ds}[name]
        if ds is None:
            who = f"{needed_by} needs validation images, but this task holds out none" if needed_by else \
                "This task holds out no validation images"
            raise ValueError(f"{who}: load it with tl.load_task(val_split='extra') (the bundled set's extra/ folder) "
                             "or name your dataset's validation folder in val_split; pooling extra/ into training "
                             "uses them up.")
        return ds

    def eval_loader(self, stage: str, split: str) -> DataLoader:
        """Batches to score a model trained from ``stage`` on: cached activations, or images for ``"stem"``."""
        if stage == "stem":
            return make_loader(self.split(split), 200)
        return feature_loader(*self.activations(stage, split), batch_size=500)

    def stage_data(self, model: nn.Module, stage: str, seed: int, train_transform=None,
                   track_test: bool = False, track_val: bool = False) -> StageData:
        """What trains from ``stage`` on, with batches of cached activations where the input is frozen.

        With ``train_transform`` (augmentation) the training input changes every epoch, so it cannot be
        cached: each batch of augmented images passes through the frozen part first (eval mode, no gradients),
        then what trains sees it, as it would inside the whole model. The held-out images are not augmented, so
        they are scored from the cache. ``track_val`` / ``track_test`` score the validation / test images after
        every epoch (history keys ``val_acc`` / ``test_acc``).
        """
        tracked = [name for name, on in (("val", track_val), ("test", track_test)) if on]
        evals = {name: self.eval_loader(stage, name) for name in tracked} or None
        images = self.train_ds if train_transform is None else with_transform(self.train_ds, train_transform)
        if stage == "stem":
            return model, make_loader(images, 32, shuffle=True, seed=seed), evals
        prefix, trains = split_at(model, stage)
        if train_transform is not None:
            return trains, _FrozenPrefix(prefix, make_loader(images, 32, shuffle=True, seed=seed)), evals
        return trains, feature_loader(*self.activations(stage, "train"), batch_size=32, shuffle=True, seed=seed), evals

    def predict(self, model: nn.Module, stage: str, split: str = "test") -> tuple[Tensor, Tensor]:
        """Predictions on ``split``; a frozen part before ``stage`` is replaced by its cached output."""
        loader = self.eval_loader(stage, split)
        preds, _, targets = predict(model if stage == "stem" else split_at(model, stage)[1], loader)
        return preds, targets


class _FrozenPrefix:
    """Batches of ``loader`` passed through a frozen ``prefix`` of the network (eval mode, no gradients):
    what the trainable rest would receive inside the whole model, without tracking the frozen part."""

    def __init__(self, prefix: nn.Module, loader: DataLoader) -> None:
        self.prefix, self.loader = prefix, loader

    def __len__(self) -> int:
        return len(self.loader)

    def __iter__(self):
        self.prefix.eval()
        for x, y in self.loader:
            with torch.no_grad():       # per batch: a generator must not hold grad mode off between batches
                x = self.prefix(x)
            yield x, y


def load_task(source: str = "bundled", root: str | Path | None = None, n_per_class: int | None = None,
              train_splits: Sequence[str] = ("train",), seed: int = 0, verbose: bool = True,
              val_split: str | None = "auto") -> TargetTask:
    """Load a backbone and a target dataset in ImageFolder layout.

    Args:
        source: Backbone for ``weights.load_backbone`` (``"bundled"``, ``"imagenet"``, ``"auto"``).
        root: Dataset root with ``train/`` and ``test/`` (default: the bundled 10-class set).
        n_per_class: Keep only this many training images per class (seeded pick).
        train_splits: Sub-folders pooled as training data, e.g. ``("train", "extra")``.
        seed: Seed of the ``n_per_class`` pick.
        verbose: Print which backbone is used.
        val_split: Sub-folder of validation images, where choices are scored (the bundled set's ``extra/``:
            40 per class); ``"auto"``: ``extra/`` when it exists and is not pooled into training; ``None``: none.

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
    if val_split == "auto":
        val_split = "extra" if (root / "extra").is_dir() and "extra" not in train_splits else None
    if val_split in train_splits:
        raise ValueError(f"val_split={val_split!r} is also a training split: validation images must not be "
                         "trained on. Pass val_split=None, or leave it out of train_splits.")
    val_ds = ImageFolderDataset(root / val_split, tf, classes=classes, verbose=verbose) if val_split else None
    return TargetTask(backbone, weights, train_ds, test_ds, classes, val_ds)


def subset_task(task: TargetTask, n_per_class: int, seed: int = 0) -> TargetTask:
    """The same task with only ``n_per_class`` training images per class (for label-count curves).

    Picks the same images as ``load_task(n_per_class=n_per_class, seed=seed)`` with the same
    ``train_splits`` would, but shares the backbone and the cached test activations computed so far,
    so only the few training images pass through the backbone again.
    """
    sub = TargetTask(task.backbone, task.weights, subset_per_class(task.train_ds, n_per_class, seed),
                     task.test_ds, task.classes, task.val_ds)
    sub._cache.update({key: value for key, value in task._cache.items() if key[1] != "train"})
    return sub
