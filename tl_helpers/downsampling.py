"""Downsampling in ResNet-50 (notebook 04): feature-map shapes by formula and by forward hooks,
identity versus projection shortcuts, and the input-size explorer.
"""
from __future__ import annotations

import html
from typing import Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import HTML, display
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from torch import nn

from .controls import LatestRedraw
from .engine import capture_outputs
from .i18n import tr
from .resnet import STAGES, block_convs, stage_output_module

#: Stages shown by the shape explorer (the head ``fc`` has no feature map).
SHAPE_STAGES: tuple[str, ...] = STAGES[:-1]


def stage_shapes(model: nn.Module, size: int = 224, stages: Sequence[str] = STAGES[:-1]) -> dict[str, tuple[int, ...]]:
    """Output shape ``(C, H, W)`` of each stage (or any named module), found with forward hooks.

    Args:
        model: A ResNet.
        size: Side of the square input image.
        stages: Stage names (``resnet.STAGES``) or other module names (``"conv1"``, ``"avgpool"``, ``"fc"``).

    Returns:
        ``{stage: shape without the batch dimension}``.
    """
    modules = {s: stage_output_module(model, s) if s in STAGES else getattr(model, s) for s in stages}
    outputs = capture_outputs(model, modules, torch.zeros(1, 3, size, size))
    return {name: tuple(out.shape[1:]) for name, out in outputs.items()}


def conv_output_side(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Side of a convolution's (or pooling's) output: ``floor((size + 2 * padding - kernel) / stride) + 1``.

    Args:
        size: Side of the square input.
        kernel: Kernel side.
        stride: Step between kernel positions.
        padding: Zeros added on each border.

    Returns:
        Side of the square output.
    """
    return (size + 2 * padding - kernel) // stride + 1


def resnet_sides(size: int = 224) -> dict[str, int]:
    """Spatial side after each part of a torchvision-style ResNet, computed by formula (no model).

    The stem is a 7x7 stride-2 convolution (padding 3) and a 3x3 stride-2 max pool (padding 1);
    ``layer2`` to ``layer4`` each start with a 3x3 stride-2 convolution (padding 1).

    Args:
        size: Side of the square input image.

    Returns:
        ``{"conv1", "stem", "layer1", ..., "layer4": side}`` (the stem ends with the max pool).
    """
    sides = {"conv1": conv_output_side(size, 7, 2, 3)}
    sides["stem"] = sides["layer1"] = conv_output_side(sides["conv1"], 3, 2, 1)
    for prev, stage in zip(STAGES[1:-2], STAGES[2:-1]):
        sides[stage] = conv_output_side(sides[prev], 3, 2, 1)
    return sides


def shortcut_table(model: nn.Module) -> list[dict]:
    """One row per residual block: where the shortcut is an identity and where it must project.

    Args:
        model: A torchvision-style ResNet (ours or torchvision's).

    Returns:
        Rows ``{"block": "layer2.0", "in": 256, "out": 512, "stride": 2, "projection": True}``
        in forward order; ``stride`` is the block's stride (the projection conv uses the same).
    """
    rows = []
    for stage in STAGES[1:-1]:
        for j, block in enumerate(getattr(model, stage)):
            convs = [c for _, c in block_convs(block)]
            rows.append({"block": f"{stage}.{j}", "in": convs[0].in_channels, "out": convs[-1].out_channels,
                         "stride": max(c.stride[0] for c in convs), "projection": block.downsample is not None})
    return rows


def shapes_html(shapes: Mapping[str, tuple[int, ...]], highlight: str | None = None) -> str:
    """An HTML table of ``C x H x W`` per stage (values per image too), one row highlighted.

    Args:
        shapes: ``{stage: (C, H, W)}`` from ``stage_shapes``.
        highlight: Stage whose row is drawn in bold on a yellow background.

    Returns:
        The table as an HTML string.
    """
    header = (tr("stage"), tr("channels"), tr("height"), tr("width"), tr("values per image"))
    rows = ["<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>"]
    for name, shape in shapes.items():
        if len(shape) != 3:
            continue
        c, h, w = shape
        style = ' style="background:#fff3b0;font-weight:bold"' if name == highlight else ""
        rows.append(f"<tr{style}><td>{html.escape(name)}</td><td>{c}</td><td>{h}</td>"
                    f"<td>{w}</td><td>{c * h * w:,}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def plot_stage_shapes(shapes: Mapping[str, tuple[int, ...]], size: int | None = None,
                      highlight: str | None = None) -> Figure:
    """Three panels per stage: channels, height (= width) and values per image.

    Args:
        shapes: ``{stage: (C, H, W)}`` from ``stage_shapes``.
        size: Input side, for the title.
        highlight: Stage drawn in a stronger colour.

    Returns:
        The figure.
    """
    names = [n for n, s in shapes.items() if len(s) == 3]
    labels = [n for n in names]
    panels = [("channels C", [shapes[n][0] for n in names], True),
              ("height = width (pixels)", [shapes[n][1] for n in names], False),
              ("values per image C*H*W", [int(np.prod(shapes[n])) for n in names], False)]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    colors = ["C3" if n == highlight else "C0" for n in names]
    for ax, (title, values, log2) in zip(axes, panels):
        bars = ax.bar(labels, values, color=colors)
        for b, v in zip(bars, values):
            ax.text(b.get_x() + b.get_width() / 2, v, f"{v:,}", ha="center", va="bottom", fontsize=8)
        if log2:
            ax.set_yscale("log", base=2)
            ax.set_ylim(min(values) / 2, max(values) * 2)
        else:
            ax.set_ylim(0, max(values) * 1.15)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="y", alpha=0.3)
    if size is not None:
        fig.suptitle(f"ResNet-50 feature maps for a {size}x{size} input")
    fig.tight_layout()
    return fig


class ShapeExplorer:
    """Choose an input size and a stage; see the ``C x H x W`` table (and plot) of ResNet-50 update.

    One redraw at a time, of the controls' current values (``controls.LatestRedraw``): changes that arrive
    during a redraw (the kernel may hand them over on a second thread) make it start again from them.

    Attributes:
        size: ``IntSlider`` with the input side in pixels.
        stage: ``Dropdown`` with the stage to highlight.
        widget: The box to display; redraws: the ``LatestRedraw`` behind it.
        state: After each update: ``{"size", "stage", "shapes", "selected"}`` where ``shapes`` maps
            each stage to ``(C, H, W)`` measured with forward hooks and ``selected`` is the chosen
            stage's shape.
    """

    def __init__(self, model: nn.Module, size: int = 224, stage: str = "layer4", plot: bool = True) -> None:
        self.model = model
        self.plot = plot
        self.size = widgets.IntSlider(value=size, min=32, max=448, step=16, description=tr("input px"),
                                      continuous_update=False)
        self.stage = widgets.Dropdown(options=list(SHAPE_STAGES), value=stage,
                                      description=tr("stage"))
        self.out = widgets.Output()
        self.state: dict = {}
        self.widget = widgets.VBox([widgets.HBox([self.size, self.stage]), self.out])
        self.redraws = LatestRedraw(self._draw, {"size": self.size, "stage": self.stage})
        self.update()

    def update(self, _change=None) -> None:
        """Measure the shapes for the current size and redraw."""
        self.redraws()

    def _draw(self, setting: dict) -> None:
        """Shapes for ``setting`` (one snapshot of the controls; measured again only when the size changed),
        then the state, the table and the plot, all of that one setting."""
        size, stage = setting["size"], setting["stage"]
        same_size = self.state.get("size") == size
        shapes = self.state["shapes"] if same_size else stage_shapes(self.model, size, SHAPE_STAGES)
        c, h, w = shapes[stage]
        caption = tr("{size} px input &rarr; {stage}: {c} x {h} x {w}", size=size, stage=stage, c=c, h=h, w=w)
        table = f"<b>{caption}</b>" + shapes_html(shapes, stage)
        self.state = {"size": size, "stage": stage, "shapes": shapes, "selected": shapes[stage]}
        with self.out:
            self.out.clear_output(wait=True)
            display(HTML(table))
            if self.plot:
                plot_stage_shapes(shapes, size, stage)
                plt.show()
