"""Transfer-learning comparisons on a small target task: from scratch, feature extraction, fine-tuning.

    python -m tl_helpers.experiments --seeds 0 1 2 3 4      # the README's results table

``train`` trains one strategy with one seed on a ``task.TargetTask`` (whose frozen computations are
cached), ``train_seeds`` one configuration with several seeds. ``fine_tune`` is the series' one
fine-tuning recipe (head first, then the unfrozen stages), used here and by the end-to-end workflow of
notebooks 09 and 10. Taught in notebooks 05, 07 and 08.
"""
from __future__ import annotations

import argparse
import copy
import time
from dataclasses import dataclass
from typing import Sequence

import torch
from torch import Tensor, nn

from .config import seed_everything, seed_list
from .engine import Callback, History, progress_bar, per_class_accuracy
from .i18n import tr
from .recipe import FINETUNE_LR, HEAD_EPOCHS, HEAD_LR, NET_EPOCHS, SCRATCH_LR, fine_tune, fit_stage
from .small_cnn import SmallCNN
from .tables import markdown_table, mean_std, pm, t_interval
from .task import TargetTask, load_task
from .transfer import count_parameters, unfreeze

STRATEGIES = ("scratch", "frozen", "finetune")
#: Networks a ``"scratch"`` run can train: the task's ResNet, or ``small_cnn.SmallCNN``.
SCRATCH_ARCHS = ("resnet", "small_cnn")


@dataclass
class RunResult:
    """One training run: the model, its history and its scores.

    ``val_acc`` is the validation accuracy of the returned model (``None`` when the task has no validation
    images); with ``select="val"`` the model is the state of its best validation epoch, ``best_epoch``.
    ``last_state`` is the state dict after the last epoch, kept only when asked (``train(keep_last=True)``).
    """

    strategy: str
    seed: int
    model: nn.Module
    history: History
    test_acc: float
    trainable: int
    total: int
    preds: Tensor
    targets: Tensor
    seconds: float
    val_acc: float | None = None
    best_epoch: int | None = None
    last_state: dict | None = None

    def per_class(self, num_classes: int) -> Tensor:
        return per_class_accuracy(self.preds, self.targets, num_classes)


def train(task: TargetTask, strategy: str = "frozen", seed: int = 0, num_epochs: int | None = None,
          lr: float | None = None, unfreeze_from: str | None = None, dropout: float | None = None,
          head_first: bool = True, weight_decay: float = 0.0, callbacks: Sequence[Callback] = (),
          progress: bool | None = None, train_transform=None, head_lr: float | None = None,
          track_test: bool = False, select: str | None = None, head_epochs: int = HEAD_EPOCHS,
          schedule: str | None = None, arch: str = "resnet", keep_last: bool = False,
          track_val: bool = False) -> RunResult:
    """Train a model for the task with one strategy.

    Args:
        task: From ``load_task``.
        strategy: ``"frozen"`` (feature extraction: train the new head only), ``"finetune"``
            (``fine_tune``: head first, then ``unfreeze_from`` on, by default every layer) or
            ``"scratch"`` (random weights, every layer trains).
        seed: Seed of the head initialisation, shuffling and dropout.
        num_epochs: Epochs (default: ``HEAD_EPOCHS`` for the head, else ``NET_EPOCHS``, after the head's).
        lr: Adam learning rate (defaults: ``HEAD_LR``, ``FINETUNE_LR``, ``SCRATCH_LR``).
        unfreeze_from: For ``"finetune"``: first trainable stage (``"stem"``/``"all"`` ... ``"layer4"``).
        dropout: Dropout before the new linear head.
        head_first: For ``"finetune"``: train the head on the frozen backbone first (``fine_tune``).
        weight_decay: Decoupled weight decay (AdamW; for ``"finetune"`` in the phase after the head's); 0: Adam.
        callbacks: ``fit`` callbacks, called after each epoch with ``(epoch, history)``.
        progress: Show progress bars (default: off in quick mode).
        train_transform: Training-time augmentation, e.g. ``data.train_transforms``; the images then
            pass through the whole network every epoch (not in the head-first phase).
        head_lr: Learning rate of the new head while ``lr`` trains the backbone layers.
        track_test: Also score the test set after every epoch, for a learning curve (default: only once, at
            the end: scoring 1,000 images after every epoch used to cost more than the training itself).
        select: ``"val"``: score the validation images after every epoch and return the model of the best
            epoch (early stopping chosen on validation data, never on the test set); ``None``: the last epoch.
        head_epochs: For ``"finetune"`` with ``head_first``: epochs of the head-first phase.
        schedule: Learning-rate schedule (``recipe.SCHEDULES``) of the whole-network epochs (for ``"finetune"``:
            of the phase after the head's).
        arch: For ``"scratch"``: ``"resnet"`` (the backbone's architecture, randomly initialised) or
            ``"small_cnn"`` (``small_cnn.SmallCNN``, a network of the size trained from scratch on small images).
        keep_last: Also keep the state dict after the last epoch (``RunResult.last_state``), e.g. to compare
            runs at an equal number of steps when ``select="val"`` returns each at its own best epoch.
        track_val: Score the validation images after every epoch, for a learning curve (history key
            ``val_acc``), without selecting an epoch: the model is still the last epoch's. Needs a task with
            validation images. Scoring never changes what trains.

    Returns:
        The run's result.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}.")
    if arch not in SCRATCH_ARCHS or (arch != "resnet" and (strategy != "scratch" or dropout is not None)):
        raise ValueError(f"arch must be one of {SCRATCH_ARCHS}, and 'small_cnn' only with strategy 'scratch' and no "
                         f"dropout (it has no pretrained weights and no dropout layer); got arch={arch!r}, "
                         f"strategy={strategy!r}, dropout={dropout!r}.")
    start = time.perf_counter()
    seed_everything(seed)
    if arch == "small_cnn":
        model = SmallCNN(task.num_classes)
    else:
        model = task.new_model(pretrained=strategy != "scratch", dropout=dropout)
    stage = {"frozen": "fc", "scratch": "stem"}.get(strategy, unfreeze_from or "stem")
    stage = "stem" if stage == "all" else stage
    _check_select(task, select, track_val)
    track = {"track_test": track_test, "track_val": track_val or select == "val"}
    data = task.stage_data(model, stage, seed, train_transform, **track)
    best = BestEpoch(model) if select == "val" else None
    kw = {"weight_decay": weight_decay, "callbacks": [*callbacks, *([best] if best else [])], "progress": progress,
          "schedule": schedule}
    if strategy == "finetune":
        head_data = task.stage_data(model, "fc", seed, **track) if head_first else None
        history = fine_tune(model, head_data, data, num_epochs or NET_EPOCHS, lr or FINETUNE_LR, stage,
                            head_epochs, head_lr, **kw)
    else:
        if arch == "resnet":                       # SmallCNN: every layer trains
            unfreeze(model, stage)
        epochs, default_lr = (HEAD_EPOCHS, HEAD_LR) if strategy == "frozen" else (NET_EPOCHS, SCRATCH_LR)
        history = fit_stage(data, num_epochs or epochs, lr or default_lr, head_lr, model.fc, **kw)
    last_state = copy.deepcopy(model.state_dict()) if keep_last else None
    if best is not None:
        model.load_state_dict(best.state)
    preds, targets = task.predict(model, stage)
    val_acc = best.score if best else (_accuracy(*task.predict(model, stage, "val")) if task.val_ds else None)
    trainable, total = count_parameters(model)
    return RunResult(strategy, seed, model, history, _accuracy(preds, targets), trainable, total, preds, targets,
                     time.perf_counter() - start, val_acc, best.epoch if best else None, last_state)


def _check_select(task: TargetTask, select: str | None, track_val: bool = False) -> None:
    if select not in (None, "val"):
        raise ValueError(f"select must be 'val' or None, not {select!r}.")
    if select == "val" or track_val:            # without validation images: the error says how to get them
        task.split("val", "select='val'" if select == "val" else "track_val=True")


def _accuracy(preds: Tensor, targets: Tensor) -> float:
    return (preds == targets).float().mean().item()


class BestEpoch:
    """A ``fit`` callback that keeps, in memory, the model's state at its best validation accuracy so far."""

    def __init__(self, model: nn.Module) -> None:
        self.model, self.score, self.epoch, self.state = model, -1.0, 0, None

    def __call__(self, epoch: int, history: dict) -> None:
        if history["val_acc"][-1] > self.score:
            self.score, self.epoch = history["val_acc"][-1], epoch + 1
            self.state = copy.deepcopy(self.model.state_dict())


def train_seeds(task: TargetTask, strategy: str = "frozen", seeds: int | Sequence[int] = 5,
                progress: bool | None = None, **kwargs) -> list[RunResult]:
    """One configuration trained with several seeds: ``[RunResult per seed]``, in the order of ``seeds``.

    Each seed is the run ``train(task, strategy, seed, **kwargs)`` would give, bit for bit: the seeds differ in
    the new head's initialisation, the batch order and dropout, so comparing two configurations seed by seed
    (``tables.paired_interval``) isolates the one setting they differ in. The frozen computations (features,
    transformed images) are computed once and shared by all seeds.

    Args:
        task: From ``load_task``.
        strategy: ``"frozen"``, ``"finetune"`` or ``"scratch"`` (see ``train``).
        seeds: How many (``5``: seeds 0-4) or which seeds.
        progress: A bar over the seeds (default: on, except in quick mode); the runs themselves show none.
        **kwargs: The configuration, as for ``train``.
    """
    return [train(task, strategy, seed, progress=False, **kwargs)
            for seed in progress_bar(seed_list(seeds), progress, desc=tr("{strategy}: seeds", strategy=strategy))]


def compare(task: TargetTask, strategies: Sequence[str] = STRATEGIES, seeds: int | Sequence[int] = (0, 1, 2),
            **kwargs) -> dict[str, list[RunResult]]:
    """Run each strategy with each seed: ``{strategy: [result per seed]}`` (``train_seeds`` per strategy)."""
    return {s: train_seeds(task, s, seeds, **kwargs) for s in strategies}


TRAIN_BATCH_SIZE = 32   #: images per training batch in ``TargetTask.stage_data`` (for counting steps)


def summarize(task: TargetTask, results: dict[str, list[RunResult]]) -> list[dict]:
    """Test accuracy per strategy, overall and on seen / new classes, as ``(mean, std)`` over seeds.

    Returns:
        Rows ``{"strategy", "val" (``None`` without validation images), "test", "test_ci" (mean and t-based
        95 % interval), "seen", "new", "trainable", "seconds" (mean per run), "seeds"}``; the others ``(mean, std)``.
    """
    seen = torch.tensor(task.seen_classes())
    rows = []
    for name, runs in results.items():
        per_class = torch.stack([r.per_class(task.num_classes) for r in runs])
        val = [r.val_acc for r in runs if r.val_acc is not None]
        tests = [r.test_acc for r in runs]
        rows.append({"strategy": name, "val": mean_std(val) if val else None, "test": mean_std(tests),
                     "test_ci": t_interval(tests) if len(tests) > 1 else None,
                     "seen": mean_std(per_class[:, seen].mean(1).tolist()),
                     "new": mean_std(per_class[:, ~seen].mean(1).tolist()),
                     "trainable": runs[0].trainable, "seconds": mean_std(r.seconds for r in runs)[0],
                     "seeds": len(runs)})
    return rows


def format_table(rows: list[dict]) -> str:
    """A Markdown table of ``summarize`` rows."""
    header = (tr("strategy"), tr("validation accuracy"), tr("test accuracy"), tr("test: 95 % CI of the mean"),
              tr("test: seen classes"), tr("test: new classes"), tr("trainable params"), tr("s per run"))
    return markdown_table(header, [(r["strategy"], pm(r["val"]) if r.get("val") else "–", pm(r["test"]),
                                    "[{1:.3f}, {2:.3f}]".format(*r["test_ci"]) if r.get("test_ci") else "–", pm(r["seen"]), pm(r["new"]),
                                    f"{r['trainable']:,}", f"{r['seconds']:.1f}") for r in rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scratch vs frozen vs fine-tuned on the bundled target set.")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--source", default="bundled")
    args = ap.parse_args(argv)
    task = load_task(args.source)
    rows = summarize(task, compare(task, seeds=args.seeds))
    print(f"{len(task.train_ds)} training / {len(task.test_ds)} test images, {task.num_classes} classes, "
          f"seeds {args.seeds}")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
