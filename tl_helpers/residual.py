"""Residual blocks: plain versus residual deep networks, the experiment that motivated ResNet (notebook 02).

``make_net`` builds the CIFAR-style networks of the ResNet paper (section 4.2): a 3x3 stem, three
stages of ``n`` blocks of two 3x3 convolutions at ``width``, ``2*width`` and ``4*width`` channels
(the first block of stages 2 and 3 halves the image), global average pooling and a linear layer:
``6n + 2`` weighted layers. The residual version uses ``tl_helpers.resnet.BasicBlock``; the plain
version uses the very same block with its shortcut removed (``PlainBlock``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor, nn
from torchvision import transforms as T

from .data import ImageFolderDataset, bundled_dataset_dir
from .engine import feature_loader, fit
from .fashion import FASHION_MEAN, FASHION_STD
from .plots import finish_panels
from .resnet import BasicBlock, conv1x1, conv3x3, main_path_layers, main_path_weights


class PlainBlock(BasicBlock):
    """``BasicBlock`` without its shortcut: ``out = relu(F(x))`` instead of ``relu(F(x) + x)``."""

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)))


class DeepNet(nn.Module):
    """A CIFAR-style network of ``6n + 2`` weighted layers, plain or residual.

    Args:
        n: Blocks per stage (1 -> 8 layers, 3 -> 20, 5 -> 32, 7 -> 44, 9 -> 56).
        residual: Use shortcuts (``BasicBlock``) or not (``PlainBlock``).
        width: Channels of the first stage (the paper uses 16).
        num_classes: Outputs.
        batchnorm: Keep the BatchNorm layers; ``False`` replaces them by identities.
        init: ``"default"`` keeps PyTorch's default initialisation of each layer;
            ``"kaiming"`` uses He et al.'s ``kaiming_normal_`` (fan_out, as in ``tl_helpers.resnet``).
    """

    def __init__(self, n: int, residual: bool, width: int = 8, num_classes: int = 10,
                 batchnorm: bool = True, init: str = "default") -> None:
        super().__init__()
        if init not in ("default", "kaiming"):
            raise ValueError(f"init must be 'default' or 'kaiming', not {init!r}.")
        block = BasicBlock if residual else PlainBlock
        self.n, self.residual = n, residual
        self.stem = nn.Sequential(conv3x3(3, width), nn.BatchNorm2d(width), nn.ReLU(inplace=True))
        blocks, inplanes = [], width
        for stage in range(3):
            planes = width * 2 ** stage
            for i in range(n):
                stride = 2 if stage > 0 and i == 0 else 1
                down = None
                if residual and (stride != 1 or inplanes != planes):
                    down = nn.Sequential(conv1x1(inplanes, planes, stride), nn.BatchNorm2d(planes))
                blocks.append(block(inplanes, planes, stride, down))
                inplanes = planes
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(inplanes, num_classes)
        if not batchnorm:
            _remove_batchnorm(self)
        if init == "kaiming":
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(torch.flatten(self.pool(self.blocks(self.stem(x))), 1))


def _remove_batchnorm(module: nn.Module) -> None:
    """Replace every ``BatchNorm2d`` inside ``module`` by ``nn.Identity`` (in place)."""
    for name, child in module.named_children():
        if isinstance(child, nn.BatchNorm2d):
            setattr(module, name, nn.Identity())
        else:
            _remove_batchnorm(child)


def make_net(depth: int, residual: bool, width: int = 8, num_classes: int = 10, batchnorm: bool = True,
             init: str = "default", seed: int = 0) -> DeepNet:
    """Build a ``depth``-layer plain or residual network (``depth = 6n + 2``), seeded.

    Args:
        depth: Weighted layers: 8, 14, 20, 26, 32, 38, 44, 50, 56, ...
        residual: With shortcuts or not.
        width: Channels of the first stage.
        num_classes: Outputs.
        batchnorm: Keep BatchNorm layers.
        init: ``"default"`` (PyTorch's) or ``"kaiming"``.
        seed: Seed of the random initial weights.

    Returns:
        The network.
    """
    if depth < 8 or (depth - 2) % 6:
        raise ValueError(f"depth must be 6n + 2 with n >= 1 (8, 14, 20, ...), got {depth}.")
    torch.manual_seed(seed)
    return DeepNet((depth - 2) // 6, residual, width, num_classes, batchnorm, init)


def layer_grad_norms(model: nn.Module, x: Tensor, y: Tensor) -> list[float]:
    """Gradient norm of each main-path layer's weight for one batch (the model is left unchanged).

    Args:
        model: A network (run in train mode, as during training).
        x: Input batch.
        y: Labels.

    Returns:
        ``||dLoss/dW||`` per layer, from the first layer to the last.
    """
    model.train()
    model.zero_grad(set_to_none=True)
    nn.functional.cross_entropy(model(x), y).backward()
    norms = [w.grad.norm().item() for _, w in main_path_weights(model)]
    model.zero_grad(set_to_none=True)
    return norms


def load_images(splits: Sequence[str] = ("train", "extra"), n_per_class: int | None = None,
                root: str | Path | None = None) -> tuple[Tensor, Tensor]:
    """The bundled target images at their own 28 px, normalised, as one tensor (small enough to hold).

    Args:
        splits: Sub-folders of the bundled ``fashion10`` set to pool, in this order.
        n_per_class: Keep only the first ``n_per_class`` images of each class (in split order).
        root: Dataset root (default: the bundled set).

    Returns:
        ``(images [N, 3, 28, 28], labels [N])``, sorted by class.
    """
    root = Path(root) if root is not None else bundled_dataset_dir()
    tf = T.Compose([T.ToTensor(), T.Normalize((FASHION_MEAN,) * 3, (FASHION_STD,) * 3)])
    xs, ys = [], []
    for split in splits:
        ds = ImageFolderDataset(root / split, tf, verbose=False)
        xs += [ds[i][0] for i in range(len(ds))]
        ys += ds.targets
    x, y = torch.stack(xs), torch.tensor(ys)
    keep = torch.cat([torch.nonzero(y == c).flatten()[:n_per_class] for c in range(int(y.max()) + 1)])
    return x[keep], y[keep]


def train_losses(model: nn.Module, x: Tensor, y: Tensor, num_epochs: int, lr: float = 1e-3,
                 batch_size: int = 50, seed: int = 0, progress: bool | None = None) -> list[float]:
    """Train with Adam on ``(x, y)`` (``engine.fit``) and return the mean training loss of each epoch.

    Args:
        model: The network (changed in place).
        x: Training images.
        y: Labels.
        num_epochs: Passes over the data.
        lr: Adam learning rate.
        batch_size: Images per step.
        seed: Seed of the shuffling.
        progress: Show a progress bar over epochs (default: on, except in quick mode).
    """
    loader = feature_loader(x, y, batch_size, shuffle=True, seed=seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    return fit(model, loader, None, optimizer, num_epochs, progress=progress)["train_loss"]


def plot_grad_norms(panels: Mapping[str, Mapping[str, Sequence[float]]]) -> Figure:
    """Per-layer gradient norms on a log scale, layer 1 = next to the input.

    Args:
        panels: ``{panel title: {line label: norm per layer}}``, one panel each. A label ending in
            ``"(trained)"`` is drawn dashed, in the colour of the line before it.

    Returns:
        The figure.
    """
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 3.9), squeeze=False)
    for ax, (title, curves) in zip(axes[0], panels.items()):
        color = -1
        for label, norms in curves.items():
            dashed = label.endswith("(trained)")
            color += 0 if dashed else 1
            ax.semilogy(np.arange(1, len(norms) + 1), norms, marker=".", color=f"C{color}",
                        ls="--" if dashed else "-", label=label)
        ax.set(xlabel="layer (1 = input side)", ylabel="||dLoss/dW||  (log scale)", title=title)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def compare_depths(nets: Mapping[str, tuple[int, bool]], x: Tensor, y: Tensor, num_epochs: int,
                   seeds: Sequence[int] = (0,), lr: float = 1e-3, **net_kwargs) -> dict[str, list[list[float]]]:
    """Train several networks on the same data, with several seeds each.

    Args:
        nets: ``{label: (depth, residual)}``.
        x: Training images.
        y: Labels.
        num_epochs: Epochs per run.
        seeds: Seeds; each sets the initial weights and the shuffling.
        lr: Adam learning rate.
        **net_kwargs: Passed to ``make_net`` (``width``, ``batchnorm``, ``init``).

    Returns:
        ``{label: [training loss per epoch, one list per seed]}``.
    """
    return {label: [train_losses(make_net(depth, res, seed=seed, **net_kwargs), x, y, num_epochs, lr, seed=seed)
                    for seed in seeds] for label, (depth, res) in nets.items()}


def plot_losses(curves: Mapping[str, Sequence[float] | Sequence[Sequence[float]]],
                title: str = "training loss") -> Figure:
    """Training loss per epoch; a list of runs per label is drawn as mean with a min-max band."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for i, (label, runs) in enumerate(curves.items()):
        arr = np.atleast_2d(np.asarray(runs, dtype=float))
        epochs = np.arange(1, arr.shape[1] + 1)
        ax.plot(epochs, arr.mean(0), color=f"C{i}", label=label)
        if len(arr) > 1:
            ax.fill_between(epochs, arr.min(0), arr.max(0), color=f"C{i}", alpha=0.2)
    ax.set(xlabel="epoch", ylabel="training loss", title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
