"""The one training loop of the series, evaluation, prediction, feature caching and forward hooks.

``fit`` runs ``train_one_epoch`` and ``evaluate`` once per epoch and calls its callbacks after each
epoch, e.g. ``KeepBest`` (save the best model so far) or a live plot. Notebook 07 shows the loop in
plain PyTorch first (``zero_grad``, ``backward``, ``step``); this is the same loop with bookkeeping.
"""
from __future__ import annotations

import contextlib
import math
import os
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

import torch
from torch import Tensor, nn
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler, TensorDataset
from tqdm.auto import tqdm

from .checkpoints import save_checkpoint
from .config import QUICK
from .i18n import tr
from .resnet import split_at
from .transfer import set_train_mode

History = dict[str, list[float]]
Callback = Callable[[int, History], None]


def progress_bar(iterable, show: bool | None, **kw):
    """A ``tqdm`` bar over ``iterable``, or the iterable itself when hidden (default: hidden in quick
    mode). A hidden bar is not created at all: ``tqdm.auto`` would call ``iter()`` on a DataLoader,
    starting its workers and drawing from its seeded generator once for nothing."""
    if not (not QUICK if show is None else show):
        return iterable
    return tqdm(iterable, leave=False, **kw)


@contextlib.contextmanager
def eval_mode(model: nn.Module) -> Iterator[nn.Module]:
    """Put ``model`` in eval mode for a ``with`` block, then restore the mode it had."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


def train_one_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module,
                    optimizer: torch.optim.Optimizer, device: torch.device | str = "cpu",
                    progress: bool | None = False) -> tuple[float, float]:
    """Train for one pass over ``loader``.

    Frozen BatchNorm layers stay in eval mode (see ``transfer.set_train_mode``).

    Returns:
        ``(mean loss, accuracy)`` over the epoch's samples.
    """
    set_train_mode(model)
    total_loss, correct, seen = 0.0, 0, 0
    for x, y in progress_bar(loader, progress, desc=tr("train")):
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(1) == y).sum().item()
        seen += len(y)
    return total_loss / seen, correct / seen


@torch.inference_mode()
def evaluate(model: nn.Module, loader: DataLoader, loss_fn: nn.Module | None = None,
             device: torch.device | str = "cpu", progress: bool | None = False) -> tuple[float, float]:
    """Score ``model`` on ``loader`` in eval mode without tracking gradients.

    Returns:
        ``(mean loss, accuracy)``.
    """
    model.eval()
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    total_loss, correct, seen = 0.0, 0, 0
    for x, y in progress_bar(loader, progress, desc=tr("eval")):
        x, y = x.to(device), y.to(device)
        logits = model(x)
        total_loss += loss_fn(logits, y).item() * len(y)
        correct += (logits.argmax(1) == y).sum().item()
        seen += len(y)
    return total_loss / seen, correct / seen


def fit(model: nn.Module, train_loader: DataLoader, eval_loader: DataLoader | dict[str, DataLoader] | None,
        optimizer: torch.optim.Optimizer, num_epochs: int, loss_fn: nn.Module | None = None,
        device: torch.device | str = "cpu", scheduler=None, progress: bool | None = None,
        callbacks: Callback | Sequence[Callback] = (), eval_name: str = "test") -> History:
    """Train for ``num_epochs`` and evaluate after each epoch.

    Args:
        model: The network to train (its ``requires_grad`` flags decide what trains).
        train_loader: Training batches.
        eval_loader: Evaluation batches, or ``None`` to skip evaluation; several splits as a dict
            ``{name: loader}`` (e.g. ``{"val": ..., "test": ...}``), each scored after every epoch.
        optimizer: Optimiser over the trainable parameters.
        num_epochs: Passes over the training data.
        loss_fn: Defaults to cross-entropy.
        device: Where to compute.
        scheduler: Optional LR scheduler, stepped once per epoch.
        progress: Show a ``tqdm`` bar over epochs (default: on, except in quick mode).
        callbacks: Called as ``callback(epoch, history)`` after each epoch (e.g. ``KeepBest``).
        eval_name: Name of a single evaluation split in the history keys: ``"test"`` or ``"val"``.

    Returns:
        History dict with lists ``train_loss``, ``train_acc``, ``<name>_loss`` and ``<name>_acc`` per
        evaluation split, and ``seconds`` (per epoch).
    """
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    evals = eval_loader if isinstance(eval_loader, dict) else {eval_name: eval_loader}
    keys = ("train_loss", "train_acc", *(f"{n}_{k}" for n in evals for k in ("loss", "acc")), "seconds")
    history: History = {k: [] for k in keys}
    bar = progress_bar(range(num_epochs), progress, desc=tr("epochs"))
    for epoch in bar:
        start = time.perf_counter()
        scores = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        if scheduler is not None:
            scheduler.step()
        for loader in evals.values():
            scores += evaluate(model, loader, loss_fn, device) if loader is not None else (math.nan, math.nan)
        for k, v in zip(keys, (*scores, time.perf_counter() - start)):
            history[k].append(v)
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{scores[0]:.3f}", **{f"{n}_acc": f"{history[n + '_acc'][-1]:.3f}"
                                                         for n, loader in evals.items() if loader is not None})
        for callback in callbacks:
            callback(epoch, history)
    return history


class KeepBest:
    """A ``fit`` callback that saves the model whenever its score beats every earlier epoch.

    The checkpoint is written atomically by ``checkpoints.save_checkpoint`` with the architecture,
    width and class names, so ``load_checkpoint(best.path)`` rebuilds the model alone; an
    interrupted run keeps the best checkpoint written so far. Taught in notebook 09.

    Attributes:
        path: The checkpoint file.
        epoch: The best epoch so far (1-based; 0 before the first).
        score: Its value of ``history[key]``.
    """

    def __init__(self, model: nn.Module, path: str | os.PathLike, classes: Sequence[str],
                 weights: Any = None, key: str = "val_acc", arch: str | None = None) -> None:
        self.model, self.path, self.classes, self.key = model, Path(path), list(classes), key
        self.arch = arch or getattr(weights, "arch", "resnet50")
        self.width = getattr(weights, "width", 64)
        self.epoch, self.score = 0, -math.inf

    def __call__(self, epoch: int, history: History) -> None:
        score = history[self.key][-1]
        if score > self.score:
            save_checkpoint(self.model, self.path, self.classes, arch=self.arch, width=self.width,
                            epoch=epoch + 1, score=score)
            self.epoch, self.score = epoch + 1, score


# --------------------------------------------------------------------------- features and hooks

@torch.no_grad()
def capture_outputs(model: nn.Module, modules: Mapping[str, nn.Module], x: Tensor) -> dict[str, Tensor]:
    """Run ``x`` through ``model`` once (eval mode) and keep the outputs of ``modules``, by forward hooks.

    Args:
        model: The network to run.
        modules: ``{name: submodule of model}`` whose outputs to keep.
        x: Input batch.

    Returns:
        ``{name: output}`` in the order of ``modules``.
    """
    outputs: dict[str, Tensor] = {}
    handles = [m.register_forward_hook(lambda _m, _i, out, name=name: outputs.__setitem__(name, out.detach().clone()))
               for name, m in modules.items()]
    try:
        with eval_mode(model):
            model(x)
    finally:
        for h in handles:
            h.remove()
    return {name: outputs[name] for name in modules}


@torch.no_grad()   # not inference_mode: the features are reused as training inputs
def extract_features(model: nn.Module, loader: DataLoader, device: torch.device | str = "cpu",
                     progress: bool | None = None) -> tuple[Tensor, Tensor]:
    """Run the frozen backbone once over ``loader`` and keep the pooled features that reach ``fc``.

    Training a head on these cached features gives the same result as training it on top of a
    frozen backbone (in eval mode, no augmentation), at a tiny fraction of the cost per epoch.

    Returns:
        ``(features [N, D], labels [N])``.
    """
    backbone, _ = split_at(model, "fc")
    feats, labels = [], []
    with eval_mode(model):
        for x, y in progress_bar(loader, progress, desc=tr("features")):
            feats.append(backbone(x.to(device)).cpu())
            labels.append(torch.as_tensor(y))
    return torch.cat(feats), torch.cat(labels)


def feature_loader(features: Tensor, labels: Tensor, batch_size: int = 32, shuffle: bool = False,
                   seed: int = 0) -> DataLoader:
    """A DataLoader over cached features (seeded shuffle), fetching each batch with one indexing op.

    It yields the same batches as ``DataLoader(..., batch_size, shuffle, generator)`` would, without
    indexing and re-stacking the samples one by one.
    """
    gen = torch.Generator().manual_seed(seed)
    ds = TensorDataset(features, labels)
    base = RandomSampler(ds, generator=gen) if shuffle else SequentialSampler(ds)
    return DataLoader(ds, sampler=BatchSampler(base, batch_size, drop_last=False), batch_size=None,
                      generator=gen)


@torch.inference_mode()
def predict(model: nn.Module, loader: DataLoader, device: torch.device | str = "cpu") -> tuple[Tensor, Tensor, Tensor]:
    """Predict every sample of ``loader``.

    Returns:
        ``(predicted labels [N], class probabilities [N, C], true labels [N])``.
    """
    model.eval()
    probs, targets = [], []
    for x, y in loader:
        probs.append(torch.softmax(model(x.to(device)), dim=1).cpu())
        targets.append(torch.as_tensor(y))
    p = torch.cat(probs)
    return p.argmax(1), p, torch.cat(targets)


@torch.no_grad()
def accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    """Accuracy of ``model`` on one batch ``(x, y)`` (e.g. a head on cached features), in eval mode."""
    with eval_mode(model):
        return (model(x).argmax(1) == y).float().mean().item()


def per_class_accuracy(preds: Tensor, targets: Tensor, num_classes: int) -> Tensor:
    """Accuracy of each class (``nan`` for a class with no samples)."""
    acc = torch.full((num_classes,), float("nan"))
    for c in range(num_classes):
        mask = targets == c
        if mask.any():
            acc[c] = (preds[mask] == c).float().mean()
    return acc
