"""Figures and widgets of the concept notebooks: shapes through ResNet-50 (04), dropout (05), history (06).

Each widget is a small class: ``.widget`` is what a notebook displays, the controls are attributes
(``.size``, ``.stage``, ``.p``) and ``.state`` holds what the last update computed, so a following
cell can set ``.value`` on a control and assert the effect without a browser.
"""
from __future__ import annotations

import html
import statistics
from typing import Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML, display
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from torch import nn

from .analysis import stage_shapes
from .plots import finish_panels

#: Stages shown by the shape explorer; ``maxpool`` (the end of the stem) is shown as ``stem``.
SHAPE_STAGES: tuple[str, ...] = ("maxpool", "layer1", "layer2", "layer3", "layer4")


def stage_label(name: str) -> str:
    """Display name of a module in ``SHAPE_STAGES``: ``"maxpool"`` -> ``"stem"``."""
    return "stem" if name == "maxpool" else name


# --------------------------------------------------------------------------- 04: shapes

def shapes_html(shapes: Mapping[str, tuple[int, ...]], highlight: str | None = None) -> str:
    """An HTML table of ``C x H x W`` per stage (values per image too), one row highlighted.

    Args:
        shapes: ``{stage: (C, H, W)}`` from ``analysis.stage_shapes``.
        highlight: Stage whose row is drawn in bold on a yellow background.

    Returns:
        The table as an HTML string.
    """
    rows = ["<tr><th>stage</th><th>channels</th><th>height</th><th>width</th>"
            "<th>values per image</th></tr>"]
    for name, shape in shapes.items():
        if len(shape) != 3:
            continue
        c, h, w = shape
        style = ' style="background:#fff3b0;font-weight:bold"' if name == highlight else ""
        rows.append(f"<tr{style}><td>{html.escape(stage_label(name))}</td><td>{c}</td><td>{h}</td>"
                    f"<td>{w}</td><td>{c * h * w:,}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def plot_stage_shapes(shapes: Mapping[str, tuple[int, ...]], size: int | None = None,
                      highlight: str | None = None) -> Figure:
    """Three panels per stage: channels, height (= width) and values per image.

    Args:
        shapes: ``{stage: (C, H, W)}`` from ``analysis.stage_shapes``.
        size: Input side, for the title.
        highlight: Stage drawn in a stronger colour.

    Returns:
        The figure.
    """
    names = [n for n, s in shapes.items() if len(s) == 3]
    labels = [stage_label(n) for n in names]
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

    Attributes:
        size: ``IntSlider`` with the input side in pixels.
        stage: ``Dropdown`` with the stage to highlight.
        widget: The box to display.
        state: After each update: ``{"size", "stage", "shapes", "selected"}`` where ``shapes`` maps
            each stage to ``(C, H, W)`` measured with forward hooks and ``selected`` is the chosen
            stage's shape.
    """

    def __init__(self, model: nn.Module, size: int = 224, stage: str = "layer4", plot: bool = True) -> None:
        self.model = model
        self.plot = plot
        self.size = widgets.IntSlider(value=size, min=32, max=448, step=16, description="input px",
                                      continuous_update=False)
        self.stage = widgets.Dropdown(options=[(stage_label(s), s) for s in SHAPE_STAGES], value=stage,
                                      description="stage")
        self.out = widgets.Output()
        self.state: dict = {}
        self.widget = widgets.VBox([widgets.HBox([self.size, self.stage]), self.out])
        self.size.observe(self.update, names="value")
        self.stage.observe(self.update, names="value")
        self.update()

    def update(self, _change=None) -> None:
        """Measure the shapes for the current size and redraw."""
        if self.state.get("size") != self.size.value:
            self.state["shapes"] = stage_shapes(self.model, self.size.value, SHAPE_STAGES)
        shapes = self.state["shapes"]
        self.state.update(size=self.size.value, stage=self.stage.value, selected=shapes[self.stage.value])
        c, h, w = self.state["selected"]
        with self.out:
            self.out.clear_output(wait=True)
            display(HTML(f"<b>{self.size.value} px input &rarr; {stage_label(self.stage.value)}: "
                         f"{c} x {h} x {w}</b>" + shapes_html(shapes, self.stage.value)))
            if self.plot:
                plot_stage_shapes(shapes, self.size.value, self.stage.value)
                plt.show()


# --------------------------------------------------------------------------- 05: dropout

def mean_curves(histories: Sequence[Mapping[str, Sequence[float]]], key: str) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation over runs of one history key, per epoch."""
    values = np.array([h[key] for h in histories], dtype=float)
    return values.mean(0), values.std(0)


def plot_seed_curves(runs: Mapping[str, Sequence[Mapping[str, Sequence[float]]]],
                     title: str | None = None) -> Figure:
    """Train and test accuracy per epoch, mean over seeds with a ±1 std band, one colour per setting.

    Args:
        runs: ``{label: [history per seed]}`` (histories from ``engine.fit``).
        title: Figure title.

    Returns:
        The figure (accuracy panel and train - test gap panel).
    """
    fig, (ax_acc, ax_gap) = plt.subplots(1, 2, figsize=(11, 3.8))
    for i, (label, histories) in enumerate(runs.items()):
        epochs = np.arange(1, len(histories[0]["train_acc"]) + 1)
        for key, ls in (("train_acc", "-"), ("test_acc", "--")):
            m, s = mean_curves(histories, key)
            ax_acc.plot(epochs, m, color=f"C{i}", ls=ls, label=f"{label} {key.split('_')[0]}")
            ax_acc.fill_between(epochs, m - s, m + s, color=f"C{i}", alpha=0.15)
        gap = [np.array(h["train_acc"]) - np.array(h["test_acc"]) for h in histories]
        m, s = np.mean(gap, 0), np.std(gap, 0)
        ax_gap.plot(epochs, m, color=f"C{i}", label=label)
        ax_gap.fill_between(epochs, m - s, m + s, color=f"C{i}", alpha=0.15)
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy (solid: train, dashed: test)", ylim=(0, 1.02))
    ax_gap.set(xlabel="epoch", ylabel="train acc - test acc", title="gap (train accuracy as logged by fit)")
    ax_gap.axhline(0, color="gray", lw=0.8)
    return finish_panels(fig, (ax_acc, ax_gap), title)


def plot_mc_dropout(result: Mapping[str, object], title: str | None = None) -> Figure:
    """Accuracy of Monte Carlo dropout against the number of averaged passes.

    Args:
        result: From ``analysis.mc_dropout_accuracy``.
        title: Axes title.

    Returns:
        The figure: averaged-pass accuracy per number of passes, single passes as dots, eval mode as a line.
    """
    averaged, single = result["averaged"], result["single"]
    t = np.arange(1, len(averaged) + 1)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.scatter(t, single, s=10, color="C1", alpha=0.6, label="one pass with dropout on (each pass)")
    ax.plot(t, averaged, color="C0", label="mean of the first t passes (MC dropout)")
    ax.axhline(result["eval"], color="C2", ls="--", label="eval mode: one pass, dropout off")
    ax.set(xlabel="number of stochastic passes t", ylabel="test accuracy", title=title or "")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


class DropoutExplorer:
    """A dropout-probability slider; each change trains a new head on the frozen backbone and redraws.

    Attributes:
        p: ``FloatSlider`` with the dropout probability before the new linear head (0 = none).
        widget: The box to display.
        state: After each update: ``{"p", "history", "train_acc", "test_acc", "gap", "dropout_layers"}``
            where ``train_acc``/``test_acc`` are measured in eval mode after the last epoch and
            ``dropout_layers`` lists the new model's dropout modules.
    """

    def __init__(self, task, p: float = 0.5, seed: int = 0, num_epochs: int | None = None) -> None:
        self.task, self.seed, self.num_epochs = task, seed, num_epochs
        self.p = widgets.FloatSlider(value=p, min=0.0, max=0.9, step=0.1, description="dropout p",
                                     continuous_update=False, readout_format=".1f")
        self.out = widgets.Output()
        self.state: dict = {}
        self.widget = widgets.VBox([self.p, self.out])
        self.p.observe(self.update, names="value")
        self.update()

    def update(self, _change=None) -> None:
        """Train the head with the current ``p`` and redraw its learning curves."""
        from .analysis import dropout_layers, head_accuracy
        from .experiments import train
        p = round(float(self.p.value), 2)
        run = train(self.task, "frozen", self.seed, num_epochs=self.num_epochs, dropout=p or None,
                    progress=False)
        train_acc = head_accuracy(run.model.fc, *self.task.activations("fc", "train"))
        self.state = {"p": p, "history": run.history, "train_acc": train_acc, "test_acc": run.test_acc,
                      "gap": train_acc - run.test_acc, "dropout_layers": dropout_layers(run.model)}
        with self.out:
            self.out.clear_output(wait=True)
            plot_seed_curves({f"p={p:.1f}": [run.history]},
                             title=f"dropout p={p:.1f}: train {train_acc:.3f} / test {run.test_acc:.3f} "
                                   f"(eval mode, after training)")
            plt.show()


# --------------------------------------------------------------------------- 06: history

def plot_ilsvrc(rows: Sequence[Mapping[str, object]], human: float | None = None) -> Figure:
    """Bar chart of the ILSVRC classification winners' top-5 error by year.

    Args:
        rows: ``{"year", "team", "top5", "layers"}`` per winner (``top5`` in percent; ``layers`` is the
            depth of a deep network, ``None`` for other methods).
        human: Human top-5 error estimate in percent, drawn as a dashed line.

    Returns:
        The figure.
    """
    from matplotlib.patches import Patch
    fig, ax = plt.subplots(figsize=(9, 4.2))
    deep = [r.get("layers") is not None for r in rows]
    ticks = [f"{r['year']}\n{r['team']}" + (f"\n{r['layers']} layers" if r.get("layers") else "") for r in rows]
    bars = ax.bar(range(len(rows)), [r["top5"] for r in rows], color=["C0" if d else "C7" for d in deep])
    for b, r in zip(bars, rows):
        ax.text(b.get_x() + b.get_width() / 2, b.get_height() + 0.4, f"{r['top5']:g}%",
                ha="center", va="bottom", fontsize=9, fontweight="bold")
    handles = [Patch(color="C7", label="no deep network"), Patch(color="C0", label="deep CNN")]
    if human is not None:
        handles.append(ax.axhline(human, color="C3", ls="--", lw=1.2, label=f"human estimate ({human:g}%)"))
    ax.set_xticks(range(len(rows)), ticks, fontsize=8)
    ax.set(ylabel="top-5 error (%)", ylim=(0, max(r["top5"] for r in rows) * 1.15),
           title="ImageNet classification (ILSVRC): winners' top-5 test error")
    ax.legend(handles=handles, fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    values = list(values)
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def summarize_dropout(task, runs: Mapping[float, Sequence]) -> list[dict]:
    """Mean ± std over seeds of the accuracies of heads trained with each dropout probability.

    Args:
        task: The ``experiments.TargetTask`` the heads were trained on.
        runs: ``{p: [experiments.RunResult per seed]}`` of ``train(task, "frozen", seed, dropout=p)``.

    Returns:
        One row per ``p``: ``{"p", "seeds", "train_live", "train", "test", "gap"}``, each accuracy a
        ``(mean, std)`` pair. ``train_live`` is the last epoch's training accuracy as ``fit`` logs it
        (dropout on); ``train`` and ``test`` are measured in eval mode after training and
        ``gap = train - test``.
    """
    from .analysis import head_accuracy
    feats = task.activations("fc", "train")
    rows = []
    for p, rs in runs.items():
        train = [head_accuracy(r.model.fc, *feats) for r in rs]
        test = [r.test_acc for r in rs]
        rows.append({"p": p, "seeds": len(rs), "train_live": mean_std(r.history["train_acc"][-1] for r in rs),
                     "train": mean_std(train), "test": mean_std(test),
                     "gap": mean_std(a - b for a, b in zip(train, test))})
    return rows


def format_dropout_table(rows: Sequence[Mapping[str, object]]) -> str:
    """A Markdown table of ``summarize_dropout`` rows."""
    lines = ["| dropout p | train acc, dropout on (last epoch) | train acc (eval mode) | test acc | "
             "gap = train - test | seeds |", "|---|---|---|---|---|---|"]
    for r in rows:
        cells = " | ".join(f"{r[k][0]:.3f} ± {r[k][1]:.3f}" for k in ("train_live", "train", "test", "gap"))
        lines.append(f"| {r['p']:.1f} | {cells} | {r['seeds']} |")
    return "\n".join(lines)
