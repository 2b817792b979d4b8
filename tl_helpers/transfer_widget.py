"""The feature-extraction / fine-tuning widget of notebook 07: try both kinds of transfer learning yourself.

``TransferTrainer(task)`` is an ``ipywidgets.VBox``: a toggle ``FREEZE`` / ``FINETUNE``; a Dropdown saying how
much of the backbone to unfreeze (the one control that says how much trains); learning rate, epochs and a Train
button; "Trainable parameters: N of M (p%): which stages"; "Validation accuracy: 0.xxx (run k)" ("Training..."
while it runs); live loss/accuracy curves on the training and validation images, whose x axis spans the whole run
from the first drawing. A run reads and locks the controls in one step (``controls.RunLock``): a change arriving
while it starts or trains is refused and the control put back; a click made during the run is ignored, whether the
kernel hands it over during the run (ipykernel 7 also uses a second thread) or after it.

Behind the Train button is ``experiments.train`` (``settings()``: the controls as its keyword arguments, so a cell
can check the widget). CSS classes: ``CSS``; labels speak ``i18n.tr``'s language; a control's ``.value`` is English.
"""
from __future__ import annotations

import io
import json
import math
import time
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .controls import RunLock, labelled
from .engine import History
from .i18n import N_, tr
from .experiments import RunResult, train
from .task import TargetTask
from .recipe import FINETUNE_LR, HEAD_EPOCHS, HEAD_LR, NET_EPOCHS
from .resnet import STAGES
from .transfer import count_parameters, trainable_stages, unfreeze

FREEZE = N_("feature extraction (frozen backbone)")      # a mode's value; its label speaks the active language
FINETUNE = N_("fine-tuning (unfrozen stages)")
MODES: tuple[str, str] = (FREEZE, FINETUNE)

#: Stage selector: label -> first trainable stage (``experiments.train``'s ``unfreeze_from``).
HEAD_ONLY, ALL = N_("none (head only)"), N_("all")
UNFREEZE_CHOICES: dict[str, str] = {
    HEAD_ONLY: "fc", **{(s if s == "layer4" else f"{s}-4"): s for s in reversed(STAGES[1:-1])}, ALL: "stem",
}

LEARNING_RATES: tuple[float, ...] = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)

#: Epochs of the fine-tuning phase (after the head's warm-up on the frozen backbone): the README's budget.
FINETUNE_EPOCHS: int = NET_EPOCHS

#: What each mode starts from: selector, learning rate, epochs.
MODE_DEFAULTS: dict[str, dict[str, Any]] = {
    FREEZE: {"unfreeze": HEAD_ONLY, "lr": HEAD_LR, "epochs": HEAD_EPOCHS},
    FINETUNE: {"unfreeze": ALL, "lr": FINETUNE_LR, "epochs": FINETUNE_EPOCHS},
}

#: CSS class of each control (``widget.add_class``), for browser tests and styling.
CSS: dict[str, str] = {"box": "tl-transfer-trainer", "mode": "tl-mode-toggle", "unfreeze": "tl-unfreeze",
                       "lr": "tl-lr", "epochs": "tl-epochs", "button": "tl-train-button", "trainable": "tl-trainable",
                       "result": "tl-result", "details": "tl-details", "curve": "tl-curve"}


def train_kwargs(unfreeze_label: str, lr: float, num_epochs: int) -> dict[str, Any]:
    """Keyword arguments of ``experiments.train`` for one setting of the controls.

    Args:
        unfreeze_label: A key of ``UNFREEZE_CHOICES``.
        lr: Learning rate (of the head in feature extraction, of the unfrozen stages when fine-tuning).
        num_epochs: Epochs (of the head, or of the fine-tuning phase).

    Returns:
        ``{"strategy": "frozen", ...}`` for head only, else ``{"strategy": "finetune", "unfreeze_from": ...}``.
    """
    stage = UNFREEZE_CHOICES[unfreeze_label]
    if stage == "fc":
        return {"strategy": "frozen", "lr": lr, "num_epochs": num_epochs}
    return {"strategy": "finetune", "unfreeze_from": stage, "lr": lr, "num_epochs": num_epochs}


def trainable_counts(task: TargetTask) -> dict[str, tuple[int, int]]:
    """``(trainable, total)`` parameters of the task's model for each ``UNFREEZE_CHOICES`` label."""
    model = task.new_model()  # one model: each ``unfreeze`` sets every parameter's flag
    return {label: count_parameters(unfreeze(model, stage)) for label, stage in UNFREEZE_CHOICES.items()}


def share_text(part: int, whole: int) -> str:
    """``part / whole`` in percent with 2 significant digits, as notebook 07 prints it: ``"0.35%"``, ``"66%"``."""
    percent = 100 * part / whole
    return f"{percent:.{max(0, 1 - math.floor(math.log10(percent))) if percent > 0 else 0}f}%"


def stages_text(stages: list[str]) -> str:
    """``["layer3", "layer4", "fc"]`` -> ``"layer3, layer4 + the new head fc"`` (what trains, in words)."""
    body = [s for s in stages if s != "fc"]
    return tr("{stages} + the new head fc", stages=", ".join(body)) if body else tr("the new head fc only")


def curve_figure(history: History | dict[str, History], title: str = "", finetune_from: int | None = None,
                 num_epochs: int | None = None, close: bool = True) -> Figure:
    """Loss and accuracy per epoch, with a line where fine-tuning starts and the legend beside the panels.

    Args:
        history: From ``engine.fit`` / ``RunResult.history``, or ``{label: history}``; ``nan`` values
            are not drawn (so a curve can start later than epoch 1).
        title: Figure title.
        finetune_from: Number of head-only epochs before the fine-tuning phase, if any.
        num_epochs: Epochs of the x axis (default: the longest history), e.g. the whole run while it trains.
        close: Close the figure in pyplot, so that drawing it in a widget callback never shows it
            in a cell's output as well (save or ``display`` it yourself).

    Returns:
        The figure.
    """
    histories = {"": history} if "train_loss" in history else history
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10.5, 3.6), layout="constrained")
    for i, (label, h) in enumerate(histories.items()):
        x = np.arange(1, len(h["train_loss"]) + 1)
        for split, ls in (("train", "-"), ("val", "--"), ("test", "--")):
            if len(x) and f"{split}_loss" in h and not np.all(np.isnan(h[f"{split}_loss"])):
                name = f"{label} {'validation' if split == 'val' else split}".strip()
                style = dict(color=f"C{i}", ls=ls, label=name, marker="o" if split == "train" else "s",
                             ms=7 if len(x) == 1 else 3, mfc="white" if split != "train" else None,
                             clip_on=len(x) > 1)                      # epoch 1: a whole point per curve
                ax_loss.plot(x, h[f"{split}_loss"], **style)
                ax_acc.plot(x, h[f"{split}_acc"], **style)
    longest = max(len(h["train_loss"]) for h in histories.values())
    ax_loss.set(xlabel="epoch", ylabel="loss", title="loss\n", ymargin=0.12)      # no point cut by the frame
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy\n", ylim=(0, 1.02))
    for ax in (ax_loss, ax_acc):
        ax.set_xlim(0.5, max(num_epochs or longest, 1) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if finetune_from:
            ax.axvline(finetune_from + 0.5, color="gray", ls=":", lw=1)
            for text, ha in (("head only ", "right"), (" fine-tuning", "left")):
                ax.text(finetune_from + 0.5, 1.01, text, transform=ax.get_xaxis_transform(), fontsize=8,
                        color="gray", va="bottom", ha=ha)
    if ax_loss.lines:
        fig.legend(*ax_loss.get_legend_handles_labels(), loc="outside right upper", fontsize=8)
    fig.suptitle(title)
    if close:
        plt.close(fig)
    return fig


def _png_with_axis(fig: Figure, dpi: int = 90) -> bytes:
    """``fig`` as PNG bytes whose text ``"Description"`` says what it shows: ``{"xlim", "title", "points"}`` (JSON)."""
    info = {"xlim": [round(float(v), 3) for v in fig.axes[0].get_xlim()], "title": fig.get_suptitle(),
            "points": [len(ln.get_xdata()) for ln in fig.axes[0].lines if not ln.get_label().startswith("_")]}
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Description": json.dumps(info)})
    return buf.getvalue()


class TransferTrainer(widgets.VBox):
    """Feature extraction or fine-tuning of a pretrained backbone on ``task``; watch it train.

    Attributes:
        task: The ``experiments.TargetTask`` to train on.
        mode: ToggleButtons, ``MODES`` (class ``tl-mode-toggle``).
        unfreeze: Dropdown, ``UNFREEZE_CHOICES`` labels (``tl-unfreeze``).
        lr, epochs: Dropdown of ``LEARNING_RATES`` (``tl-lr``); IntSlider, 1 to the largest default (``tl-epochs``).
        button: The Train button (``tl-train-button``).
        trainable: HTML "Trainable parameters: N of M (p%): stages" (``tl-trainable``).
        result: HTML "Validation accuracy: 0.xxx (run k)" or "Training..." (``tl-result``).
        details: HTML describing the last run (``tl-details``).
        curve: Image with the train and validation loss/accuracy curves, redrawn during training (``tl-curve``).
        counts: ``trainable_counts(task)``; stages: what trains for each selector label.
        last: The last ``RunResult`` (``None`` before the first run).
        runs, ignored, draws: Finished runs, clicks ignored (made during a run), curve drawings.
        run_lock: The ``controls.RunLock`` of mode, unfreeze, lr and epochs (``refused``: changes put back).
    """

    def __init__(self, task: TargetTask, seed: int = 0, redraw_every_s: float = 0.25):
        """Build the controls in feature-extraction mode.

        Args:
            task: From ``experiments.load_task``, with validation images (without them: ``ValueError``).
            seed: Seed of every run (same settings, same result).
            redraw_every_s: Redraw the live curve at most this often (and after the last epoch).
        """
        task.split("val", "TransferTrainer (it shows validation accuracy)")       # the error says how to load them
        self.task, self.seed, self.redraw_every_s, self.counts = task, seed, redraw_every_s, trainable_counts(task)
        model = task.new_model()                          # one model, unfrozen from each choice in turn
        self.stages = {label: trainable_stages(unfreeze(model, s)) for label, s in UNFREEZE_CHOICES.items()}
        self.last: RunResult | None = None
        self.runs = self.draws = self.ignored = self._ignored_at = 0
        self._last_draw, self._n_epochs, self._n_head, self._phase, self._details = 0.0, 0, 0, "", ""
        self._build(MODE_DEFAULTS[FREEZE])
        self._show_count()

    def _build(self, d: dict[str, Any]) -> None:
        style = {"description_width": "initial"}
        self.mode = widgets.ToggleButtons(options=labelled(MODES), value=FREEZE, style={"button_width": "auto"},
                                          tooltips=[tr("train only the new head on the frozen backbone's features"),
                                                    tr("also train the pretrained stages chosen in 'unfreeze'")])
        self.unfreeze = widgets.Dropdown(options=labelled(UNFREEZE_CHOICES, (HEAD_ONLY, ALL)), value=d["unfreeze"],
                                         description=tr("unfreeze"), style=style, layout={"width": "220px"})
        self.lr = widgets.Dropdown(options=[(f"{v:g}", v) for v in LEARNING_RATES], value=d["lr"],
                                   description=tr("learning rate"), style=style, layout={"width": "180px"})
        self.epochs = widgets.IntSlider(value=d["epochs"], min=1, max=max(m["epochs"] for m in MODE_DEFAULTS.values()),
                                        description=tr("epochs"), style=style, layout={"width": "280px"})
        self.button = widgets.Button(description=tr("Train"), button_style="primary", icon="play",
                                     layout={"width": "110px"})
        self.trainable, self.details = widgets.HTML(), widgets.HTML(layout={"flex": "1 1 auto"})
        self.result = widgets.HTML(tr("Press Train to see the validation accuracy."), layout={"flex": "0 0 auto"})
        self.curve = widgets.Image(format="png", layout={"max_width": "950px"})
        for key in CSS.keys() - {"box"}:
            getattr(self, key).add_class(CSS[key])
        super().__init__([self.mode, widgets.HBox([self.unfreeze, self.lr, self.epochs, self.button]),
                          self.trainable, widgets.HBox([self.result, self.details]), self.curve])
        self.add_class(CSS["box"])
        self.run_lock = RunLock({"mode": self.mode, "unfreeze": self.unfreeze, "lr": self.lr, "epochs": self.epochs},
                                {"mode": self._on_mode, "unfreeze": self._on_unfreeze}, others=(self.button,))
        self.button.on_click(self._on_click)

    def settings(self) -> dict[str, Any]:
        """``experiments.train`` keyword arguments for the current controls (plus ``seed``)."""
        return {**train_kwargs(self.unfreeze.value, self.lr.value, self.epochs.value), "seed": self.seed}

    def trainable_count(self) -> tuple[int, int]:
        """``(trainable, total)`` parameters for the current selector value."""
        return self.counts[self.unfreeze.value]

    def _show_count(self) -> None:
        n, total = self.trainable_count()
        self.trainable.value = tr("Trainable parameters: {n:,} of {total:,} ({share}): {what}", n=n, total=total,
                                  share=share_text(n, total), what=stages_text(self.stages[self.unfreeze.value]))

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

    def _on_click(self, _button: widgets.Button) -> None:
        if self.run() is None:       # a click made during a run: queued until it ended, or handled beside it
            self.ignored += 1
            self._show_ignored()

    def _show_ignored(self) -> None:
        if self.ignored > self._ignored_at:
            note = tr("(ignored {n} click(s) made while it trained)", n=self.ignored - self._ignored_at)
            self.details.value = f"{self._details} {note}"

    def run(self) -> RunResult | None:
        """What the Train button does: ``experiments.train`` with the controls' settings, drawing as it goes; the
        settled settings are read and the controls locked in one step (``RunLock.start``) until the result shows.
        ``None`` (nothing ran) if a run is on already or the browser sent the click while the last one ran."""
        values = self.run_lock.start()
        if values is None:
            return None
        try:
            return self._train(values)
        finally:
            self.run_lock.finish()

    def _train(self, values: dict[str, Any]) -> RunResult:
        """Train with ``values`` (from ``RunLock.start``) and show what ran: curves, accuracy, details."""
        label = values["unfreeze"]
        kwargs = {**train_kwargs(label, values["lr"], values["epochs"]), "seed": self.seed}
        finetune = kwargs["strategy"] == "finetune"
        self._phase, self._n_head = (f"fine-tuning {label}", HEAD_EPOCHS) if finetune else ("feature extraction", 0)
        self._n_epochs, self._last_draw = self._n_head + kwargs["num_epochs"], 0.0
        self.result.value, self.details.value, self._details, self._ignored_at = tr("Training..."), "", "", self.ignored
        try:
            self._draw({"train_loss": []}, f"run {self.runs + 1}, {self._phase}: starting, waiting for the first epoch")
            res = train(self.task, callbacks=[self._on_epoch_end], progress=False, track_val=True, **kwargs)
        except Exception as err:
            self.result.value = tr("Training failed: {kind}: {error}", kind=type(err).__name__, error=err)
            raise
        self.runs, self.last = self.runs + 1, res
        self._draw(res.history, f"run {self.runs}: validation accuracy {res.val_acc:.3f}")
        self.result.value = tr("Validation accuracy: {acc:.3f} (run {run})", acc=res.val_acc, run=self.runs)
        what = N_("trained head first ({head} epochs), then fine-tuned {stages} for {epochs} epochs at lr {lr:g}; "
                  "{trainable:,} trainable; {seconds:.1f} s") if finetune else N_(
            "trained the new head for {epochs} epochs at lr {lr:g}; {trainable:,} trainable; {seconds:.1f} s")
        self._details = self.details.value = "&nbsp;&nbsp;" + tr(what, head=self._n_head, lr=kwargs["lr"],
            stages=stages_text(trainable_stages(res.model)), epochs=kwargs["num_epochs"], trainable=res.trainable,
            seconds=res.seconds)                          # what the last run trained, less any note of ignored clicks
        self._show_ignored()
        return res

    def _on_epoch_end(self, epoch: int, history: History) -> None:
        if epoch + 1 == self._n_epochs or time.perf_counter() - self._last_draw >= self.redraw_every_s:
            self._draw(history, f"run {self.runs + 1}, {self._phase}: epoch {epoch + 1} of {self._n_epochs}")
            self._last_draw = time.perf_counter()

    def _draw(self, history: History, title: str) -> None:
        fig = curve_figure(history, title, self._n_head or None, num_epochs=self._n_epochs)
        self.curve.value = _png_with_axis(fig)
        self.draws += 1
