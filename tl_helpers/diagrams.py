"""Block diagrams drawn from the modules themselves (notebooks 02, 03, 04 and 06).

Every number in a diagram (channels, kernel sizes, strides, blocks per stage, output sizes) and the kind of
shortcut is read from the module it draws, so a diagram cannot disagree with the code. Each label is a
matplotlib ``Text`` with a ``gid`` (``"conv1"``, ``"shortcut"``, ``"layer2"``, ...); ``drawn_labels(fig)``
returns them, which is how the tests compare a diagram with its model. Shortcuts: identity solid and
projection (a learned 1x1 convolution) dotted, as in the ResNet paper's Figure 3, where every shortcut that
changes the shape is dotted; a parameter-free one that changes the shape (zero-padding, "option A") dashed,
to tell it apart from a projection.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from torch import nn

from .engine import capture_outputs
from .resnet import BasicBlock, STAGES, block_convs, stage_output_module

_BOX = dict(boxstyle="round,pad=0.02,rounding_size=0.12", linewidth=1.2)
_ARROW = dict(arrowstyle="-|>", color="0.25", lw=1.2, shrinkA=0, shrinkB=0)
_LINESTYLES = {"identity": "-", "projection": ":", "parameter-free": "--"}


def conv_label(conv: nn.Conv2d) -> str:
    """``"3x3 conv, 64→128, stride 2"`` for a convolution (stride only when it is not 1)."""
    k = conv.kernel_size
    stride = f", stride {conv.stride[0]}" if conv.stride[0] != 1 else ""
    return f"{k[0]}x{k[1]} conv, {conv.in_channels}→{conv.out_channels}{stride}"


def shortcut_kind(block: nn.Module) -> tuple[str, str]:
    """What a block's shortcut is, read from ``block.downsample``: ``(kind, label)``.

    ``kind`` is ``"identity"`` (no module), ``"projection"`` (it holds a convolution; the label is that
    convolution's) or ``"parameter-free"`` (a module without parameters, e.g. option A's zero-padding;
    its channels and stride are measured by running it on a small input).
    """
    shortcut = getattr(block, "downsample", None)
    if shortcut is None:
        return "identity", "identity"
    convs = [m for m in shortcut.modules() if isinstance(m, nn.Conv2d)]
    if convs:
        norm = " + BN" if any(isinstance(m, nn.BatchNorm2d) for m in shortcut.modules()) else ""
        return "projection", f"projection: {conv_label(convs[0])}{norm}"
    c_in = block_convs(block)[0][1].in_channels
    with torch.no_grad():
        out = shortcut(torch.zeros(1, c_in, 8, 8))
    return "parameter-free", f"zero-pad {c_in}→{out.shape[1]}, stride {8 // out.shape[-1]}\n(no parameters)"


def _box(ax, x: float, y: float, w: float, h: float, text: str, gid: str | None, color: str, size: float = 9):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, facecolor=color, edgecolor="0.3", **_BOX))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, gid=gid)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], ls: str = "-") -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(_ARROW, linestyle=ls))


def _draw_block_on(ax, block: nn.Module, title: str | None, rows: int) -> None:
    """One block, top to bottom like the paper's figures; the shortcut runs down the right side.
    ``rows``: the most convolutions of the blocks drawn beside it (so all panels share one scale)."""
    convs = block_convs(block)
    cx, sx, step = 2.2, 4.75, 1.2
    top = rows * step + 1.6
    ys = [top - 1.0 - i * step for i in range(len(convs))]
    add_y = ys[-1] - step
    ax.text(cx, top, f"x: {convs[0][1].in_channels} channels", ha="center", va="bottom", fontsize=9, gid="input")
    _arrow(ax, (cx, top - 0.05), (cx, ys[0] + 0.3))
    for i, (name, conv) in enumerate(convs):
        _box(ax, cx, ys[i], 3.9, 0.6, conv_label(conv), name, "#dbe9f6" if conv.kernel_size[0] > 1 else "#e6f2df")
        ax.text(cx + 0.12, ys[i] - step / 2, "BN" if i == len(convs) - 1 else "BN, ReLU", ha="left",
                va="center", fontsize=7.5, color="0.35")
        _arrow(ax, (cx, ys[i] - 0.3), (cx, ys[i + 1] + 0.3) if i < len(convs) - 1 else (cx, add_y + 0.25))
    ax.plot(cx, add_y, marker="o", ms=16, mfc="white", mec="0.25", mew=1.2, zorder=3)   # round at any aspect
    ax.text(cx, add_y, "+", ha="center", va="center", fontsize=12, zorder=4)
    _arrow(ax, (cx, add_y - 0.25), (cx, add_y - 0.75))
    ax.text(cx, add_y - 0.8, f"ReLU → {convs[-1][1].out_channels} channels", ha="center", va="top",
            fontsize=9, gid="output")
    kind, label = shortcut_kind(block)
    ls = _LINESTYLES[kind]
    ax.plot([cx, sx, sx], [top - 0.45, top - 0.45, add_y], color="0.25", lw=1.4, ls=ls, gid="shortcut")
    _arrow(ax, (sx, add_y), (cx + 0.25, add_y), ls=ls)
    ax.text(sx + 0.15, (top - 0.45 + add_y) / 2, label.replace(": ", "\n").replace(", stride", ",\nstride"),
            ha="left", va="center", fontsize=8.5, gid="shortcut")
    ax.set(xlim=(0.1, 8.3), ylim=(top - rows * step - 2.55, top + 0.6))
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)


def draw_blocks(blocks: Sequence[nn.Module], titles: Sequence[str] | None = None) -> Figure:
    """Draw residual blocks side by side (``BasicBlock``, ``Bottleneck`` or any block written like them).

    Args:
        blocks: Block modules; their convolutions are their ``nn.Conv2d`` children (``resnet.block_convs``)
            and the shortcut is ``downsample`` (``None`` = identity).
        titles: One title per block (default: the class name).

    Returns:
        The figure; ``drawn_labels`` lists its labels by gid for each panel.
    """
    titles = titles or [type(b).__name__ for b in blocks]
    if len(titles) != len(blocks):
        raise ValueError(f"Got {len(blocks)} blocks but {len(titles)} titles: give one title per block.")
    rows = max(len(block_convs(b)) for b in blocks)
    fig, axes = plt.subplots(1, len(blocks), figsize=(4.4 * len(blocks), 0.55 * (rows * 1.2 + 3.2) + 0.4),
                             squeeze=False)
    for ax, block, title in zip(axes[0], blocks, titles):
        _draw_block_on(ax, block, title, rows)
    fig.tight_layout()
    return fig


def draw_block(block: nn.Module, title: str | None = None) -> Figure:
    """Draw one residual block (see ``draw_blocks``)."""
    return draw_blocks([block], [title] if title else None)


def draw_basic_block() -> Figure:
    """The basic block of ResNet-18/34's first stage, ``BasicBlock(64, 64)``, drawn (notebook 02)."""
    return draw_block(BasicBlock(64, 64), "basic block (ResNet-18/34)")


def _stage_text(layer: nn.Sequential) -> str:
    convs = block_convs(layer[0])
    inner = "\n".join(f"{c.kernel_size[0]}x{c.kernel_size[1]}, {c.out_channels}" for _, c in convs)
    kind, _ = shortcut_kind(layer[0])
    stride = max(c.stride[0] for _, c in convs)
    first = f"1st block:\n{kind}" + (f", stride {stride}" if stride > 1 else "")
    return f"{len(layer)} x {type(layer[0]).__name__}\n{inner}\n{first}"


def draw_stage_layout(model: nn.Module, size: int = 224) -> Figure:
    """A torchvision-style ResNet stage by stage: stem, ``layer1``..``layer4`` (blocks, convolutions of a
    block, the first block's shortcut), pooling and ``fc``, with the tensor shape between the stages
    measured by forward hooks on a ``size`` x ``size`` input.

    Returns:
        The figure; gids: ``stem``, ``layer1``..``layer4``, ``head``, and ``shape:<stage>`` for shapes.
    """
    stages = STAGES[:-1]
    outputs = capture_outputs(model, {s: stage_output_module(model, s) for s in stages},
                              torch.zeros(1, 3, size, size))
    c1, pool = model.conv1, model.maxpool
    conv = conv_label(c1).replace(", stride", ",\nstride")
    texts = {"stem": f"stem\n{conv}\n{pool.kernel_size}x{pool.kernel_size} max pool,\nstride {pool.stride}"}
    texts.update({s: f"{s}\n{_stage_text(getattr(model, s))}" for s in stages[1:]})
    texts["head"] = f"avg pool\n+ fc\n{model.fc.in_features}→{model.fc.out_features}"
    fig, ax = plt.subplots(figsize=(15, 3.2))
    xs = [0.9 + 2.2 * i for i in range(len(texts) + 1)]
    ax.text(xs[0], 1.6, f"image\n3x{size}x{size}", ha="center", va="center", fontsize=9, gid="input")
    for i, (name, text) in enumerate(texts.items(), start=1):
        _box(ax, xs[i], 1.6, 1.6, 2.1, text, name, "#eef3e6" if name in ("stem", "head") else "#dbe9f6", 8.5)
        _arrow(ax, (xs[i - 1] + (0.5 if i == 1 else 0.8), 1.6), (xs[i] - 0.8, 1.6))
    for i, s in enumerate(stages, start=1):
        shape = "x".join(map(str, outputs[s].shape[1:]))
        ax.text((xs[i] + xs[i + 1]) / 2, 0.3, shape, ha="center", va="center", fontsize=8.5,
                gid=f"shape:{s}", color="C3")
    ax.text(xs[0], 0.3, "output shapes:", ha="center", va="center", fontsize=8.5, color="C3")
    ax.set(xlim=(0.2, xs[-1] + 0.9), ylim=(0.1, 2.75))
    ax.axis("off")
    fig.tight_layout()
    return fig


def drawn_labels(fig: Figure) -> list[dict[str, str]]:
    """The labels a diagram drew, one ``{gid: text}`` per panel (what the tests check against the model)."""
    return [{t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()} for ax in fig.axes]
