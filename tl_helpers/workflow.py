"""The end-to-end fine-tuning workflow: augmentation, learning-rate groups, best checkpoint, top-k prediction.

    model, weights = load_backbone("auto")
    replace_head(model, num_classes, dropout=0.2); unfreeze(model, "layer4")
    optimizer = torch.optim.Adam(param_groups(model, lr, head_lr))
    history, best = fit_with_checkpoint(model, train_loader, val_loader, optimizer, num_epochs,
                                        runs_dir() / "model.pt", classes, weights)
    model, classes = load_checkpoint(best.path)
    top = predict_image(model, "photo.jpg", weights.transforms(), classes, k=5)
    plot_topk(load_image("photo.jpg"), top)
"""
from __future__ import annotations

import copy
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision import transforms as T

from .config import PROJECT_ROOT
from .data import _to_rgb, load_image
from .engine import History, fit
from .models import replace_head, unfreeze
from .weights import save_checkpoint


def runs_dir() -> Path:
    """Folder for trained models: ``TL_RUNS_DIR`` or ``<project>/runs`` (git-ignored), created if needed."""
    path = Path(os.environ.get("TL_RUNS_DIR", PROJECT_ROOT / "runs")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _preset(weights: Any) -> tuple[int, tuple[float, ...], tuple[float, ...]]:
    """``(crop size, mean, std)`` of a weights entry (ours or torchvision's)."""
    tf = weights.transforms()
    size = getattr(weights, "crop_size", None) or getattr(tf, "crop_size", [224])
    size = size[0] if isinstance(size, (list, tuple)) else size
    return int(size), tuple(getattr(weights, "mean", None) or tf.mean), tuple(getattr(weights, "std", None) or tf.std)


def train_transforms(weights: Any, scale: tuple[float, float] = (0.6, 1.0), hflip: bool = True) -> T.Compose:
    """Training-time augmentation that ends in the same size and normalisation as ``weights.transforms()``.

    Args:
        weights: A weights entry (``BundledWeights`` or a torchvision ``Weights``).
        scale: Area range of ``RandomResizedCrop`` (a fraction of the image).
        hflip: Add a random horizontal flip.

    Returns:
        ``RandomResizedCrop(size, scale)``, optional ``RandomHorizontalFlip``, ``ToTensor``, ``Normalize``.
    """
    size, mean, std = _preset(weights)
    steps = [T.RandomResizedCrop(size, scale=scale, antialias=True)]
    steps += [T.RandomHorizontalFlip()] if hflip else []
    return T.Compose(steps + [T.ToTensor(), T.Normalize(mean, std)])


def with_transform(dataset: Dataset, transform: Callable) -> Dataset:
    """A shallow copy of an image dataset (or a ``Subset`` of one) that uses another ``transform``."""
    if isinstance(dataset, Subset):
        return Subset(with_transform(dataset.dataset, transform), dataset.indices)
    copied = copy.copy(dataset)
    copied.transform = transform
    return copied


def param_groups(model: nn.Module, lr: float, head_lr: float | None = None,
                 head: nn.Module | None = None) -> list[dict]:
    """Optimizer parameter groups: the trainable backbone at ``lr``, the head ``model.fc`` at ``head_lr``.

    Discriminative learning rates: the pretrained layers need only small changes, the new random
    head needs large ones. Frozen parameters are left out; empty groups are dropped.

    Args:
        model: A ResNet with a new head ``fc`` (or any module holding ``head``).
        lr: Learning rate of the trainable backbone layers.
        head_lr: Learning rate of the head (default: ``lr``, i.e. one group).
        head: The head module (default: ``model.fc``).

    Returns:
        A list for ``torch.optim.Adam(groups)`` / ``SGD(groups)``.
    """
    trainable = [p for p in model.parameters() if p.requires_grad]
    if head_lr is None:
        return [{"params": trainable, "lr": lr}]
    in_head = {id(p) for p in (head if head is not None else model.fc).parameters()}
    groups = [{"params": [p for p in trainable if id(p) not in in_head], "lr": lr},
              {"params": [p for p in trainable if id(p) in in_head], "lr": head_lr}]
    return [g for g in groups if g["params"]]


@dataclass
class BestCheckpoint:
    """Where ``fit_with_checkpoint`` kept the best model, from which epoch (1-based), and its score."""

    path: Path
    epoch: int
    val_acc: float


def fit_with_checkpoint(model: nn.Module, train_loader: DataLoader, val_loader: DataLoader,
                        optimizer: torch.optim.Optimizer, num_epochs: int, path: str | os.PathLike,
                        classes: Sequence[str], weights: Any = None, arch: str | None = None,
                        scheduler=None, progress: bool | None = None,
                        on_epoch_end: Callable[[int, History], None] | None = None) -> tuple[History, BestCheckpoint]:
    """``engine.fit``, saving the model to ``path`` whenever its validation accuracy beats every earlier epoch.

    The checkpoint is written atomically by ``weights.save_checkpoint`` with the architecture, width
    and class names, so ``weights.load_checkpoint(path)`` rebuilds the model alone.

    Args:
        model: The network to train.
        train_loader: Training batches.
        val_loader: Batches that choose the best epoch (a validation split; the test split if there is none).
        optimizer: Optimizer over the trainable parameters.
        num_epochs: Passes over the training data.
        path: Checkpoint file (its folder is created).
        classes: Class names, stored in the checkpoint.
        weights: The backbone's weights entry: its ``arch`` and ``width`` are recorded
            (torchvision's weights: ResNet-50 at width 64).
        arch: Architecture name to record instead of ``weights``' (e.g. ``"resnet18"``).
        scheduler: Optional LR scheduler, stepped once per epoch.
        progress: Show progress bars (default: on, except in quick mode).
        on_epoch_end: Also called as ``on_epoch_end(epoch, history)``.

    Returns:
        ``(history, best)``; ``history["test_acc"]`` holds the validation accuracy per epoch.
    """
    arch = arch or getattr(weights, "arch", "resnet50")
    width = getattr(weights, "width", 64)
    best = BestCheckpoint(Path(path), 0, -math.inf)

    def keep_best(epoch: int, history: History) -> None:
        if history["test_acc"][-1] > best.val_acc:
            save_checkpoint(model, best.path, list(classes), arch=arch, width=width,
                            epoch=epoch + 1, val_acc=history["test_acc"][-1])
            best.epoch, best.val_acc = epoch + 1, history["test_acc"][-1]
        if on_epoch_end is not None:
            on_epoch_end(epoch, history)

    history = fit(model, train_loader, val_loader, optimizer, num_epochs, scheduler=scheduler,
                  progress=progress, on_epoch_end=keep_best)
    return history, best


@torch.inference_mode()
def predict_image(model: nn.Module, image: str | os.PathLike | Image.Image, transform: Callable,
                  classes: Sequence[str], k: int = 5) -> list[tuple[str, float]]:
    """Classify one image: the ``k`` most probable classes, most probable first.

    Args:
        model: A trained classifier (put in eval mode here).
        image: A path (read with ``data.load_image``) or a PIL image; any mode (gray, RGBA, 16-bit)
            becomes RGB the same way.
        transform: Test-time transforms, e.g. ``weights.transforms()``.
        classes: Class names in label order.
        k: How many classes to return (at most ``len(classes)``).

    Returns:
        ``[(class name, probability), ...]``.
    """
    img = _to_rgb(image) if isinstance(image, Image.Image) else load_image(image)
    model.eval()
    probs = torch.softmax(model(transform(img)[None]), dim=1)[0]
    top = probs.topk(min(k, len(classes)))
    return [(classes[i], p) for p, i in zip(top.values.tolist(), top.indices.tolist())]


def plot_topk(image: Image.Image | np.ndarray, top: Sequence[tuple[str, float]], title: str | None = None,
              true_label: str | None = None) -> Figure:
    """The image on the left, a horizontal bar of its top-k class probabilities on the right.

    Args:
        image: The image as read (PIL or array).
        top: ``predict_image``'s output.
        title: Title over the image.
        true_label: If given, its bar is drawn green (others grey, the top one blue).

    Returns:
        The figure.
    """
    fig, (ax_img, ax_bar) = plt.subplots(1, 2, figsize=(8, 3), gridspec_kw={"width_ratios": [1, 1.6]})
    arr = np.asarray(image)
    gray_u8 = arr.ndim == 2 and arr.dtype == np.uint8          # show gray levels as they are, not stretched
    ax_img.imshow(arr, cmap="gray" if arr.ndim == 2 else None, vmin=0 if gray_u8 else None,
                  vmax=255 if gray_u8 else None)
    ax_img.axis("off")
    ax_img.set_title(title or (f"true: {true_label}" if true_label else "input"), fontsize=10)
    names = [n for n, _ in top][::-1]
    probs = [p for _, p in top][::-1]
    colors = ["C2" if n == true_label else ("C0" if i == len(names) - 1 else "0.6")
              for i, n in enumerate(names)]
    bars = ax_bar.barh(names, probs, color=colors)
    for b, p in zip(bars, probs):
        inside = p > 0.8                     # a long bar: write the value inside it
        ax_bar.text(p - 0.02 if inside else p + 0.02, b.get_y() + b.get_height() / 2, f"{p:.1%}", va="center",
                    ha="right" if inside else "left", color="white" if inside else "black", fontsize=9)
    marked = "  (green: true class)" if true_label in names else ""
    ax_bar.set(xlim=(0, 1), xlabel="probability", title=f"top-{len(top)} prediction{marked}")
    ax_bar.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def finetune_model(model: nn.Module, weights: Any, train_loader: DataLoader, val_loader: DataLoader,
                   classes: Sequence[str], path: str | os.PathLike, num_epochs: int, lr: float = 3e-4,
                   head_lr: float = 3e-3, unfreeze_from: str = "layer4", dropout: float | None = 0.2,
                   progress: bool | None = None) -> tuple[nn.Module, History, BestCheckpoint]:
    """Notebook 09's recipe in one call: new head, freeze depth, learning-rate groups, best checkpoint.

    Args:
        model: A pretrained ResNet (e.g. from ``weights.load_backbone``); changed in place.
        weights: Its weights entry (recorded in the checkpoint).
        train_loader: Training batches.
        val_loader: Batches that choose the best epoch.
        classes: Class names of the new task.
        path: Checkpoint file.
        num_epochs: Passes over the training data.
        lr: Learning rate of the unfrozen backbone layers.
        head_lr: Learning rate of the new head.
        unfreeze_from: First trainable stage (``models.STAGES``; ``"fc"``: head only).
        dropout: Dropout before the new linear layer (``None``: none).
        progress: Show progress bars (default: on, except in quick mode).

    Returns:
        ``(model, history, best)``: the model after the last epoch; ``best.path`` holds the best one.
    """
    replace_head(model, len(classes), dropout=dropout)
    unfreeze(model, unfreeze_from)
    optimizer = torch.optim.Adam(param_groups(model, lr, head_lr))
    history, best = fit_with_checkpoint(model, train_loader, val_loader, optimizer, num_epochs, path,
                                        classes, weights, progress=progress)
    return model, history, best
