"""Training and evaluation loops, feature caching and prediction."""
from __future__ import annotations

import contextlib
import time
from typing import Callable, Iterator

import torch
from torch import Tensor, nn
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler, TensorDataset
from tqdm.auto import tqdm

from .config import QUICK
from .models import set_train_mode

History = dict[str, list[float]]


def _bar(iterable, show: bool | None, **kw):
    """A ``tqdm`` bar over ``iterable``, or the iterable itself when hidden (default: hidden in quick
    mode). A hidden bar is not created at all: ``tqdm.auto`` would call ``iter()`` on a DataLoader,
    starting its workers and drawing from its seeded generator once for nothing."""
    if not (not QUICK if show is None else show):
        return iterable
    return tqdm(iterable, leave=False, **kw)


def train_one_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module,
                    optimizer: torch.optim.Optimizer, device: torch.device | str = "cpu",
                    progress: bool | None = False) -> tuple[float, float]:
    """Train for one pass over ``loader``.

    Frozen BatchNorm layers stay in eval mode (see ``models.set_train_mode``).

    Returns:
        ``(mean loss, accuracy)`` over the epoch's samples.
    """
    set_train_mode(model)
    total_loss, correct, seen = 0.0, 0, 0
    for x, y in _bar(loader, progress, desc="train"):
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
    for x, y in _bar(loader, progress, desc="eval"):
        x, y = x.to(device), y.to(device)
        logits = model(x)
        total_loss += loss_fn(logits, y).item() * len(y)
        correct += (logits.argmax(1) == y).sum().item()
        seen += len(y)
    return total_loss / seen, correct / seen


def fit(model: nn.Module, train_loader: DataLoader, test_loader: DataLoader | None,
        optimizer: torch.optim.Optimizer, num_epochs: int, loss_fn: nn.Module | None = None,
        device: torch.device | str = "cpu", scheduler=None, progress: bool | None = None,
        on_epoch_end: Callable[[int, History], None] | None = None) -> History:
    """Train for ``num_epochs`` and evaluate after each epoch.

    Args:
        model: The network to train (its ``requires_grad`` flags decide what trains).
        train_loader: Training batches.
        test_loader: Evaluation batches, or ``None`` to skip evaluation.
        optimizer: Optimiser over the trainable parameters.
        num_epochs: Passes over the training data.
        loss_fn: Defaults to cross-entropy.
        device: Where to compute.
        scheduler: Optional LR scheduler, stepped once per epoch.
        progress: Show a ``tqdm`` bar over epochs (default: on, except in quick mode).
        on_epoch_end: Called as ``on_epoch_end(epoch, history)``, e.g. to redraw a live plot.

    Returns:
        History dict with lists ``train_loss``, ``train_acc``, ``test_loss``, ``test_acc``
        and ``seconds`` (per epoch).
    """
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    history: History = {k: [] for k in ("train_loss", "train_acc", "test_loss", "test_acc", "seconds")}
    bar = _bar(range(num_epochs), progress, desc="epochs")
    for epoch in bar:
        start = time.perf_counter()
        tr_loss, tr_acc = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        if scheduler is not None:
            scheduler.step()
        te_loss, te_acc = (evaluate(model, test_loader, loss_fn, device)
                           if test_loader is not None else (float("nan"), float("nan")))
        for k, v in zip(history, (tr_loss, tr_acc, te_loss, te_acc, time.perf_counter() - start)):
            history[k].append(v)
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{tr_loss:.3f}", test_acc=f"{te_acc:.3f}")
        if on_epoch_end is not None:
            on_epoch_end(epoch, history)
    return history


@contextlib.contextmanager
def without_head(model: nn.Module) -> Iterator[nn.Module]:
    """Temporarily replace ``model.fc`` by the identity, so the model returns pooled features."""
    fc = model.fc
    model.fc = nn.Identity()
    try:
        yield model
    finally:
        model.fc = fc


@torch.no_grad()   # not inference_mode: the features are reused as training inputs
def extract_features(model: nn.Module, loader: DataLoader, device: torch.device | str = "cpu",
                     progress: bool | None = None) -> tuple[Tensor, Tensor]:
    """Run the frozen backbone once over ``loader`` and keep the pooled features.

    Training a head on these cached features gives the same result as training it on top of a
    frozen backbone (in eval mode, no augmentation), at a tiny fraction of the cost per epoch.

    Returns:
        ``(features [N, D], labels [N])``.
    """
    model.eval()
    feats, labels = [], []
    with without_head(model):
        for x, y in _bar(loader, progress, desc="features"):
            feats.append(model(x.to(device)).cpu())
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


def per_class_accuracy(preds: Tensor, targets: Tensor, num_classes: int) -> Tensor:
    """Accuracy of each class (``nan`` for a class with no samples)."""
    acc = torch.full((num_classes,), float("nan"))
    for c in range(num_classes):
        mask = targets == c
        if mask.any():
            acc[c] = (preds[mask] == c).float().mean()
    return acc
