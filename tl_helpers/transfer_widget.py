"""The feature-extraction / fine-tuning widget of notebook 07: try both kinds of transfer learning yourself.

``TransferTrainer(task)`` is an ``ipywidgets.VBox``: a toggle ``FREEZE`` / ``FINETUNE``; a Dropdown saying how
much of the backbone to unfreeze (the one control that says how much trains); learning rate, epochs and a Train
button; "Trainable parameters: N of M (p%): which stages"; "Test accuracy: 0.xxx (run k)" ("Training..." while
it runs); and a live loss/accuracy curve whose x axis spans the whole run (head phase plus fine-tuning) from its
first drawing. While a run trains every control is disabled, and a click made during the run is ignored, whether
the kernel hands it over during the run (JupyterLab sends widget messages to a kernel subshell) or after it.

Behind the Train button is ``experiments.train``: ``settings()`` turns the controls into its keyword arguments,
so a cell can call ``train`` with the same settings and check the widget. The widgets carry CSS classes (``CSS``).
"""
from __future__ import annotations

import io
import json
import threading
import time
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .engine import History
from .experiments import RunResult, TargetTask, train
from .recipe import FINETUNE_LR, HEAD_EPOCHS, HEAD_LR, NET_EPOCHS
from .resnet import STAGES
from .transfer import count_parameters, trainable_stages, unfreeze

FREEZE = "feature extraction (frozen backbone)"
FINETUNE = "fine-tuning (unfrozen stages)"
MODES: tuple[str, str] = (FREEZE, FINETUNE)

#: Stage selector: label -> first trainable stage (``experiments.train``'s ``unfreeze_from``).
HEAD_ONLY, ALL = "none (head only)", "all"
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
CSS: dict[str, str] = {
    "box": "tl-transfer-trainer", "mode": "tl-mode-toggle", "unfreeze": "tl-unfreeze", "lr": "tl-lr",
    "epochs": "tl-epochs", "button": "tl-train-button", "trainable": "tl-trainable",
    "result": "tl-result", "details": "tl-details", "curve": "tl-curve",
}


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
    return {label: count_parameters(unfreeze(task.new_model(), stage)) for label, stage in UNFREEZE_CHOICES.items()}


def stages_text(stages: list[str]) -> str:
    """``["layer3", "layer4", "fc"]`` -> ``"layer3, layer4 + the new head fc"`` (what trains, in words)."""
    body = [s for s in stages if s != "fc"]
    return ", ".join(body) + " + the new head fc" if body else "the new head fc only"


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
                name = f"{label} {split}".strip()
                ax_loss.plot(x, h[f"{split}_loss"], color=f"C{i}", ls=ls, label=name)
                ax_acc.plot(x, h[f"{split}_acc"], color=f"C{i}", ls=ls, label=name)
    longest = max(len(h["train_loss"]) for h in histories.values())
    ax_loss.set(xlabel="epoch", ylabel="loss", title="loss\n")
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
    """``fig`` as PNG bytes that record its x axis (PNG text ``"Description"``: ``{"xlim": [lo, hi]}``)."""
    info = {"xlim": [round(float(v), 3) for v in fig.axes[0].get_xlim()], "title": fig.get_suptitle()}
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Description": json.dumps(info)})
    return buf.getvalue()


def _click_sent_at() -> float | None:
    """When the browser sent the click being handled (its clock, s; from the message's header), else None."""
    try:
        from IPython import get_ipython
        kernel = getattr(get_ipython(), "kernel", None)
        header = kernel.get_parent("shell").get("header", {}) if kernel is not None else {}
    except Exception:                     # no kernel (plain Python, tests) or an older ipykernel
        return None
    date = header.get("date")
    return date.timestamp() if header.get("msg_type") == "comm_msg" and hasattr(date, "timestamp") else None


class TransferTrainer(widgets.VBox):
    """Feature extraction or fine-tuning of a pretrained backbone on ``task``; watch it train.

    Attributes:
        task: The ``experiments.TargetTask`` to train on.
        mode: ToggleButtons, ``MODES`` (class ``tl-mode-toggle``).
        unfreeze: Dropdown, ``UNFREEZE_CHOICES`` labels (``tl-unfreeze``).
        lr: Dropdown of ``LEARNING_RATES`` (``tl-lr``).
        epochs: IntSlider, 1 to the largest default (``tl-epochs``).
        button: The Train button (``tl-train-button``).
        trainable: HTML "Trainable parameters: N of M (p%): stages" (``tl-trainable``).
        result: HTML "Test accuracy: 0.xxx (run k)" or "Training..." (``tl-result``).
        details: HTML describing the last run (``tl-details``).
        curve: Image with the loss/accuracy curves, redrawn during training (``tl-curve``).
        counts: ``trainable_counts(task)``; stages: what trains for each selector label.
        last: The last ``RunResult`` (``None`` before the first run).
        runs, ignored, draws: Finished runs, clicks ignored (made during a run), curve drawings.
    """

    def __init__(self, task: TargetTask, seed: int = 0, redraw_every_s: float = 0.25):
        """Build the controls in feature-extraction mode.

        Args:
            task: From ``experiments.load_task``.
            seed: Seed of every run (same settings, same result).
            redraw_every_s: Redraw the live curve at most this often (and after the last epoch).
        """
        self.task, self.seed, self.redraw_every_s = task, seed, redraw_every_s
        self.counts = trainable_counts(task)
        model = task.new_model()
        self.stages = {label: trainable_stages(unfreeze(model, s)) for label, s in UNFREEZE_CHOICES.items()}
        self.last: RunResult | None = None
        self.runs = self.draws = self.ignored = 0
        self._last_draw, self._n_epochs, self._n_head, self._phase = 0.0, 0, 0, ""
        self._busy_until, self._running, self._ignored_at = -float("inf"), threading.Lock(), 0
        self._build(MODE_DEFAULTS[FREEZE])
        self._show_count()

    def _build(self, d: dict[str, Any]) -> None:
        style = {"description_width": "initial"}
        self.mode = widgets.ToggleButtons(options=list(MODES), value=FREEZE, style={"button_width": "auto"},
                                          tooltips=["train only the new head on the frozen backbone's features",
                                                    "also train the pretrained stages chosen in 'unfreeze'"])
        self.unfreeze = widgets.Dropdown(options=list(UNFREEZE_CHOICES), value=d["unfreeze"],
                                         description="unfreeze", style=style, layout={"width": "220px"})
        self.lr = widgets.Dropdown(options=[(f"{v:g}", v) for v in LEARNING_RATES], value=d["lr"],
                                   description="learning rate", style=style, layout={"width": "180px"})
        top = max(m["epochs"] for m in MODE_DEFAULTS.values())
        self.epochs = widgets.IntSlider(value=d["epochs"], min=1, max=top, description="epochs", style=style,
                                        layout={"width": "280px"})
        self.button = widgets.Button(description="Train", button_style="primary", icon="play",
                                     layout={"width": "110px"})
        self.trainable, self.details = widgets.HTML(), widgets.HTML(layout={"flex": "1 1 auto"})
        self.result = widgets.HTML("Press Train to see the test accuracy.", layout={"flex": "0 0 auto"})
        self.curve = widgets.Image(format="png", layout={"max_width": "950px"})
        for key in CSS.keys() - {"box"}:
            getattr(self, key).add_class(CSS[key])
        super().__init__([self.mode, widgets.HBox([self.unfreeze, self.lr, self.epochs, self.button]),
                          self.trainable, widgets.HBox([self.result, self.details]), self.curve])
        self.add_class(CSS["box"])
        self.mode.observe(self._on_mode, names="value")
        self.unfreeze.observe(self._on_unfreeze, names="value")
        self.button.on_click(self._on_click)

    def settings(self) -> dict[str, Any]:
        """``experiments.train`` keyword arguments for the current controls (plus ``seed``)."""
        return {**train_kwargs(self.unfreeze.value, self.lr.value, self.epochs.value), "seed": self.seed}

    def trainable_count(self) -> tuple[int, int]:
        """``(trainable, total)`` parameters for the current selector value."""
        return self.counts[self.unfreeze.value]

    def _show_count(self) -> None:
        n, total = self.trainable_count()
        what = stages_text(self.stages[self.unfreeze.value])
        self.trainable.value = f"Trainable parameters: {n:,} of {total:,} ({n / total:.1%}): {what}"

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
        sent = _click_sent_at()      # a click made during a run: queued until it ended, or handled beside it
        if (sent is not None and sent < self._busy_until) or not self._running.acquire(blocking=False):
            self.ignored += 1
            return self._show_ignored()
        start = time.time()
        try:
            self.run()
        finally:
            self._running.release()
            self._busy_until = sent + time.time() - start if sent is not None else self._busy_until

    def _show_ignored(self) -> None:
        if self.ignored > self._ignored_at:
            note = f" (ignored {self.ignored - self._ignored_at} click(s) made while it trained)"
            self.details.value = self.details.value.split(" (ignored")[0] + note

    def _lock(self, locked: bool) -> None:
        self.mode.disabled = self.unfreeze.disabled = self.lr.disabled = self.epochs.disabled = locked
        self.button.disabled = locked

    def run(self) -> RunResult:
        """What the Train button does: ``experiments.train`` with ``settings()``, drawing as it goes."""
        kwargs, label = self.settings(), self.unfreeze.value
        finetune = kwargs["strategy"] == "finetune"
        self._phase, self._n_head = (f"fine-tuning {label}", HEAD_EPOCHS) if finetune else ("feature extraction", 0)
        self._n_epochs, self._last_draw = self._n_head + kwargs["num_epochs"], 0.0
        self._lock(True)
        self.result.value, self.details.value, self._ignored_at = "Training...", "", self.ignored
        try:
            self._draw({"train_loss": []}, f"run {self.runs + 1}, {self._phase}: starting")
            res = train(self.task, callbacks=[self._on_epoch_end], progress=False, **kwargs)
        except Exception as err:
            self.result.value = f"Training failed: {type(err).__name__}: {err}"
            raise
        finally:
            self._lock(False)
        self.runs, self.last = self.runs + 1, res
        self._draw(res.history, f"run {self.runs}: test accuracy {res.test_acc:.3f}")
        self.result.value = f"Test accuracy: {res.test_acc:.3f} (run {self.runs})"
        what = (f"head first ({self._n_head} epochs), then fine-tuned {stages_text(trainable_stages(res.model))} "
                f"for {kwargs['num_epochs']} epochs" if finetune else f"the new head for {kwargs['num_epochs']} epochs")
        self.details.value = (f"&nbsp;&nbsp;trained {what} at lr {kwargs['lr']:g}; "
                              f"{res.trainable:,} trainable; {res.seconds:.1f} s")
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
