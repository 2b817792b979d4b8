"""Transfer-learning experiments on a small target task: from scratch, frozen backbone, fine-tuned.

    python -m tl_helpers.experiments --seeds 0 1 2      # the README's results table

A ``TargetTask`` holds the pretrained backbone and the target data. Anything computed by a
frozen part of the network (pooled features, or the activations entering the first trainable
stage) is computed once and cached, so training only what is unfrozen costs little per epoch.
"""
from __future__ import annotations

import argparse
import copy
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import torch
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset

from .config import pick, seed_everything
from .data import ImageFolderDataset, bundled_dataset_dir, folder_name, make_loader, subset_per_class
from .engine import History, evaluate, feature_loader, fit, per_class_accuracy, predict
from .models import STAGES, count_parameters, replace_head, unfreeze
from .weights import build_model, load_backbone
from .workflow import param_groups, with_transform

#: Default settings per strategy: epochs (quick, full), learning rate.
HEAD_EPOCHS = pick(30, 60)
NET_EPOCHS = pick(12, 30)
HEAD_LR = 3e-3
FINETUNE_LR = 3e-4
SCRATCH_LR = 1e-3
STRATEGIES = ("scratch", "frozen", "finetune")


def split_at(model: nn.Module, stage: str) -> tuple[nn.Sequential, nn.Sequential]:
    """Cut a ResNet before ``stage``: ``(frozen prefix, trainable suffix)``; they share parameters.

    Cutting before ``"fc"`` puts the global pooling in the prefix, so its output is the pooled features.
    """
    parts = [("stem", nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool)),
             *[(f"layer{i}", getattr(model, f"layer{i}")) for i in range(1, 5)],
             ("pool", nn.Sequential(model.avgpool, nn.Flatten(1))), ("fc", model.fc)]
    cut = [name for name, _ in parts].index(stage)
    return nn.Sequential(*[m for _, m in parts[:cut]]), nn.Sequential(*[m for _, m in parts[cut:]])


@dataclass
class TargetTask:
    """A pretrained backbone plus a target dataset, with caches of frozen computations.

    Attributes:
        backbone: The pretrained network, still with its source head (never trained here).
        weights: Its weights entry (``transforms()``, ``meta["categories"]``).
        train_ds: Target training images (transformed tensors).
        test_ds: Target test images.
        classes: Target class names.
    """

    backbone: nn.Module
    weights: object
    train_ds: Dataset
    test_ds: Dataset
    classes: list[str]
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def seen_classes(self) -> list[bool]:
        """For each target class: was it one of the backbone's source (pretraining) classes?"""
        source = {folder_name(c) for c in self.weights.meta["categories"]}
        return [folder_name(c) in source for c in self.classes]

    def new_model(self, pretrained: bool = True, dropout: float | None = None) -> nn.Module:
        """A copy of the backbone (or the same architecture, randomly initialised) with a new head."""
        if pretrained:
            model = copy.deepcopy(self.backbone)
        else:
            width = getattr(self.weights, "width", 64)
            model = build_model("resnet50", width, num_classes=1)
        return replace_head(model, self.num_classes, dropout=dropout)

    def activations(self, stage: str, split: str) -> tuple[Tensor, Tensor]:
        """Cached output of the frozen pretrained part before ``stage`` (``"fc"``: pooled features)."""
        key = (stage, split)
        if key not in self._cache:
            prefix, _ = split_at(self.backbone, stage)
            prefix.eval()
            ds = self.train_ds if split == "train" else self.test_ds
            xs, ys = [], []
            with torch.no_grad():  # not inference_mode: cached tensors are training inputs
                for x, y in make_loader(ds, batch_size=100):
                    xs.append(prefix(x))
                    ys.append(y)
            self._cache[key] = (torch.cat(xs), torch.cat(ys))
        return self._cache[key]


def load_task(source: str = "bundled", root: str | Path | None = None, n_per_class: int | None = None,
              train_splits: Sequence[str] = ("train",), seed: int = 0, verbose: bool = True) -> TargetTask:
    """Load a backbone and a target dataset in ImageFolder layout.

    Args:
        source: Backbone for ``weights.load_backbone`` (``"bundled"``, ``"imagenet"``, ``"auto"``).
        root: Dataset root with ``train/`` and ``test/`` (default: the bundled 10-class set).
        n_per_class: Keep only this many training images per class (seeded pick).
        train_splits: Sub-folders pooled as training data, e.g. ``("train", "extra")``.
        seed: Seed of the ``n_per_class`` pick.
        verbose: Print which backbone is used.

    Returns:
        The task.
    """
    backbone, weights = load_backbone(source, verbose=verbose)
    backbone.eval()
    root = Path(root) if root is not None else bundled_dataset_dir()
    tf = weights.transforms()
    parts = [ImageFolderDataset(root / s, tf, verbose=verbose) for s in train_splits]
    for p in parts[1:]:
        if p.classes != parts[0].classes:
            raise ValueError(f"{p.root} has other classes than {parts[0].root}.")
    train_ds: Dataset = parts[0]
    if len(parts) > 1:
        merged = copy.copy(parts[0])
        merged.samples = [s for p in parts for s in p.samples]
        merged.targets = [t for p in parts for t in p.targets]
        train_ds = merged
    if n_per_class is not None:
        train_ds = subset_per_class(train_ds, n_per_class, seed)
    test_ds = ImageFolderDataset(root / "test", tf, classes=parts[0].classes, verbose=verbose)
    return TargetTask(backbone, weights, train_ds, test_ds, parts[0].classes)


def subset_task(task: TargetTask, n_per_class: int, seed: int = 0) -> TargetTask:
    """The same task with only ``n_per_class`` training images per class (for label-count curves).

    Picks the same images as ``load_task(n_per_class=n_per_class, seed=seed)`` with the same
    ``train_splits`` would, but shares the backbone and the cached test activations computed so far,
    so only the few training images pass through the backbone again.

    Args:
        task: A task whose training set holds at least ``n_per_class`` images of every class.
        n_per_class: Training images kept per class.
        seed: Seed of the pick.

    Returns:
        A new task.
    """
    sub = TargetTask(task.backbone, task.weights, subset_per_class(task.train_ds, n_per_class, seed),
                     task.test_ds, task.classes)
    sub._cache.update({key: value for key, value in task._cache.items() if key[1] == "test"})
    return sub


@dataclass
class RunResult:
    """One training run: the model, its history and its test scores."""

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

    def per_class(self, num_classes: int) -> Tensor:
        return per_class_accuracy(self.preds, self.targets, num_classes)


def train(task: TargetTask, strategy: str = "frozen", seed: int = 0, num_epochs: int | None = None,
          lr: float | None = None, unfreeze_from: str | None = None, dropout: float | None = None,
          head_first: bool | None = None, weight_decay: float = 0.0,
          on_epoch_end: Callable[[int, History], None] | None = None, progress: bool | None = None,
          train_transform: Callable | None = None, head_lr: float | None = None,
          track_test: bool = True) -> RunResult:
    """Train a model for the task with one strategy.

    Args:
        task: From ``load_task``.
        strategy: ``"frozen"`` (transfer learning: train the new head only),
            ``"finetune"`` (start from the pretrained weights and train from ``unfreeze_from`` on,
            by default every layer) or ``"scratch"`` (random weights, every layer trains).
        seed: Seed of the head initialisation, shuffling and dropout.
        num_epochs: Epochs (default: ``HEAD_EPOCHS`` for the head, ``NET_EPOCHS`` otherwise).
        lr: Adam learning rate (defaults: ``HEAD_LR``, ``FINETUNE_LR``, ``SCRATCH_LR``).
        unfreeze_from: For ``"finetune"``: first trainable stage (``"stem"``/``"all"`` ...
            ``"layer4"``; ``"fc"`` is the same as ``"frozen"``).
        dropout: Dropout before the new linear head.
        head_first: For ``"finetune"``: first train the head on the frozen backbone, so the
            random head's large gradients do not disturb the pretrained layers (default: on).
        weight_decay: Adam weight decay.
        on_epoch_end: Called after each epoch with ``(epoch, history)``.
        progress: Show progress bars (default: off in quick mode).
        train_transform: Training-time transforms, e.g. augmentation from ``workflow.train_transforms``.
            The training images then pass through the frozen layers every epoch (no cache: the
            input changes each time); test images still use the cache. Not used by the head-first stage.
        head_lr: Learning rate of the new head while ``lr`` trains the backbone layers
            (discriminative learning rates; default: the head uses ``lr`` too).
        track_test: Score the test set after every epoch (``False``: only once at the end, faster;
            the history's test values are then ``nan``).

    Returns:
        The run's result.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}.")
    start = time.perf_counter()
    seed_everything(seed)
    pretrained = strategy != "scratch"
    model = task.new_model(pretrained=pretrained, dropout=dropout)
    stage = {"frozen": "fc", "scratch": "stem"}.get(strategy, unfreeze_from or "stem")
    stage = "stem" if stage == "all" else stage
    if stage not in STAGES:
        raise ValueError(f"Unknown stage {unfreeze_from!r}; choose one of {STAGES}.")
    unfreeze(model, stage)
    extra = {"train_transform": train_transform, "head_lr": head_lr, "track_test": track_test}
    if strategy == "frozen":
        history = _fit_from(task, model, "fc", seed, num_epochs or HEAD_EPOCHS, lr or HEAD_LR,
                            weight_decay, on_epoch_end, progress, **extra)
    elif strategy == "scratch":
        history = _fit_from(task, model, "stem", seed, num_epochs or NET_EPOCHS, lr or SCRATCH_LR,
                            weight_decay, on_epoch_end, progress, **extra)
    else:
        history = {}
        if head_first is None or head_first:
            history = _fit_from(task, model, "fc", seed, HEAD_EPOCHS, HEAD_LR, weight_decay, None, progress)
        h = _fit_from(task, model, stage, seed, num_epochs or NET_EPOCHS, lr or FINETUNE_LR,
                      weight_decay, on_epoch_end, progress, **extra)
        history = {k: history.get(k, []) + v for k, v in h.items()}
    preds, targets = _predict_from(task, model, stage if pretrained else "stem")
    trainable, total = count_parameters(model)
    return RunResult(strategy, seed, model, history, (preds == targets).float().mean().item(),
                     trainable, total, preds, targets, time.perf_counter() - start)


def _fit_from(task: TargetTask, model: nn.Module, stage: str, seed: int, num_epochs: int, lr: float,
              weight_decay: float, on_epoch_end, progress, train_transform: Callable | None = None,
              head_lr: float | None = None, track_test: bool = True) -> History:
    """Train ``model`` from ``stage`` on; a frozen part before ``stage`` is replaced by its cached output.

    With ``train_transform`` the whole model sees the (augmented) training images; the test set
    is still scored on the cached activations, by the trainable part alone.
    """
    images = task.train_ds if train_transform is None else with_transform(task.train_ds, train_transform)
    if stage == "stem":
        net: nn.Module = model
        train_loader = make_loader(images, 32, shuffle=True, seed=seed)
        test_loader = make_loader(task.test_ds, 200)
    else:
        net = split_at(model, stage)[1]
        train_loader = (make_loader(images, 32, shuffle=True, seed=seed) if train_transform is not None else
                        feature_loader(*task.activations(stage, "train"), batch_size=32, shuffle=True, seed=seed))
        test_loader = feature_loader(*task.activations(stage, "test"), batch_size=500)
    opt = torch.optim.Adam(param_groups(net, lr, head_lr, head=model.fc), weight_decay=weight_decay)
    if train_transform is None or stage == "stem":
        return fit(net, train_loader, test_loader if track_test else None, opt, num_epochs,
                   progress=progress, on_epoch_end=on_epoch_end)

    def score_test(epoch: int, history: History) -> None:   # the trainable part, on cached test input
        if track_test:
            history["test_loss"][-1], history["test_acc"][-1] = evaluate(net, test_loader)
        if on_epoch_end is not None:
            on_epoch_end(epoch, history)

    return fit(model, train_loader, None, opt, num_epochs, progress=progress, on_epoch_end=score_test)


def _predict_from(task: TargetTask, model: nn.Module, stage: str) -> tuple[Tensor, Tensor]:
    """Test-set predictions; a frozen part before ``stage`` is replaced by its cached output."""
    if stage == "stem":
        preds, _, targets = predict(model, make_loader(task.test_ds, 200))
        return preds, targets
    acts, targets = task.activations(stage, "test")
    preds, _, _ = predict(split_at(model, stage)[1], feature_loader(acts, targets, batch_size=500))
    return preds, targets


def compare(task: TargetTask, strategies: Sequence[str] = STRATEGIES, seeds: Sequence[int] = (0, 1, 2),
            **kwargs) -> dict[str, list[RunResult]]:
    """Run each strategy with each seed: ``{strategy: [result per seed]}``."""
    return {s: [train(task, s, seed, **kwargs) for seed in seeds] for s in strategies}


def label_count_curve(task: TargetTask, counts: Sequence[int], strategies: Sequence[str] = ("scratch", "frozen"),
                      seeds: Sequence[int] = (0, 1), **kwargs) -> dict[str, dict[int, list[float]]]:
    """Test accuracy against the number of labelled training images per class.

    Each seed picks its own images (``subset_task``) and trains with that seed.

    Args:
        task: A task with at least ``max(counts)`` training images per class.
        counts: Labelled images per class to try.
        strategies: Strategies of ``train``.
        seeds: Seeds (image pick and training).
        **kwargs: Passed to ``train`` (e.g. ``track_test=False``, ``num_epochs``).

    Returns:
        ``{strategy: {count: [test accuracy per seed]}}``.
    """
    curve: dict[str, dict[int, list[float]]] = {s: {n: [] for n in counts} for s in strategies}
    if "frozen" in strategies:
        task.activations("fc", "test")      # computed once here, shared by every subset task
    for n in counts:
        for seed in seeds:
            sub = subset_task(task, n, seed)
            for s in strategies:
                curve[s][n].append(train(sub, s, seed, **kwargs).test_acc)
    return curve


def plot_label_curve(curve: dict[str, dict[int, list[float]]], title: str | None = None):
    """Mean test accuracy (± one std band) against labelled images per class, log x axis; returns the figure."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for i, (name, by_n) in enumerate(curve.items()):
        ns = sorted(by_n)
        accs = [torch.tensor(by_n[n]) for n in ns]
        mean = torch.stack([a.mean() for a in accs]).numpy()
        std = torch.stack([a.std() if len(a) > 1 else torch.tensor(0.0) for a in accs]).numpy()
        ax.plot(ns, mean, "o-", color=f"C{i}", label=name)
        ax.fill_between(ns, mean - std, mean + std, color=f"C{i}", alpha=0.2)
    ax.set_xscale("log")
    ax.set_xticks(ns, [str(n) for n in ns])
    ax.set(xlabel="labelled training images per class (log scale)", ylabel="test accuracy", ylim=(0, 1))
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def summarize(task: TargetTask, results: dict[str, list[RunResult]]) -> list[dict]:
    """Mean and std of test accuracy per strategy, overall and for seen / new classes."""
    seen = torch.tensor(task.seen_classes())
    rows = []
    for name, runs in results.items():
        per_class = torch.stack([r.per_class(task.num_classes) for r in runs])
        seen_acc = per_class[:, seen].mean(1).tolist()
        new_acc = per_class[:, ~seen].mean(1).tolist()
        accs = [r.test_acc for r in runs]
        sd = (lambda v: statistics.stdev(v) if len(v) > 1 else 0.0)
        rows.append({"strategy": name, "mean": statistics.mean(accs), "std": sd(accs),
                     "seen_mean": statistics.mean(seen_acc), "seen_std": sd(seen_acc),
                     "new_mean": statistics.mean(new_acc), "new_std": sd(new_acc),
                     "trainable": runs[0].trainable, "seconds": statistics.mean(r.seconds for r in runs),
                     "seeds": len(runs)})
    return rows


def format_table(rows: list[dict]) -> str:
    """A Markdown table of ``summarize`` rows."""
    lines = ["| strategy | test accuracy | seen classes | new classes | trainable params | s per run |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['strategy']} | {r['mean']:.3f} ± {r['std']:.3f} | {r['seen_mean']:.3f} ± "
                     f"{r['seen_std']:.3f} | {r['new_mean']:.3f} ± {r['new_std']:.3f} | "
                     f"{r['trainable']:,} | {r['seconds']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scratch vs frozen vs fine-tuned on the bundled target set.")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
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
