"""The end-to-end workflow of notebooks 09 and 10: fine-tune with the series' recipe while keeping the
best checkpoint, then classify single images and draw their top-k prediction; say when colour photos
meet the grayscale bundled backbone.

    model, weights = load_backbone("auto")
    model, history, best = finetune_model(model, weights, train_loader, val_loader, classes,
                                          runs_dir() / "model.pt", num_epochs)
    model, classes = load_checkpoint(best.path)
    top = predict_image(model, "photo.jpg", weights.transforms(), classes, k=5)
    plot_topk(load_image("photo.jpg"), top)
"""
from __future__ import annotations

import os
from typing import Any, Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader

from .engine import History, KeepBest, extract_features, feature_loader
from .i18n import tr
from .images import is_colour, load_image, to_rgb
from .recipe import HEAD_EPOCHS, fine_tune
from .transfer import replace_head
from .weights import BundledWeights, imagenet_cache_path, imagenet_weights


def finetune_model(model: nn.Module, weights: Any, train_loader: DataLoader, val_loader: DataLoader,
                   classes: Sequence[str], path: str | os.PathLike, num_epochs: int, lr: float = 3e-4,
                   head_lr: float = 3e-3, unfreeze_from: str = "layer4", dropout: float | None = None,
                   head_epochs: int = HEAD_EPOCHS, progress: bool | None = None, schedule: str | None = None,
                   weight_decay: float = 0.0) -> tuple[nn.Module, History, KeepBest]:
    """Notebook 09's recipe in one call: new head, ``recipe.fine_tune``, keep the best checkpoint.

    The head is trained first on features of the frozen backbone, computed once from
    ``train_loader`` (one pass, so one draw of any augmentation) and ``val_loader``. The validation features
    keep ``val_loader``'s batches, so a head-only epoch is scored exactly as the reloaded checkpoint will be
    (same shapes, same kernels, same float results).

    Args:
        model: A pretrained ResNet (e.g. from ``weights.load_backbone``); changed in place.
        weights: Its weights entry (recorded in the checkpoint).
        train_loader: Training batches.
        val_loader: Validation batches: they choose the best epoch (never the test set).
        classes: Class names of the new task.
        path: Checkpoint file.
        num_epochs: Epochs of fine-tuning after the head's ``head_epochs``.
        lr: Learning rate of the unfrozen backbone stages.
        head_lr: Learning rate of the head while fine-tuning.
        unfreeze_from: First trainable stage (``resnet.STAGES``; ``"fc"``: head only).
        dropout: Dropout before the new linear layer (``None``: none).
        head_epochs: Epochs of the head on the frozen backbone first (0: none).
        progress: Show progress bars (default: on, except in quick mode).
        schedule: Learning-rate schedule of the fine-tuning epochs (``recipe.SCHEDULES``: ``None`` or ``"cosine"``).
        weight_decay: Decoupled weight decay (AdamW) of the fine-tuning epochs; 0: Adam.

    Returns:
        ``(model, history, best)``: the model after the last epoch; ``best.path`` holds the best one.
    """
    replace_head(model, len(classes), dropout=dropout)
    head_data = None
    if head_epochs:
        train_feats = feature_loader(*extract_features(model, train_loader, progress=False), 32, shuffle=True)
        val_feats = feature_loader(*extract_features(model, val_loader, progress=False), val_loader.batch_size or 500)
        head_data = (model.fc, train_feats, val_feats)
    best = KeepBest(model, path, classes, weights)
    history = fine_tune(model, head_data, (model, train_loader, val_loader), num_epochs, lr, unfreeze_from,
                        head_epochs, head_lr, weight_decay, schedule, callbacks=[best], progress=progress,
                        eval_name="val")
    return model, history, best


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
    img = to_rgb(image) if isinstance(image, Image.Image) else load_image(image)
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


def colour_note(weights: Any, paths: Sequence[str | os.PathLike], limit: int = 100) -> str | None:
    """One line for notebook 10 when colour images meet the bundled backbone, else ``None``.

    The bundled backbone saw only 64 px grayscale clothing: on colour photos expect poor accuracy.
    The line says how to get torchvision's ImageNet weights instead.

    Args:
        weights: The weights entry in use (``load_backbone``'s second result).
        paths: Image files of the dataset; up to ``limit`` of them, spread evenly, are looked at.
        limit: How many images to decode at most.
    """
    if not isinstance(weights, BundledWeights) or not paths:
        return None
    sample = list(paths)[::max(1, len(paths) // limit)][:limit]
    if not any(is_colour(load_image(p)) for p in sample):
        return None
    return tr("Note: these are colour images, but the backbone is the bundled one, pretrained on 64 px grayscale "
              "Fashion-MNIST: expect poor accuracy. For ImageNet weights, run once with network "
              "`python -c \"import torchvision; torchvision.models.resnet50(weights='{name}')\"` "
              "(it fills torchvision's cache, {cache}), or start JupyterLab with "
              "TL_ALLOW_DOWNLOAD=1; then restart the kernel.", name=imagenet_weights().name,
              cache=imagenet_cache_path().parent)
