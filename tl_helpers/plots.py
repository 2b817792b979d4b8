"""General figures of the series: learning curves, image grids, confusion matrices, bars, label-count curves.

Each function returns its figure; ``finish_panels`` is the common finish of every multi-panel figure.
Topic figures live in their topic module (``probe``, ``residual``, ``anatomy``, ``dropout`` ...).
"""
from __future__ import annotations

import io
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor


def plot_history(histories: Mapping[str, Mapping[str, Sequence[float]]] | Mapping[str, Sequence[float]],
                 title: str | None = None) -> Figure:
    """Loss and accuracy per epoch, for one history dict or several ``{label: history}``.

    Args:
        histories: A history from ``engine.fit`` or a dict of them.
        title: Figure title.

    Returns:
        The figure (two panels: loss, accuracy).
    """
    if "train_loss" in histories:
        histories = {"": histories}
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.6))
    for i, (label, h) in enumerate(histories.items()):
        epochs = np.arange(1, len(h["train_loss"]) + 1)
        name = f"{label} " if label else ""
        for split, ls in (("train", "-"), ("val", "--"), ("test", "--")):   # fit's eval split: val or test
            if f"{split}_loss" in h and not np.all(np.isnan(h[f"{split}_loss"])):
                ax_loss.plot(epochs, h[f"{split}_loss"], color=f"C{i}", ls=ls, label=f"{name}{split}")
                ax_acc.plot(epochs, h[f"{split}_acc"], color=f"C{i}", ls=ls, label=f"{name}{split}")
    ax_loss.set(xlabel="epoch", ylabel="loss", title="loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.02))
    return finish_panels(fig, (ax_loss, ax_acc), title)


def finish_panels(fig: Figure, axes: Sequence, title: str | None = None) -> Figure:
    """The common finish of the series' multi-panel plots: light grid, small legend, title, tight layout."""
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def figure_png(fig: Figure, dpi: int = 90) -> bytes:
    """A figure as PNG bytes (for an ``ipywidgets.Image``)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def denormalize(x: Tensor, mean: Sequence[float], std: Sequence[float]) -> Tensor:
    """Undo ``transforms.Normalize`` for display: ``x * std + mean``, clipped to [0, 1]."""
    m = torch.as_tensor(mean).view(-1, 1, 1)
    s = torch.as_tensor(std).view(-1, 1, 1)
    return (x * s + m).clamp(0, 1)


def show_images(images: Sequence, labels: Sequence[str] | None = None,
                preds: Sequence[str] | None = None, probs: Sequence[float] | None = None,
                ncols: int = 8, size: float = 1.5, cmap: str | None = None) -> Figure:
    """A grid of images with their true label, and (optionally) prediction and confidence.

    Titles are green where the prediction is right and red where it is wrong.

    Args:
        images: PIL images, or tensors ``[C, H, W]`` / ``[H, W]`` with values in [0, 1].
        labels: True class names.
        preds: Predicted class names.
        probs: Confidence of each prediction.
        ncols: Images per row.
        size: Inches per image.
        cmap: Colour map for single-channel images.

    Returns:
        The figure.
    """
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = max(1, (n + ncols - 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.25), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, (ax, img) in enumerate(zip(axes.flat, images)):
        if isinstance(img, Tensor):
            img = img.detach().cpu()
            img = img.permute(1, 2, 0).numpy() if img.ndim == 3 else img.numpy()
            if img.ndim == 3 and img.shape[2] == 1:
                img = img[..., 0]
        ax.imshow(img, cmap=cmap or ("gray" if np.ndim(img) == 2 else None))
        lines = []
        if labels is not None:
            lines.append(f"true: {labels[i]}")
        if preds is not None:
            lines.append(f"pred: {preds[i]}" + (f" ({probs[i]:.0%})" if probs is not None else ""))
        color = "black" if preds is None or labels is None else ("green" if preds[i] == labels[i] else "red")
        ax.set_title("\n".join(lines), fontsize=7, color=color)
    fig.tight_layout()
    return fig


def confusion_matrix(preds: Tensor, targets: Tensor, num_classes: int) -> Tensor:
    """Counts ``[true class, predicted class]``."""
    idx = targets.long() * num_classes + preds.long()
    return torch.bincount(idx, minlength=num_classes ** 2).reshape(num_classes, num_classes)


def plot_confusion_matrix(cm: Tensor | np.ndarray, classes: Sequence[str], normalize: bool = True,
                          title: str = "confusion matrix") -> Figure:
    """Draw a confusion matrix (rows: true class, columns: predicted class).

    Args:
        cm: Counts from ``confusion_matrix``.
        classes: Class names.
        normalize: Show each row as fractions of that class's images.
        title: Axes title.

    Returns:
        The figure.
    """
    cm = np.asarray(cm, dtype=float)
    shown = cm / cm.sum(1, keepdims=True).clip(min=1) if normalize else cm
    n = len(classes)
    fig, ax = plt.subplots(figsize=(0.6 * n + 2.5, 0.6 * n + 2))
    im = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    ax.set(xticks=range(n), yticks=range(n), xlabel="predicted", ylabel="true", title=title)
    ax.set_xticklabels(classes, rotation=45, ha="right", fontsize=8)
    ax.set_yticklabels(classes, fontsize=8)
    for i in range(n):
        for j in range(n):
            v = shown[i, j]
            if v:
                ax.text(j, i, f"{v:.2f}" if normalize else f"{int(v)}", ha="center", va="center",
                        fontsize=7, color="white" if v > 0.5 * shown.max() else "black")
    fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    return fig


def bar_with_errors(names: Sequence[str], means: Sequence[float], stds: Sequence[float],
                    ylabel: str = "test accuracy", title: str | None = None) -> Figure:
    """Bar chart of means with standard-deviation error bars, values written on the bars."""
    fig, ax = plt.subplots(figsize=(1.6 * len(names) + 2, 3.6))
    bars = ax.bar(names, means, yerr=stds, capsize=6, color=[f"C{i}" for i in range(len(names))])
    for b, m, s in zip(bars, means, stds):
        ax.text(b.get_x() + b.get_width() / 2, m + s + 0.01, f"{m:.3f}\n±{s:.3f}", ha="center",
                va="bottom", fontsize=8)
    ax.set(ylabel=ylabel, ylim=(0, min(1.15, max(m + s for m, s in zip(means, stds)) + 0.15)))
    if title:
        ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_label_curve(curve: dict[str, dict[int, list[float]]], title: str | None = None, ax=None,
                     ylabel: str = "test accuracy"):
    """Mean accuracy (± one std band) against labelled images per class, log x axis; returns the figure.

    ``ax``: draw into this axis (e.g. one panel of several) instead of a new figure.
    """
    fig, ax = plt.subplots(figsize=(6.5, 4)) if ax is None else (ax.figure, ax)
    for i, (name, by_n) in enumerate(curve.items()):
        ns = sorted(by_n)
        accs = [torch.tensor(by_n[n]) for n in ns]
        mean = torch.stack([a.mean() for a in accs]).numpy()
        std = torch.stack([a.std() if len(a) > 1 else torch.tensor(0.0) for a in accs]).numpy()
        ax.plot(ns, mean, "o-", color=f"C{i}", label=name)
        ax.fill_between(ns, mean - std, mean + std, color=f"C{i}", alpha=0.2)
    ns = sorted({n for by_n in curve.values() for n in by_n})
    ax.set_xscale("log")
    ax.set_xticks(ns, [str(n) for n in ns])
    ax.set(xlabel="labelled training images per class (log scale)", ylabel=ylabel, ylim=(0, 1))
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
