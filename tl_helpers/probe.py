"""Looking inside a pretrained network: first-layer filters, feature maps and linear probes per stage.

A *linear probe* asks how much a stage's features already know about a task: freeze the network,
average each channel of the stage's output over the image (global average pooling), and train only
a logistic regression on those vectors. Its test accuracy, stage by stage, shows how the features go
from generic (edges, blobs) to specific (the pretraining classes). Taught in notebook 01.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor, nn
from torch.utils.data import DataLoader

from .engine import capture_outputs
from .resnet import STAGES, stage_output_module

#: Stages probed, from input to output (the head ``fc`` is left out: it is what gets replaced).
PROBE_STAGES: tuple[str, ...] = STAGES[:-1]


def first_layer_filters(model: nn.Module) -> Tensor:
    """The first convolution's filters as gray images scaled to [0, 1], one per output channel.

    The colour channels are summed: for a gray image copied to three channels (as the bundled
    backbone sees Fashion-MNIST) the sum is the filter that actually acts on the image. Each filter
    is scaled on its own, with zero at mid-gray, so positive weights are light and negative dark.

    Args:
        model: A ResNet (its first layer is ``model.conv1``).

    Returns:
        ``[out_channels, kH, kW]`` tensor with values in [0, 1].
    """
    w = model.conv1.weight.detach().sum(1)
    scale = w.flatten(1).abs().amax(1).clamp(min=1e-12).view(-1, 1, 1)
    return 0.5 + 0.5 * w / scale


def filter_roughness(filters: Tensor) -> Tensor:
    """How noisy each filter is: mean squared difference of neighbouring pixels over twice the variance.

    White noise (a freshly initialised filter) scores about 1; a smooth pattern (a blob, a broad edge)
    scores far less.

    Args:
        filters: ``[N, H, W]``.

    Returns:
        ``[N]`` roughness per filter.
    """
    f = filters.double()
    dx = (f[:, :, 1:] - f[:, :, :-1]).pow(2).mean((1, 2))
    dy = (f[:, 1:, :] - f[:, :-1, :]).pow(2).mean((1, 2))
    return ((dx + dy) / (4 * f.var((1, 2)).clamp(min=1e-12))).float()


def plot_filters(filters: Tensor, ncols: int = 8, size: float = 1.1, title: str | None = None) -> Figure:
    """Draw filters (``[N, H, W]`` in [0, 1], e.g. from ``first_layer_filters``) as a grid of images."""
    n = len(filters)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.5), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(filters[i].numpy(), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_title(f"#{i}", fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


@torch.no_grad()
def stage_outputs(model: nn.Module, x: Tensor, stages: Sequence[str] = PROBE_STAGES) -> dict[str, Tensor]:
    """Run ``x`` through ``model`` once and keep each stage's output, caught with forward hooks.

    Args:
        model: A ResNet (ours or torchvision's); it is run in eval mode.
        x: Input batch ``[B, 3, H, W]``.
        stages: Stage names from ``PROBE_STAGES``.

    Returns:
        ``{stage: output [B, C, h, w]}`` in the order of ``stages``.
    """
    return capture_outputs(model, {s: stage_output_module(model, s) for s in stages}, x)


def plot_feature_maps(maps: Mapping[str, Tensor], image: Tensor | None = None, n_channels: int = 6,
                      size: float = 1.3) -> Figure:
    """One row per stage: the most active channels of one image's feature maps.

    Args:
        maps: ``{stage: [C, h, w]}`` (one image, e.g. ``stage_outputs(model, x[:1])`` indexed ``[0]``).
        image: The input ``[C, H, W]`` or ``[H, W]`` in [0, 1], shown in the first column.
        n_channels: Channels shown per stage (those with the largest mean activation).
        size: Inches per panel.

    Returns:
        The figure.
    """
    offset = 1 if image is not None else 0
    ncols = n_channels + offset
    fig, axes = plt.subplots(len(maps), ncols, figsize=(size * ncols + 0.8, size * len(maps)), squeeze=False)
    for ax in axes.flat:
        ax.set_xticks([]), ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
    for row, (stage, fmap) in enumerate(maps.items()):
        fmap = fmap.detach().cpu()
        if image is not None and row == 0:
            img = image.detach().cpu()
            axes[0, 0].imshow((img[0] if img.ndim == 3 else img).numpy(), cmap="gray")
            axes[0, 0].set_title("input", fontsize=8)
        top = fmap.mean((1, 2)).argsort(descending=True)[:n_channels]
        for col, c in enumerate(top.tolist()):
            ax = axes[row, col + offset]
            ax.imshow(fmap[c].numpy(), cmap="viridis", interpolation="nearest")
            ax.set_title(f"ch {c}", fontsize=7)
        axes[row, offset].set_ylabel(f"{stage}\n{tuple(fmap.shape[1:])}", fontsize=8, rotation=0,
                                     ha="right", va="center")
    fig.tight_layout()
    return fig


@torch.no_grad()
def pooled_stage_features(model: nn.Module, loader: DataLoader,
                          stages: Sequence[str] = PROBE_STAGES) -> tuple[dict[str, Tensor], Tensor]:
    """Global-average-pooled output of every stage for every image of ``loader``.

    Args:
        model: A ResNet, run in eval mode.
        loader: Batches of ``(images, labels)``.
        stages: Stage names from ``PROBE_STAGES``.

    Returns:
        ``({stage: features [N, C_stage]}, labels [N])``.
    """
    feats: dict[str, list[Tensor]] = {s: [] for s in stages}
    labels = []
    for x, y in loader:
        for s, out in stage_outputs(model, x, stages).items():
            feats[s].append(out.mean((2, 3)))
        labels.append(torch.as_tensor(y))
    return {s: torch.cat(v) for s, v in feats.items()}, torch.cat(labels)


@dataclass
class ProbeResult:
    """A linear probe's test predictions.

    Attributes:
        accuracy: Fraction of test samples classified correctly.
        preds: Predicted labels ``[N]``.
        targets: True labels ``[N]``.
    """

    accuracy: float
    preds: Tensor
    targets: Tensor

    def class_accuracy(self, classes: Sequence[int] | Tensor) -> float:
        """Accuracy on the test samples whose true label is one of ``classes``."""
        mask = torch.isin(self.targets, torch.as_tensor(classes, dtype=self.targets.dtype))
        return (self.preds[mask] == self.targets[mask]).float().mean().item()

    def hits(self, classes: Sequence[int] | Tensor | None = None) -> list[float]:
        """1.0 for every test sample classified correctly, 0.0 for every error, in test order; only the samples
        whose true label is one of ``classes`` when given. Their mean is the accuracy; ``tl.t_interval`` of them
        is its 95 % interval, and ``tl.paired_interval`` compares two probes on the same samples."""
        right = self.preds == self.targets
        if classes is not None:
            right = right[torch.isin(self.targets, torch.as_tensor(classes, dtype=self.targets.dtype))]
        return right.float().tolist()


def linear_probe(train_x: Tensor, train_y: Tensor, test_x: Tensor, test_y: Tensor,
                 weight_decay: float = 1e-2, max_iter: int = 200) -> ProbeResult:
    """Fit a multinomial logistic regression on ``train_x`` and score it on ``test_x``.

    Features are standardised with the training mean and std (so stages with very different
    activation scales are treated alike), then ``mean cross-entropy + weight_decay/2 * |W|^2`` is
    minimised with full-batch L-BFGS: deterministic, no learning rate to tune.

    Args:
        train_x: Training features ``[N, D]``.
        train_y: Training labels ``[N]``.
        test_x: Test features ``[M, D]``.
        test_y: Test labels ``[M]``.
        weight_decay: L2 penalty on the weights (not the bias).
        max_iter: L-BFGS iterations.

    Returns:
        The probe's test result.
    """
    mean, std = train_x.mean(0), train_x.std(0).clamp(min=1e-6)
    xtr, xte = (train_x - mean) / std, (test_x - mean) / std
    num_classes = int(max(train_y.max(), test_y.max())) + 1
    gen = torch.Generator().manual_seed(0)
    weight = (torch.randn(xtr.shape[1], num_classes, generator=gen) * 0.01).requires_grad_()
    bias = torch.zeros(num_classes, requires_grad=True)
    opt = torch.optim.LBFGS([weight, bias], lr=1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure() -> Tensor:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(xtr @ weight + bias, train_y) + 0.5 * weight_decay * weight.pow(2).sum()
        loss.backward()
        return loss

    with torch.enable_grad():
        opt.step(closure)
    with torch.no_grad():
        preds = (xte @ weight + bias).argmax(1)
    return ProbeResult((preds == test_y).float().mean().item(), preds, test_y.clone())


def probe_stages(model: nn.Module, train_loader: DataLoader, test_loader: DataLoader,
                 stages: Sequence[str] = PROBE_STAGES, weight_decay: float = 1e-2) -> dict[str, ProbeResult]:
    """A linear probe on the pooled features of each stage of a frozen ``model``.

    Args:
        model: A ResNet (pretrained or not); it is not changed.
        train_loader: Images the probes are trained on.
        test_loader: Images the probes are scored on.
        stages: Stages to probe.
        weight_decay: L2 penalty of each probe.

    Returns:
        ``{stage: ProbeResult}``.
    """
    train_feats, train_y = pooled_stage_features(model, train_loader, stages)
    test_feats, test_y = pooled_stage_features(model, test_loader, stages)
    return {s: linear_probe(train_feats[s], train_y, test_feats[s], test_y, weight_decay) for s in stages}


def plot_probe_accuracy(curves: Mapping[str, Sequence[float]], stages: Sequence[str] = PROBE_STAGES,
                        chance: float | None = None, title: str = "linear probe by depth",
                        intervals: Mapping[str, Sequence[tuple[float, float]]] | None = None,
                        ax: plt.Axes | None = None) -> Figure:
    """Probe test accuracy against depth, one line per network (e.g. pretrained vs random).

    Args:
        curves: ``{label: accuracy per stage}``.
        stages: Stage names for the x axis.
        chance: Draw a dashed line at chance accuracy.
        title: Axes title.
        intervals: ``{label: (low, high) per stage}``, drawn as error bars (e.g. 95 % intervals).
        ax: Draw into these axes (e.g. one panel of several) instead of a new figure.

    Returns:
        The figure.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 3.8))
    else:
        fig = ax.figure
    x = np.arange(len(stages))
    for i, (label, accs) in enumerate(curves.items()):
        ax.plot(x, accs, marker="o", color=f"C{i}", label=label)
        if intervals is not None and label in intervals:
            lo, hi = np.array(intervals[label]).T
            ax.errorbar(x, accs, yerr=[np.array(accs) - lo, hi - np.array(accs)], fmt="none", ecolor=f"C{i}",
                        capsize=3, lw=1)
        for xi, a in zip(x, accs):   # labels above the first line, below the second, ...
            ax.annotate(f"{a:.2f}", (xi, a), textcoords="offset points", xytext=(5, 5 if i % 2 == 0 else -12),
                        ha="left", fontsize=7, color=f"C{i}")       # beside the error bar, not on it
    if chance is not None:
        ax.axhline(chance, color="gray", ls="--", lw=1, label="chance")
    ax.set(xticks=x, xlabel="stage (input -> output)", ylabel="probe test accuracy", ylim=(0, 1.05),
           title=title)
    ax.set_xticklabels(stages)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right", bbox_to_anchor=(1, 0.15))
    fig.tight_layout()
    return fig
