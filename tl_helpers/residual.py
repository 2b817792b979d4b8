"""Residual blocks: plain versus residual deep networks, the experiment that motivated ResNet (notebook 02).

``make_net`` builds the CIFAR-style networks of the ResNet paper (section 4.2): a 3x3 stem, three stages of ``n``
blocks of two 3x3 convolutions at ``width``, ``2*width`` and ``4*width`` channels (the first block of stages 2 and 3
halves the image), global average pooling and a linear layer: ``6n + 2`` weighted layers. The residual version uses
``tl_helpers.resnet.BasicBlock``; the plain one the very same block without its shortcut (``PlainBlock``).
``gradient_flow`` and ``GradientFlowExplorer`` measure gradient norms per layer and activation scales per block.
"""
from __future__ import annotations

import copy
import io
import time
from pathlib import Path
from typing import Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor, nn
from torchvision import transforms as T

from .data import ImageFolderDataset, bundled_dataset_dir
from .engine import capture_outputs, feature_loader, fit
from .fashion import FASHION_MEAN, FASHION_STD
from .controls import LatestRedraw
from .i18n import N_, tr
from .plots import finish_panels
from .resnet import BasicBlock, conv1x1, conv3x3, main_path_weights


class PlainBlock(BasicBlock):
    """``BasicBlock`` without its shortcut: ``out = relu(F(x))`` instead of ``relu(F(x) + x)``."""

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)))


class ZeroPadShortcut(nn.Module):
    """The ResNet paper's option A shortcut: keep every ``stride``-th pixel, pad the new channels with zeros.

    No parameters: a residual net with it has exactly its plain twin's (the paper's CIFAR choice).
    Option B, a 1x1 convolution with BatchNorm, is what ImageNet ResNets use."""

    def __init__(self, inplanes: int, planes: int, stride: int) -> None:
        super().__init__()
        if planes < inplanes:
            raise ValueError(f"a zero-padding shortcut can only add channels ({inplanes} -> {planes}).")
        self.extra, self.stride = planes - inplanes, stride

    def forward(self, x: Tensor) -> Tensor:
        return nn.functional.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, 0, self.extra))


class DeepNet(nn.Module):
    """A CIFAR-style network of ``6n + 2`` weighted layers, plain or residual.

    Args:
        n: Blocks per stage (1 -> 8 layers, 3 -> 20, 5 -> 32, 7 -> 44, 9 -> 56).
        residual: Use shortcuts (``BasicBlock``) or not (``PlainBlock``).
        width: Channels of the first stage (the paper uses 16).
        num_classes: Outputs.
        batchnorm: Keep the BatchNorm layers; ``False`` replaces them by identities.
        init: ``"default"`` keeps PyTorch's default initialisation of each layer;
            ``"kaiming"`` uses ``kaiming_normal_`` (He et al. 2015, "Delving Deep into Rectifiers") on the
            convolutions (fan_out, as in ``tl_helpers.resnet``).
        shortcut: Where a block changes shape: ``"A"`` (``ZeroPadShortcut``, no parameters, the
            paper's CIFAR choice) or ``"B"`` (1x1 convolution + BatchNorm, a "projection").
    """

    def __init__(self, n: int, residual: bool, width: int = 8, num_classes: int = 10,
                 batchnorm: bool = True, init: str = "default", shortcut: str = "A") -> None:
        super().__init__()
        if init not in ("default", "kaiming"):
            raise ValueError(f"init must be 'default' or 'kaiming', not {init!r}.")
        if shortcut not in ("A", "B"):
            raise ValueError(f"shortcut must be 'A' (zero padding) or 'B' (projection), not {shortcut!r}.")
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
                    down = (ZeroPadShortcut(inplanes, planes, stride) if shortcut == "A" else
                            nn.Sequential(conv1x1(inplanes, planes, stride), nn.BatchNorm2d(planes)))
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
             init: str = "default", shortcut: str = "A", seed: int = 0) -> DeepNet:
    """Build a ``DeepNet`` of ``depth = 6n + 2`` weighted layers (8, 14, 20, ..., 56) from the initial
    weights of ``seed``; the other arguments are ``DeepNet``'s. Plain and option-A residual nets of one
    depth and seed start from identical weights."""
    if depth < 8 or (depth - 2) % 6:
        raise ValueError(f"depth must be 6n + 2 with n >= 1 (8, 14, 20, ...), got {depth}.")
    torch.manual_seed(seed)
    return DeepNet((depth - 2) // 6, residual, width, num_classes, batchnorm, init, shortcut)


def layer_grad_norms(model: nn.Module, x: Tensor, y: Tensor) -> list[float]:
    """``||dLoss/dW||`` of each main-path layer's weight for one batch, from the first layer to the last.

    The model runs in train mode, as during training; its weights are left unchanged."""
    model.train()
    model.zero_grad(set_to_none=True)
    nn.functional.cross_entropy(model(x), y).backward()
    norms = [w.grad.norm().item() for _, w in main_path_weights(model)]
    model.zero_grad(set_to_none=True)
    return norms


def activation_scales(model: DeepNet, x: Tensor) -> list[float]:
    """Root mean square of the output of the stem and of each block, for one batch (forward hooks).

    ``engine.capture_outputs`` runs the model in eval mode, where BatchNorm normalises with its running
    statistics; so that it normalises as in training, a copy of the model gets this batch's statistics
    first (one forward pass in train mode with a cumulative average: after one batch, that batch's;
    the running variance is the unbiased one, a factor n / (n - 1) off, n = values per channel).
    """
    if any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
        model = copy.deepcopy(model)
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = None
                m.reset_running_stats()
        with torch.no_grad():
            model.train()(x)
    blocks = {"stem": model.stem, **{f"block {i}": b for i, b in enumerate(model.blocks, 1)}}
    return [out.pow(2).mean().sqrt().item() for out in capture_outputs(model, blocks, x).values()]


def gradient_flow(depth: int, x: Tensor, y: Tensor, residual: bool = False, init: str = "default",
                  batchnorm: bool = False, seed: int = 0) -> dict[str, list[float]]:
    """Build one network (``make_net``) and measure, before any training, how the signal travels through it:
    ``{"grads": layer_grad_norms(...) (one per main-path layer), "acts": activation_scales(...)}``."""
    model = make_net(depth, residual, batchnorm=batchnorm, init=init, seed=seed)
    return {"grads": layer_grad_norms(model, x, y), "acts": activation_scales(model, x)}


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
    """Train ``model`` in place with Adam on ``(x, y)`` (``engine.fit``, batches of ``batch_size``
    shuffled by ``seed``) and return the mean training loss of each epoch."""
    loader = feature_loader(x, y, batch_size, shuffle=True, seed=seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    return fit(model, loader, None, optimizer, num_epochs, progress=progress)["train_loss"]


def compare_depths(nets: Mapping[str, tuple[int, bool]], x: Tensor, y: Tensor, num_epochs: int,
                   seeds: Sequence[int] = (0,), lr: float = 1e-3, **net_kwargs) -> dict[str, list[list[float]]]:
    """Train each network of ``nets`` (``{label: (depth, residual)}``, further ``make_net`` arguments in
    ``net_kwargs``) with ``train_losses`` for each seed (initial weights and shuffling); the same data,
    epochs and learning rate for all. Returns ``{label: [training loss per epoch, one list per seed]}``."""
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
    return finish_panels(fig, [ax])


def plot_flow(flows: Mapping[str, Mapping[str, Sequence[float]]], faint: Mapping | None = None,
              title: str | None = None) -> Figure:
    """Per-layer gradient norms and per-block activation scales (log scales; exact zeros are not drawn).

    ``flows`` is ``{label: gradient_flow(...)}``, a line each; a label starting with ``"residual"`` is drawn
    dashed in the colour of the line before it. ``faint`` flows are drawn thin and gray behind."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.9))
    lines = [(label, f, dict(color="0.6", lw=1, alpha=0.6)) for label, f in (faint or {}).items()]
    color = -1
    for label, f in flows.items():
        dashed = label.startswith("residual")
        color += 0 if dashed and color >= 0 else 1
        lines.append((label, f, dict(color=f"C{color}", ls="--" if dashed else "-", marker=".")))
    for ax, key in zip(axes, ("grads", "acts")):
        ax.set_yscale("log", nonpositive="mask")          # a gradient that underflowed to 0 has no point
        for label, f, style in lines:
            ax.plot(np.arange(len(f[key])) + (key == "grads"), f[key], label=label, **style)
    axes[0].set(xlabel="layer (1 = input side)", ylabel="||dLoss/dW||", title="gradient norm per layer")
    axes[1].set(xlabel="block (0 = stem)", ylabel="RMS of the output", title="activation scale per block")
    return finish_panels(fig, axes, title)


def _png_with_legend(fig: Figure) -> bytes:
    """``fig`` as PNG bytes whose text ``"Description"`` is its first panel's legend, one label a line."""
    buf, labels = io.BytesIO(), fig.axes[0].get_legend_handles_labels()[1]
    fig.savefig(buf, format="png", dpi=90, metadata={"Description": "\n".join(labels)})
    return buf.getvalue()


class GradientFlowExplorer:
    """Depth, initialisation, BatchNorm and shortcut controls; each change builds the network, runs one
    batch forward and backward and redraws its gradient norms and activation scales, with the previous
    setting faint behind (notebook 02); one redraw at a time, of the controls' current values (``LatestRedraw``).

    Attributes:
        depth, init, batchnorm, shortcut: The controls (``IntSlider``, ``ToggleButtons``, two ``Checkbox``;
            CSS classes ``tl-grad-depth``, ``tl-grad-init``, ``tl-grad-bn``, ``tl-grad-shortcut``).
        figure: ``Image`` with the two panels (``tl-grad-figure``; ``_png_with_legend``); summary: ``HTML``
            (``tl-grad-summary``); widget: the box to display; redraws: the ``LatestRedraw`` behind it.
        state: After each update: the settings, ``grads``, ``acts`` (``gradient_flow``) and ``seconds``.
    """

    def __init__(self, x: Tensor, y: Tensor, depth: int = 44, init: str = "default", batchnorm: bool = False,
                 shortcut: bool = False, seed: int = 0) -> None:
        self.x, self.y, self.seed, self.state = x, y, seed, {}
        self.depth = widgets.IntSlider(value=depth, min=8, max=56, step=6, description=tr("depth"),
                                       continuous_update=False)
        self.init = widgets.ToggleButtons(options=[(tr("PyTorch default"), "default"), (tr("Kaiming (He)"), "kaiming")],
                                          value=init, description=tr("init"))
        self.batchnorm = widgets.Checkbox(value=batchnorm, description=tr("BatchNorm"))
        self.shortcut = widgets.Checkbox(value=shortcut, description=tr("shortcut"))
        self.figure, self.summary = widgets.Image(format="png", layout={"max_width": "900px"}), widgets.HTML()
        for css, w in dict(depth=self.depth, init=self.init, bn=self.batchnorm, shortcut=self.shortcut,
                           figure=self.figure, summary=self.summary).items():
            w.add_class(f"tl-grad-{css}")
        self.widget = widgets.VBox([widgets.HBox([self.depth, self.init]), widgets.HBox([self.batchnorm,
                                   self.shortcut]), self.summary, self.figure])
        self.redraws = LatestRedraw(self._draw, dict(depth=self.depth, init=self.init, batchnorm=self.batchnorm,
                                                     residual=self.shortcut))
        self.redraws()                               # call it to measure and redraw the controls' setting again

    def _draw(self, setting: dict) -> None:
        """Measure ``setting`` (one snapshot of the controls); then write the figure, summary and state of it."""
        start, flow = time.perf_counter(), gradient_flow(x=self.x, y=self.y, seed=self.seed, **setting)
        words = (N_("residual-{depth}") if setting["residual"] else N_("plain-{depth}"),
                 N_("default init") if setting["init"] == "default" else N_("kaiming init"),
                 N_("BatchNorm") if setting["batchnorm"] else N_("no BatchNorm"))
        label = ", ".join(w.format(depth=setting["depth"]) for w in words)    # in the figure's legend: English
        fig = plot_flow({label: flow}, faint={f"before: {self.state['label']}": self.state} if self.state else None)
        png, g, a = _png_with_legend(fig), flow["grads"], flow["acts"]
        plt.close(fig)
        self.state, self.figure.value = {**setting, **flow, "label": label, "seconds": time.perf_counter() - start}, png
        self.summary.value = tr("<b>{label}</b>: gradient norm of layer 1 {first:.1e}, of layer {n} {last:.1e}; "
                                "activation scale stem {stem:.1e}, last block {block:.1e} (measured and drawn in "
                                "{seconds:.2f} s)", label=", ".join(tr(w, depth=setting["depth"]) for w in words),
                                first=g[0], n=len(g), last=g[-1], stem=a[0], block=a[-1], seconds=self.state["seconds"])
