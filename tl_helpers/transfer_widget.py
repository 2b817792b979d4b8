"""The freeze / fine-tune widget of notebook 07: try feature extraction and fine-tuning yourself.

``TransferTrainer(task)`` is an ``ipywidgets.VBox``:

- a ToggleButtons ``"transfer learning (freeze)"`` / ``"fine-tuning (train all)"``,
- a Dropdown for how much of the backbone to unfreeze (none = head only, layer4, ... all),
- a learning-rate Dropdown, an epochs slider and a Train button,
- "Trainable parameters: N of M" (updated as soon as a control changes, before any training),
- "Test accuracy: 0.xxx (run k)" ("Training..." while it runs) and a live loss/accuracy curve.

The training behind the Train button is ``experiments.train``: ``TransferTrainer.settings()`` turns the
controls into ``train``'s keyword arguments, so a notebook cell can call ``train`` with the same
settings and check the widget against it. The widgets carry CSS classes (``CSS``) that browser tests use.
"""
from __future__ import annotations

import time
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .config import pick
from .engine import History
from .experiments import RunResult, TargetTask, train
from .plots import figure_png, plot_history
from .recipe import FINETUNE_LR, HEAD_EPOCHS, HEAD_LR
from .resnet import STAGES
from .transfer import count_parameters, unfreeze

FREEZE = "transfer learning (freeze)"
FINETUNE = "fine-tuning (train all)"
MODES: tuple[str, str] = (FREEZE, FINETUNE)

#: Stage selector: label -> first trainable stage (``experiments.train``'s ``unfreeze_from``).
HEAD_ONLY, ALL = "none (head only)", "all"
UNFREEZE_CHOICES: dict[str, str] = {
    HEAD_ONLY: "fc", **{(s if s == "layer4" else f"{s}-4"): s for s in reversed(STAGES[1:-1])}, ALL: "stem",
}

LEARNING_RATES: tuple[float, ...] = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)

#: Epochs of the fine-tuning phase (after the head's warm-up on the frozen backbone).
FINETUNE_EPOCHS: int = pick(3, 10)

#: What each mode starts from: selector, learning rate, epochs.
MODE_DEFAULTS: dict[str, dict[str, Any]] = {
    FREEZE: {"unfreeze": HEAD_ONLY, "lr": HEAD_LR, "epochs": HEAD_EPOCHS},
    FINETUNE: {"unfreeze": ALL, "lr": FINETUNE_LR, "epochs": FINETUNE_EPOCHS},
}

#: CSS class of each control (``widget.add_class``), for browser tests and styling.
CSS: dict[str, str] = {
    "box": "tl-transfer-trainer", "mode": "tl-mode-toggle", "unfreeze": "tl-unfreeze", "lr": "tl-lr",
    "epochs": "tl-epochs", "button": "tl-train-button", "trainable": "tl-trainable",
    "result": "tl-result", "details": "tl-details", "curve": "tl-curve",
}


def train_kwargs(unfreeze_label: str, lr: float, num_epochs: int) -> dict[str, Any]:
    """Keyword arguments of ``experiments.train`` for one setting of the controls.

    Args:
        unfreeze_label: A key of ``UNFREEZE_CHOICES``.
        lr: Learning rate (of the head in freeze mode, of the unfrozen stages when fine-tuning).
        num_epochs: Epochs (of the head, or of the fine-tuning phase).

    Returns:
        ``{"strategy": "frozen", ...}`` for head only, else ``{"strategy": "finetune",
        "unfreeze_from": stage, ...}``.
    """
    stage = UNFREEZE_CHOICES[unfreeze_label]
    if stage == "fc":
        return {"strategy": "frozen", "lr": lr, "num_epochs": num_epochs}
    return {"strategy": "finetune", "unfreeze_from": stage, "lr": lr, "num_epochs": num_epochs}


def trainable_counts(task: TargetTask) -> dict[str, tuple[int, int]]:
    """``(trainable, total)`` parameters of the task's model for each ``UNFREEZE_CHOICES`` label."""
    model = task.new_model()
    return {label: count_parameters(unfreeze(model, stage)) for label, stage in UNFREEZE_CHOICES.items()}


def curve_figure(history: History | dict[str, History], title: str = "", finetune_from: int | None = None,
                 close: bool = True) -> Figure:
    """Loss and accuracy curves (``plots.plot_history``), with a line where fine-tuning starts.

    Args:
        history: From ``engine.fit`` / ``RunResult.history``, or ``{label: history}``.
        title: Figure title.
        finetune_from: Number of head-only epochs before the fine-tuning phase, if any.
        close: Close the figure in pyplot, so that drawing it in a widget callback never shows it
            in a cell's output as well (save or ``display`` it yourself).

    Returns:
        The figure.
    """
    fig = plot_history(history, title=title or None)
    for ax in fig.axes:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if finetune_from:
        for ax in fig.axes:
            ax.axvline(finetune_from + 0.5, color="gray", ls=":", lw=1)
            ax.text(finetune_from + 0.5, 0.98, "fine-tuning \u2192 ", transform=ax.get_xaxis_transform(),
                    fontsize=8, color="gray", va="top", ha="right")
    if close:
        plt.close(fig)
    return fig


class TransferTrainer(widgets.VBox):
    """Freeze or fine-tune a pretrained backbone on ``task`` and watch it train.

    Attributes:
        task: The ``experiments.TargetTask`` to train on.
        mode: ToggleButtons, ``MODES`` (class ``tl-mode-toggle``).
        unfreeze: Dropdown, ``UNFREEZE_CHOICES`` labels (``tl-unfreeze``).
        lr: Dropdown of ``LEARNING_RATES`` (``tl-lr``).
        epochs: IntSlider (``tl-epochs``).
        button: The Train button (``tl-train-button``).
        trainable: HTML "Trainable parameters: N of M (p%)" (``tl-trainable``).
        result: HTML "Test accuracy: 0.xxx (run k)" or "Training..." (``tl-result``).
        details: HTML describing the last run (``tl-details``).
        curve: Image with the loss/accuracy curves, redrawn during training (``tl-curve``).
        counts: ``trainable_counts(task)``.
        last: The last ``RunResult`` (``None`` before the first run).
        runs: Number of finished runs.
        draws: Number of times the curve was drawn.
    """

    def __init__(self, task: TargetTask, seed: int = 0, redraw_every_s: float = 0.25):
        """Build the controls in freeze mode.

        Args:
            task: From ``experiments.load_task``.
            seed: Seed of every run (same settings, same result).
            redraw_every_s: Redraw the live curve at most this often (the last epoch is always drawn),
                so that millisecond head epochs do not wait for the plot.
        """
        self.task, self.seed, self.redraw_every_s = task, seed, redraw_every_s
        self.counts = trainable_counts(task)
        self.last: RunResult | None = None
        self.runs = self.draws = 0
        self._last_draw, self._n_epochs, self._phase = 0.0, 0, ""
        d = MODE_DEFAULTS[FREEZE]
        self.mode = widgets.ToggleButtons(options=list(MODES), value=FREEZE, style={"button_width": "auto"},
                                          tooltips=["train only the new head on frozen features",
                                                    "also train the pretrained layers you unfreeze"])
        self.unfreeze = widgets.Dropdown(options=list(UNFREEZE_CHOICES), value=d["unfreeze"],
                                         description="unfreeze", style={"description_width": "initial"},
                                         layout={"width": "220px"})
        self.lr = widgets.Dropdown(options=[(f"{v:g}", v) for v in LEARNING_RATES], value=d["lr"],
                                   description="learning rate", style={"description_width": "initial"},
                                   layout={"width": "180px"})
        self.epochs = widgets.IntSlider(value=d["epochs"], min=1, max=max(100, HEAD_EPOCHS),
                                        description="epochs", style={"description_width": "initial"},
                                        layout={"width": "280px"})
        self.button = widgets.Button(description="Train", button_style="primary", icon="play",
                                     layout={"width": "110px"})
        self.trainable = widgets.HTML()
        self.result = widgets.HTML("Press Train to see the test accuracy.")
        self.details = widgets.HTML()
        self.curve = widgets.Image(format="png", layout={"max_width": "900px"})
        parts = {"mode": self.mode, "unfreeze": self.unfreeze, "lr": self.lr, "epochs": self.epochs,
                 "button": self.button, "trainable": self.trainable, "result": self.result,
                 "details": self.details, "curve": self.curve}
        for key, w in parts.items():
            w.add_class(CSS[key])
        super().__init__([self.mode, widgets.HBox([self.unfreeze, self.lr, self.epochs, self.button]),
                          self.trainable, widgets.HBox([self.result, self.details]), self.curve])
        self.add_class(CSS["box"])
        self.mode.observe(self._on_mode, names="value")
        self.unfreeze.observe(self._on_unfreeze, names="value")
        self.button.on_click(lambda _: self.run())
        self._show_count()

    # ------------------------------------------------------------------ controls -> settings
    def settings(self) -> dict[str, Any]:
        """``experiments.train`` keyword arguments for the current controls (plus ``seed``)."""
        return {**train_kwargs(self.unfreeze.value, self.lr.value, self.epochs.value), "seed": self.seed}

    def trainable_count(self) -> tuple[int, int]:
        """``(trainable, total)`` parameters for the current selector value."""
        return self.counts[self.unfreeze.value]

    def _show_count(self) -> None:
        n, total = self.trainable_count()
        self.trainable.value = f"Trainable parameters: {n:,} of {total:,} ({n / total:.1%})"

    def _on_mode(self, change: dict) -> None:
        """Switching the mode loads its defaults; fine-tuning keeps a stage you already picked."""
        d = MODE_DEFAULTS[change["new"]]
        if change["new"] == FREEZE or self.unfreeze.value == HEAD_ONLY:
            self.unfreeze.value = d["unfreeze"]
        self.lr.value, self.epochs.value = d["lr"], d["epochs"]
        self._show_count()

    def _on_unfreeze(self, change: dict) -> None:
        """Picking a stage selects the mode it belongs to."""
        self.mode.value = FREEZE if change["new"] == HEAD_ONLY else FINETUNE
        self._show_count()

    # ------------------------------------------------------------------ training
    def run(self) -> RunResult:
        """What the Train button does: ``experiments.train`` with ``settings()``, drawing as it goes."""
        kwargs, label = self.settings(), self.unfreeze.value
        self._phase = "training the head" if kwargs["strategy"] == "frozen" else f"fine-tuning {label}"
        self.result.value, self.details.value = "Training...", ""
        self.button.disabled = True
        head_first = HEAD_EPOCHS if kwargs["strategy"] == "finetune" else 0
        self._last_draw, self._n_epochs = 0.0, head_first + kwargs["num_epochs"]
        try:
            res = train(self.task, callbacks=[self._on_epoch_end], progress=False, **kwargs)
        except Exception as err:
            self.result.value = f"Training failed: {type(err).__name__}: {err}"
            raise
        finally:
            self.button.disabled = False
        self.runs, self.last = self.runs + 1, res
        n_head = len(res.history["train_loss"]) - kwargs["num_epochs"]
        self._draw(res.history, f"run {self.runs}: test accuracy {res.test_acc:.3f}", n_head)
        self.result.value = f"Test accuracy: {res.test_acc:.3f} (run {self.runs})"
        what = "head only" if kwargs["strategy"] == "frozen" else f"head first, then fine-tuned: {label}"
        self.details.value = (f"&nbsp;&nbsp;{what}; {kwargs['num_epochs']} epochs at lr {kwargs['lr']:g}; "
                              f"{res.trainable:,} trainable; {res.seconds:.1f} s")
        return res

    def _on_epoch_end(self, epoch: int, history: History) -> None:
        now = time.perf_counter()
        if epoch + 1 == self._n_epochs or now - self._last_draw >= self.redraw_every_s:
            self._draw(history, f"{self._phase}: epoch {epoch + 1} of {self._n_epochs}")
            self._last_draw = time.perf_counter()

    def _draw(self, history: History, title: str, finetune_from: int | None = None) -> None:
        self.curve.value = figure_png(curve_figure(history, title, finetune_from))
        self.draws += 1
