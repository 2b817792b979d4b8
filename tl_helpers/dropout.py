"""Dropout (notebook 05): where it sits, train versus eval mode, a head trained with each dropout
probability, Monte Carlo dropout, and the explorer widget.

Dropout belongs to a new head (``transfer.replace_head(..., dropout=p)``): torchvision's ResNet-50
has none.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from .controls import LatestRedraw
from .engine import accuracy
from .experiments import train
from .i18n import tr
from .plots import finish_panels
from .tables import ci, markdown_table, mean_std, paired_interval, pm


def dropout_layers(model: nn.Module) -> list[str]:
    """Names of the dropout modules (``nn.Dropout``, ``Dropout2d``, ``AlphaDropout`` ...) in a model."""
    kinds = (nn.modules.dropout._DropoutNd,)
    return [name for name, m in model.named_modules() if isinstance(m, kinds)]


@torch.no_grad()
def mc_dropout_accuracy(head: nn.Module, features: torch.Tensor, labels: torch.Tensor,
                        num_samples: int = 50, seed: int = 0) -> dict[str, object]:
    """Monte Carlo dropout: average the softmax of many passes with dropout on, versus one pass.

    Args:
        head: A head with dropout (e.g. ``model.fc`` after ``replace_head(..., dropout=p)``).
        features: Its inputs (e.g. cached pooled features), ``[N, D]``.
        labels: True labels ``[N]``.
        num_samples: Stochastic passes.
        seed: Seed of the dropout masks.

    Returns:
        ``{"eval": accuracy in eval mode (dropout off, one deterministic pass),
        "single": [accuracy of each stochastic pass], "averaged": [accuracy of the mean of the
        first t passes' probabilities, for t = 1 .. num_samples]}``.
    """
    eval_acc = accuracy(head, features, labels)
    was_training = head.training
    head.train()
    gen_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    probs = torch.stack([torch.softmax(head(features), dim=1) for _ in range(num_samples)])
    torch.random.set_rng_state(gen_state)
    head.train(was_training)
    single = (probs.argmax(2) == labels).float().mean(1).tolist()
    running = probs.cumsum(0) / torch.arange(1, num_samples + 1).view(-1, 1, 1)
    averaged = (running.argmax(2) == labels).float().mean(1).tolist()
    return {"eval": eval_acc, "single": single, "averaged": averaged}


def mean_curves(histories: Sequence[Mapping[str, Sequence[float]]], key: str) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation over runs of one history key, per epoch."""
    values = np.array([h[key] for h in histories], dtype=float)
    return values.mean(0), values.std(0)


def plot_seed_curves(runs: Mapping[str, Sequence[Mapping[str, Sequence[float]]]],
                     title: str | None = None, split: str = "test") -> Figure:
    """Train and held-out accuracy per epoch, mean over seeds with a ±1 std band, one colour per setting.

    Args:
        runs: ``{label: [history per seed]}`` (histories from ``engine.fit``).
        title: Figure title.
        split: The held-out split the histories scored every epoch: ``"test"`` or ``"val"``.

    Returns:
        The figure (accuracy panel and train - test gap panel).
    """
    fig, (ax_acc, ax_gap) = plt.subplots(1, 2, figsize=(11, 3.8))
    for i, (label, histories) in enumerate(runs.items()):
        epochs = np.arange(1, len(histories[0]["train_acc"]) + 1)
        for key, ls in (("train_acc", "-"), (f"{split}_acc", "--")):
            m, s = mean_curves(histories, key)
            ax_acc.plot(epochs, m, color=f"C{i}", ls=ls, label=f"{label} {key.split('_')[0]}")
            ax_acc.fill_between(epochs, m - s, m + s, color=f"C{i}", alpha=0.15)
        gap = [np.array(h["train_acc"]) - np.array(h[f"{split}_acc"]) for h in histories]
        m, s = np.mean(gap, 0), np.std(gap, 0)
        ax_gap.plot(epochs, m, color=f"C{i}", label=label)
        ax_gap.fill_between(epochs, m - s, m + s, color=f"C{i}", alpha=0.15)
    name = {"val": "validation"}.get(split, split)
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title=f"accuracy (solid: train, dashed: {name})", ylim=(0, 1.02))
    ax_gap.set(xlabel="epoch", ylabel=f"train acc - {name} acc", title="gap (train accuracy as logged by fit)")
    ax_gap.axhline(0, color="gray", lw=0.8)
    return finish_panels(fig, (ax_acc, ax_gap), title)


def plot_mc_dropout(result: Mapping[str, object], title: str | None = None) -> Figure:
    """Accuracy of Monte Carlo dropout against the number of averaged passes.

    Args:
        result: From ``mc_dropout_accuracy``.
        title: Axes title.

    Returns:
        The figure: averaged-pass accuracy per number of passes, single passes as dots, eval mode as a line.
    """
    averaged, single = result["averaged"], result["single"]
    t = np.arange(1, len(averaged) + 1)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.scatter(t, single, s=10, color="C1", alpha=0.6, label="one pass with dropout on (each pass)")
    ax.plot(t, averaged, color="C0", label="mean of the first t passes (MC dropout)")
    ax.axhline(result["eval"], color="C2", ls="--", label="eval mode: one pass, dropout off")
    ax.set(xlabel="number of stochastic passes t", ylabel="test accuracy", title=title or "")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)   # below: never over the data
    fig.tight_layout()
    return fig


class DropoutExplorer:
    """A dropout-probability slider; each change trains a new head on the frozen backbone and redraws.

    One redraw at a time, of the slider's current value (``controls.LatestRedraw``): moves that arrive
    while a head trains (the kernel may hand them over on a second thread) make it start again from the
    latest value when it ends, instead of queueing a training run each.

    The curves and the numbers are on the training and the validation images: settings are judged there, and the
    test set is kept for final numbers.

    Attributes:
        p: ``FloatSlider`` with the dropout probability before the new linear head (0 = none).
        widget: The box to display; redraws: the ``LatestRedraw`` behind it.
        state: After each update: ``{"p", "history", "train_acc", "val_acc", "gap", "dropout_layers"}``
            where ``train_acc``/``val_acc`` are measured in eval mode after the last epoch, ``gap`` is
            ``train_acc - val_acc`` and ``dropout_layers`` lists the new model's dropout modules.
    """

    def __init__(self, task, p: float = 0.5, seed: int = 0, num_epochs: int | None = None) -> None:
        """A task without validation images raises a ``ValueError`` that says how to load them."""
        task.split("val", "DropoutExplorer (it shows validation accuracy)")
        self.task, self.seed, self.num_epochs = task, seed, num_epochs
        self.p = widgets.FloatSlider(value=p, min=0.0, max=0.9, step=0.1, description=tr("dropout p"),
                                     continuous_update=False, readout_format=".1f")
        self.out = widgets.Output()
        self.state: dict = {}
        self.widget = widgets.VBox([self.p, self.out])
        self.redraws = LatestRedraw(self._draw, {"p": self.p})
        self.update()

    def update(self, _change=None) -> None:
        """Train the head with the current ``p`` and redraw its learning curves."""
        self.redraws()

    def _draw(self, setting: dict) -> None:
        """Train a head with ``setting["p"]`` (one snapshot of the slider); then the state and curves of it."""
        p = round(float(setting["p"]), 2)
        run = train(self.task, "frozen", self.seed, num_epochs=self.num_epochs, dropout=p or None,
                    progress=False, track_val=True)      # the curves score the validation images every epoch
        train_acc = accuracy(run.model.fc, *self.task.activations("fc", "train"))
        self.state = {"p": p, "history": run.history, "train_acc": train_acc, "val_acc": run.val_acc,
                      "gap": train_acc - run.val_acc, "dropout_layers": dropout_layers(run.model)}
        with self.out:
            self.out.clear_output(wait=True)
            plot_seed_curves({f"p={p:.1f}": [run.history]}, split="val",
                             title=f"dropout p={p:.1f}: train {train_acc:.3f} / validation {run.val_acc:.3f} "
                                   f"(eval mode, after training)")
            plt.show()


def seed_accuracies(task, runs: Mapping[float, Sequence]) -> dict[float, dict[str, list[float]]]:
    """Per dropout probability, each seed's eval-mode accuracies after training.

    Args:
        task: The ``experiments.TargetTask`` the heads were trained on.
        runs: ``{p: [experiments.RunResult per seed]}`` of ``train(task, "frozen", seed, dropout=p)``,
            the seeds in the same order for every ``p``.

    Returns:
        ``{p: {"train", "val", "test", "gap", "epoch"}}``, each a list over seeds: ``train``, ``val`` and
        ``test`` measured in eval mode (dropout off) on the returned model, ``gap = train - test`` and
        ``epoch`` the epoch of the returned model (its best validation epoch with ``select="val"``).
    """
    feats = task.activations("fc", "train")
    out = {}
    for p, rs in runs.items():
        train, test = [accuracy(r.model.fc, *feats) for r in rs], [r.test_acc for r in rs]
        out[p] = {"train": train, "val": [r.val_acc for r in rs], "test": test,
                  "gap": [a - b for a, b in zip(train, test)],
                  "epoch": [r.best_epoch or len(r.history["train_loss"]) for r in rs]}
    return out


def summarize_dropout(task, runs: Mapping[float, Sequence]) -> list[dict]:
    """Mean ± std over seeds of the accuracies of heads trained with each dropout probability.

    Args:
        task: The ``experiments.TargetTask`` the heads were trained on.
        runs: ``{p: [experiments.RunResult per seed]}`` of ``train(task, "frozen", seed, dropout=p)``,
            the first ``p`` being the baseline (``0.0``: no dropout), the seeds in the same order.

    Returns:
        One row per ``p``: ``{"p", "seeds", "epoch", "train", "val", "test", "gap", "val_change", "change"}``:
        each accuracy and the epoch a ``(mean, std)`` pair (see ``seed_accuracies``); ``val_change`` and
        ``change`` the seed-by-seed change of validation and test accuracy from the first ``p``, as
        ``(mean, low, high)`` with its t-based 95 % interval (``tables.paired_interval``).
    """
    acc = seed_accuracies(task, runs)
    base = acc[next(iter(acc))]
    return [{"p": p, "seeds": len(a["test"]), **{k: mean_std(a[k]) for k in ("epoch", "train", "val", "test", "gap")},
             "val_change": paired_interval(a["val"], base["val"]), "change": paired_interval(a["test"], base["test"])}
            for p, a in acc.items()]


def format_dropout_table(rows: Sequence[Mapping[str, object]]) -> str:
    """A Markdown table of ``summarize_dropout`` rows."""
    base = f"p = {rows[0]['p']:.1f}"
    header = (tr("dropout p"), tr("epoch chosen on validation"), tr("train acc"), tr("validation acc"), tr("test acc"),
              tr("gap = train - test"), tr("validation change from {base} [95 % CI]", base=base),
              tr("test change from {base} [95 % CI]", base=base))
    return markdown_table(header, [(f"{r['p']:.1f}", f"{r['epoch'][0]:.0f} ± {r['epoch'][1]:.0f}",
                                    *(pm(r[k]) for k in ("train", "val", "test", "gap")),
                                    ci(r["val_change"], signed=True), ci(r["change"], signed=True)) for r in rows])
